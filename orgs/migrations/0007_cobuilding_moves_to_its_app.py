"""The co-building models now live in the cobuilding app (cobuilding/0001, same tables): drop them
from orgs' state and point Post.co_building_unit at cobuilding.CoBuildingUnit. Nothing changes in
the database: the foreign key already references the same table."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cobuilding', '0001_initial'),
        ('orgs', '0006_district_staff_role'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='agreement',
                    name='community',
                ),
                migrations.RemoveField(
                    model_name='agreement',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='cobuildingunit',
                    name='community',
                ),
                migrations.RemoveField(
                    model_name='unitpoints',
                    name='unit',
                ),
                migrations.AlterField(
                    model_name='post',
                    name='co_building_unit',
                    field=models.ForeignKey(blank=True, help_text='共建书记由驻区单位领导班子成员担任', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='posts', to='cobuilding.cobuildingunit', verbose_name='来自共建单位'),
                ),
                migrations.RemoveField(
                    model_name='serviceproject',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='sharedresource',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='rating',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='need',
                    name='claimed_by',
                ),
                migrations.RemoveField(
                    model_name='jointmeeting',
                    name='units',
                ),
                migrations.RemoveField(
                    model_name='jointmeeting',
                    name='area',
                ),
                migrations.RemoveField(
                    model_name='need',
                    name='community',
                ),
                migrations.RemoveField(
                    model_name='serviceproject',
                    name='need',
                ),
                migrations.DeleteModel(
                    name='PointsRule',
                ),
                migrations.RemoveField(
                    model_name='serviceproject',
                    name='community',
                ),
                migrations.RemoveField(
                    model_name='sharedresource',
                    name='community',
                ),
                migrations.DeleteModel(
                    name='Agreement',
                ),
                migrations.DeleteModel(
                    name='UnitPoints',
                ),
                migrations.DeleteModel(
                    name='Rating',
                ),
                migrations.DeleteModel(
                    name='CoBuildingUnit',
                ),
                migrations.DeleteModel(
                    name='JointMeeting',
                ),
                migrations.DeleteModel(
                    name='Need',
                ),
                migrations.DeleteModel(
                    name='ServiceProject',
                ),
                migrations.DeleteModel(
                    name='SharedResource',
                ),
            ],
            database_operations=[],
        ),
    ]
