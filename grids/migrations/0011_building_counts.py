import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone


def count_every_building(apps, schema_editor):
    # grids.rollup.recount_buildings as of this migration, on its historical models.
    Area = apps.get_model("grids", "Area")
    BuildingCount = apps.get_model("grids", "BuildingCount")
    ResidentTag = apps.get_model("grids", "ResidentTag")
    today = timezone.localdate()
    visible = ResidentTag.objects.filter(
        Q(until__isnull=True) | Q(until__gte=today),
        resident=OuterRef("households__residents"),
        since__lte=today,
        group__sensitive=False,
    )
    living = Q(households__residents__ended_on__isnull=True)
    counted = (
        Area.objects.filter(kind="building")
        .order_by()
        .values_list("pk")
        .annotate(
            n_households=Count("households", distinct=True),
            n_residents=Count("households__residents", filter=living, distinct=True),
            n_key_group=Count("households__residents", filter=living & Q(Exists(visible)), distinct=True),
        )
    )
    BuildingCount.objects.bulk_create(
        (BuildingCount(building_id=pk, households=h, residents=r, key_group_residents=k) for pk, h, r, k in counted),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0010_import_row_fixed_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="BuildingCount",
            fields=[
                (
                    "building",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="rollup",
                        serialize=False,
                        to="grids.area",
                        verbose_name="楼栋",
                    ),
                ),
                ("households", models.PositiveIntegerField(default=0, verbose_name="户数")),
                ("residents", models.PositiveIntegerField(default=0, verbose_name="在住人数")),
                ("key_group_residents", models.PositiveIntegerField(default=0, verbose_name="重点人群人数")),
            ],
            options={
                "verbose_name": "楼栋统计",
                "verbose_name_plural": "楼栋统计",
            },
        ),
        migrations.RunPython(count_every_building, migrations.RunPython.noop, elidable=True),
    ]
