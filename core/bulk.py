"""Inserting many rows of one model at the speed of the database, for the imports.

On PostgreSQL the rows go in with COPY (psycopg's `cursor.copy`, which adapts values in C): a
100,000-row import spends most of its time in `bulk_create` building one INSERT's SQL and
parameters in Python, and COPY skips both. Primary keys are taken from the table's sequence
first, so the caller gets them on its objects as `bulk_create` gives them. Elsewhere (SQLite),
and for fewer rows than `copy_from`, it is `bulk_create`: a step's one event is one INSERT, not a
round trip to the sequence and a COPY. Like `bulk_create`, neither calls `save()` or sends
signals, and neither goes through the model's own manager (the audit chain's refuses
`bulk_create`; its `append_all` calls this under the chain's lock).
"""

from collections.abc import Sequence

from django.db import connections, models, router
from django.db.models.expressions import DatabaseDefault

BATCH = 1000  # bulk_create's batch elsewhere, the same as the callers used before
# Where a writer inserts one row or thousands (a step's event, the deadline sweep's), COPY from here.
MANY = 100


def bulk_insert(objects: Sequence[models.Model], *, using: str | None = None, copy_from: int = 1) -> None:
    if not objects:
        return
    model = type(objects[0])
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql" or len(objects) < copy_from:
        model._base_manager.using(alias).bulk_create(objects, batch_size=BATCH)
        return
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        missing = [obj for obj in objects if obj.pk is None]
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(missing)],
            )
            for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = pk
        fields = meta.local_concrete_fields
        rows = [[field.pre_save(obj, True) for field in fields] for obj in objects]
        # A column every object leaves to its database default is left out, so the default applies.
        kept = [i for i, _field in enumerate(fields) if not all(isinstance(row[i], DatabaseDefault) for row in rows)]
        if any(isinstance(row[i], DatabaseDefault) for row in rows for i in kept):  # some set it, some not
            model._base_manager.using(alias).bulk_create(objects, batch_size=BATCH)
            return
        columns = ", ".join(connection.ops.quote_name(fields[i].column) for i in kept)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([fields[i].get_db_prep_save(row[i], connection) for i in kept])
    for obj in objects:
        obj._state.adding = False
        obj._state.db = alias
