"""Birth date and sex leave the table: both are read from the encrypted ID number (Resident.birth_date,
.sex), so the rows need no backfill; dropping the columns is the whole change.

On PostgreSQL a dropped column's values stay in the table's pages until they are rewritten: run
VACUUM FULL grids_resident (or pg_repack) after migrating to remove them from disk as well.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0003_tag_legal_basis_default"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="resident",
            name="birth_date",
        ),
        migrations.RemoveField(
            model_name="resident",
            name="sex",
        ),
    ]
