"""A district's open cases, covered: and a visibility map kept fresh enough for it to be read alone.

An index-only scan reads a heap page only for entries on pages not marked all-visible, and it is
VACUUM that marks them. Open cases are the ones steps write, so their pages are the last to be
marked: PostgreSQL's default vacuums cases_case after a fifth of its rows changed (200,000 writes
on a city's million, about a day of its steps). After 1 % (10,000) it stays within an hour or two.
SQLite has neither setting nor included columns (there the index is a partial one on district
alone). The index is built while cases_case is locked for writes: seconds on a city's million
cases (measured: under 1 s), so take it in the maintenance window as any migration.
"""

from django.conf import settings
from django.db import migrations, models

VACUUM_AFTER = 0.01


def vacuum_often(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE cases_case SET (autovacuum_vacuum_scale_factor = {VACUUM_AFTER},"
            f" autovacuum_vacuum_insert_scale_factor = {VACUUM_AFTER})"
        )


def vacuum_by_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE cases_case RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor)"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0032_case_day_counts'),
        ('grids', '0016_building_occupancy_counts'),
        ('orgs', '0013_coverage_targets'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('status__in', ['accepted', 'dispatched', 'in_progress', 'reported', 'resolved', 'whistled'])), fields=['district'], include=('id', 'status', 'colour', 'department', 'grid', 'response_due', 'dispatch_due', 'resolution_due'), name='case_district_open'),
        ),
        migrations.RunPython(vacuum_often, vacuum_by_default),
    ]
