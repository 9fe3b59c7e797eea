from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_by_occupancy(apps, schema_editor):
    # What grids.rollup.recount_buildings now keeps, for the count rows already there: one UPDATE
    # per occupancy, each row's households of that occupancy counted in a subquery.
    BuildingCount = apps.get_model("grids", "BuildingCount")
    Household = apps.get_model("grids", "Household")
    for value in ("owner", "rented", "vacant"):
        counted = (
            Household.objects.filter(building_id=OuterRef("building_id"), occupancy=value)
            .order_by()
            .values("building_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        BuildingCount.objects.update(
            **{f"households_{value}": Coalesce(Subquery(counted, output_field=IntegerField()), 0)}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0015_geometry_import"),
    ]

    operations = [
        migrations.AddField(
            model_name="buildingcount",
            name="households_owner",
            field=models.PositiveIntegerField(default=0, verbose_name="自住户数"),
        ),
        migrations.AddField(
            model_name="buildingcount",
            name="households_rented",
            field=models.PositiveIntegerField(default=0, verbose_name="出租户数"),
        ),
        migrations.AddField(
            model_name="buildingcount",
            name="households_vacant",
            field=models.PositiveIntegerField(default=0, verbose_name="空置户数"),
        ),
        migrations.RunPython(count_by_occupancy, migrations.RunPython.noop),
    ]
