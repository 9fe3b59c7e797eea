"""The catalogue every station starts with (hall.catalogue: seed 004's 8 categories and 35
items). A migration rather than a loader: the catalogue is configuration every database must
have (tests, the demo and production alike), as the time limits of cases are; once loaded it is
kept in Django admin. hall.catalogue is read by this migration only: a later change to the
starting catalogue is a new migration, not an edit there."""

from django.db import migrations

from hall.catalogue import CATALOGUE


def load(apps, schema_editor):
    ServiceCategory = apps.get_model("hall", "ServiceCategory")
    ServiceItem = apps.get_model("hall", "ServiceItem")
    for position, category in enumerate(CATALOGUE, start=1):
        row, _ = ServiceCategory.objects.get_or_create(
            code=category.code, defaults={"name": category.name, "position": position}
        )
        for item_position, item in enumerate(category.items, start=1):
            ServiceItem.objects.get_or_create(
                code=item.code,
                defaults={
                    "category": row,
                    "name": item.name,
                    "limit_days": item.limit_days,
                    "documents": item.documents,
                    "window": category.window,
                    "position": item_position,
                },
            )


def unload(apps, schema_editor):
    codes = [item.code for category in CATALOGUE for item in category.items]
    apps.get_model("hall", "ServiceItem").objects.filter(code__in=codes, requests__isnull=True).delete()
    apps.get_model("hall", "ServiceCategory").objects.filter(
        code__in=[c.code for c in CATALOGUE], items__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("hall", "0001_service_hall")]

    operations = [migrations.RunPython(load, unload)]
