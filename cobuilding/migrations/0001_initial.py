"""The co-building models, moved here from orgs: state only. Their tables (orgs_cobuildingunit, …,
orgs_jointmeeting_units) were made by orgs/0003 and keep their rows, PointsRule's from orgs/0004
among them; orgs/0007 then drops the models from orgs' state."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('orgs', '0006_district_staff_role'),
        ('grids', '0003_tag_legal_basis_default'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PointsRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(unique=True, verbose_name='代码')),
                        ('comparison', models.CharField(choices=[('below', '低于'), ('above', '高于')], max_length=5, verbose_name='比较')),
                        ('threshold', models.IntegerField(verbose_name='分数线')),
                        ('inclusive', models.BooleanField(help_text='以上、以下含本数;低于、高于、超过、不满不含本数(《民法典》第一千二百五十九条)', verbose_name='含本数')),
                        ('consequence', models.CharField(max_length=100, verbose_name='后果')),
                        ('clause', models.CharField(max_length=300, verbose_name='依据')),
                    ],
                    options={
                        'verbose_name': '积分规则',
                        'verbose_name_plural': '积分规则',
                        'db_table': 'orgs_pointsrule',
                        'ordering': ['threshold'],
                    },
                ),
                migrations.CreateModel(
                    name='CoBuildingUnit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='单位名称')),
                        ('kind', models.CharField(choices=[('agency', '机关'), ('institution', '事业单位'), ('enterprise', '企业'), ('social', '社会组织')], max_length=12, verbose_name='单位类型')),
                        ('credit_code', models.CharField(blank=True, max_length=18, verbose_name='统一社会信用代码')),
                        ('credit_code_valid', models.BooleanField(default=False, editable=False, verbose_name='信用代码校验通过')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='地址')),
                        ('contact', models.CharField(blank=True, max_length=50, verbose_name='联系人')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='联系电话')),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='co_building_units', to='grids.area', verbose_name='共建社区')),
                    ],
                    options={
                        'verbose_name': '共建单位',
                        'verbose_name_plural': '共建单位',
                        'db_table': 'orgs_cobuildingunit',
                        'ordering': ['community', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='JointMeeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('level', models.CharField(choices=[('street', '街道党建联席会议'), ('community', '社区党建联席会议'), ('compound', '小区党建联席会议')], max_length=10, verbose_name='层级')),
                        ('held_on', models.DateField(verbose_name='召开日期')),
                        ('title', models.CharField(max_length=200, verbose_name='议题')),
                        ('minutes', models.TextField(verbose_name='会议纪要')),
                        ('decisions', models.TextField(blank=True, verbose_name='议定事项')),
                        ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='joint_meetings', to='grids.area', verbose_name='区域')),
                        ('units', models.ManyToManyField(blank=True, db_table='orgs_jointmeeting_units', related_name='meetings', to='cobuilding.cobuildingunit', verbose_name='参会单位')),
                    ],
                    options={
                        'verbose_name': '党建联席会议',
                        'verbose_name_plural': '党建联席会议',
                        'db_table': 'orgs_jointmeeting',
                        'ordering': ['-held_on'],
                    },
                ),
                migrations.CreateModel(
                    name='Need',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='需求')),
                        ('description', models.TextField(blank=True, verbose_name='说明')),
                        ('raised_on', models.DateField(verbose_name='提出日期')),
                        ('status', models.CharField(choices=[('open', '待认领'), ('claimed', '已认领'), ('done', '已完成')], default='open', max_length=8, verbose_name='状态')),
                        ('claimed_on', models.DateField(blank=True, null=True, verbose_name='认领日期')),
                        ('done_on', models.DateField(blank=True, null=True, verbose_name='完成日期')),
                        ('result', models.CharField(blank=True, max_length=300, verbose_name='完成情况')),
                        ('claimed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='claimed_needs', to='cobuilding.cobuildingunit', verbose_name='认领单位')),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='needs', to='grids.area', verbose_name='社区')),
                    ],
                    options={
                        'verbose_name': '治理需求',
                        'verbose_name_plural': '治理需求清单',
                        'db_table': 'orgs_need',
                        'ordering': ['status', '-raised_on'],
                    },
                ),
                migrations.CreateModel(
                    name='Rating',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                        ('direction', models.CharField(choices=[('community_rates_unit', '社区评单位'), ('unit_rates_community', '单位评社区')], max_length=24, verbose_name='方向')),
                        ('score', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='评分')),
                        ('comment', models.CharField(blank=True, max_length=300, verbose_name='意见建议')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='cobuilding.cobuildingunit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': '双向评价',
                        'verbose_name_plural': '双向评价',
                        'db_table': 'orgs_rating',
                        'ordering': ['-year', 'direction'],
                    },
                ),
                migrations.CreateModel(
                    name='ServiceProject',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='项目')),
                        ('status', models.CharField(choices=[('planned', '计划中'), ('ongoing', '实施中'), ('done', '已完成')], default='planned', max_length=8, verbose_name='状态')),
                        ('starts_on', models.DateField(verbose_name='开始日期')),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='service_projects', to='grids.area', verbose_name='社区')),
                        ('need', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='projects', to='cobuilding.need', verbose_name='对应需求')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='projects', to='cobuilding.cobuildingunit', verbose_name='实施单位')),
                    ],
                    options={
                        'verbose_name': '服务项目',
                        'verbose_name_plural': '服务项目清单',
                        'db_table': 'orgs_serviceproject',
                        'ordering': ['community', '-starts_on'],
                    },
                ),
                migrations.CreateModel(
                    name='SharedResource',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('venue', '活动场地'), ('parking', '停车位'), ('wall', '公共墙壁'), ('sports', '运动场所'), ('other', '其他')], max_length=10, verbose_name='类型')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('pricing', models.CharField(choices=[('free', '免费'), ('low_cost', '低偿'), ('paid', '有偿')], max_length=10, verbose_name='收费方式')),
                        ('description', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='shared_resources', to='grids.area', verbose_name='社区')),
                        ('unit', models.ForeignKey(blank=True, help_text='空表示社区自有', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='resources', to='cobuilding.cobuildingunit', verbose_name='提供单位')),
                    ],
                    options={
                        'verbose_name': '共治资源',
                        'verbose_name_plural': '共治资源清单',
                        'db_table': 'orgs_sharedresource',
                        'ordering': ['community', 'kind', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='UnitPoints',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('on', models.DateField(verbose_name='日期')),
                        ('points', models.SmallIntegerField(verbose_name='积分')),
                        ('reason', models.CharField(max_length=200, verbose_name='事由')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='points', to='cobuilding.cobuildingunit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': '共建单位积分',
                        'verbose_name_plural': '共建单位积分',
                        'db_table': 'orgs_unitpoints',
                        'ordering': ['-on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Agreement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('signed_on', models.DateField(verbose_name='签订日期')),
                        ('valid_until', models.DateField(verbose_name='有效期至')),
                        ('content', models.TextField(verbose_name='共建内容')),
                        ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agreements', to='grids.area', verbose_name='社区')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agreements', to='cobuilding.cobuildingunit', verbose_name='单位')),
                    ],
                    options={
                        'verbose_name': '共驻共建协议书',
                        'verbose_name_plural': '共驻共建协议书',
                        'db_table': 'orgs_agreement',
                        'ordering': ['-signed_on'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('valid_until__gt', models.F('signed_on'))), name='agreement_dates', violation_error_message='有效期须晚于签订日期')],
                    },
                ),
                migrations.AddIndex(
                    model_name='need',
                    index=models.Index(fields=['community', 'status'], name='need_community_status'),
                ),
                migrations.AddConstraint(
                    model_name='need',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('claimed_by__isnull', True), ('status', 'open')), models.Q(('claimed_by__isnull', False), ('claimed_on__isnull', False), ('status__in', ['claimed', 'done'])), _connector='OR'), name='need_claim_matches_status'),
                ),
                migrations.AddConstraint(
                    model_name='need',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'done'), _negated=True), ('done_on__isnull', False), _connector='OR'), name='need_done_has_date'),
                ),
                migrations.AddConstraint(
                    model_name='rating',
                    constraint=models.UniqueConstraint(fields=('unit', 'year', 'direction'), name='rating_once_a_year', violation_error_message='该年度已评价'),
                ),
                migrations.AddConstraint(
                    model_name='rating',
                    constraint=models.CheckConstraint(condition=models.Q(('score__lte', 100)), name='rating_score_range'),
                ),
            ],
            database_operations=[],
        ),
    ]
