"""Room on each page of cases_case for PostgreSQL's heap-only (HOT) updates.

A case is written again at every step and by the deadline sweep. An update that changes no
indexed column (督办's flag, a rating, the verification counters, updated_at) can stay on its page
without touching the table's indexes, but only if the page has room: tables filled to the brim
(by COPY, say) write a new entry in every index for each such update. Fillfactor 90 keeps a tenth
of each page free. It applies to pages written from now on; an existing table takes it when it
is rewritten (VACUUM FULL, or pg_repack without the lock). SQLite has no such setting.
"""

from django.db import migrations

FILLFACTOR = 90


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE cases_case SET (fillfactor = {FILLFACTOR})")


def fill_up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE cases_case RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("cases", "0030_fk_indexes_led_by_composites")]

    operations = [migrations.RunPython(leave_room, fill_up)]
