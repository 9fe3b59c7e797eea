"""Rows straight into tables: COPY on PostgreSQL, large batched INSERTs elsewhere.

The generator makes millions of rows; going through model instances and services (one INSERT,
one audit entry each) is what made `load_demo --scale 10` take ten minutes for 26,000 residents.
Rows are tuples in a table's column order, with their ids handed out here, so foreign keys are
known before anything is written. Values go through the model field's own `get_db_prep_save`
where the database needs more than the Python value: the encrypted fields (Fernet, per row, as
the app does), and dates, times and UUIDs on SQLite.
"""

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from encrypted_fields.fields import EncryptedFieldMixin

BATCH = 5_000  # rows per executemany on SQLite


class Writer:
    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}
        self._next: dict[type[models.Model], int] = {}
        self._written: dict[type[models.Model], None] = {}  # in order, for reset_sequences

    def ids(self, model: type[models.Model], n: int) -> range:
        """`n` fresh primary keys for `model`, after any rows already there."""
        if model not in self._next:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT MAX(id) FROM {model._meta.db_table}")  # noqa: S608 - a model's own table
                self._next[model] = (cursor.fetchone()[0] or 0) + 1
        start = self._next[model]
        self._next[model] = start + n
        return range(start, start + n)

    def next_id(self, model: type[models.Model]) -> int:
        return self.ids(model, 1).start

    def write(self, table: type[models.Model] | str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        """`table` is a model (columns are its fields' attnames) or an auto-created M2M table's name."""
        model = table if isinstance(table, type) else None
        name = model._meta.db_table if model else table
        if model:
            self._written[model] = None
        adapters = self._adapters(model, columns) if model else []
        if adapters:
            rows = (_adapted(row, adapters) for row in rows)
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        n = 0
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {name} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        n += 1
            else:
                sql = f"INSERT INTO {name} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
                batch = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == BATCH:
                        cursor.executemany(sql, batch)
                        n, batch = n + len(batch), []
                if batch:
                    cursor.executemany(sql, batch)
                    n += len(batch)
        self.counts[name] = self.counts.get(name, 0) + n
        return n

    def _adapters(self, model: type[models.Model], columns: Sequence[str]) -> list[tuple[int, Callable]]:
        """(column position, adapter) for the columns whose values need one."""
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        adapters = []
        for position, column in enumerate(columns):
            field = by_attname[column]
            if isinstance(field, EncryptedFieldMixin) or (
                not self.postgres and isinstance(field, models.DateField | models.UUIDField | models.DecimalField)
            ):
                # The wrapper itself, not django.db.connection's proxy: a lookup less per value.
                adapters.append((position, partial(field.get_db_prep_save, connection=connections[DEFAULT_DB_ALIAS])))
            elif isinstance(field, models.JSONField):
                adapters.append((position, _json))
        return adapters

    def reset_sequences(self) -> None:
        """PostgreSQL's id sequences after rows with explicit ids, for every model written (SQLite
        follows MAX(id) by itself): a sequence left behind makes the app's next row of that kind
        (an account, a case) collide with a generated one."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self._written)):
                cursor.execute(sql)


def _json(value):
    # None is SQL NULL, as the ORM writes it (a building's boundary), not the JSON text null.
    return None if value is None else json.dumps(value)


@contextmanager
def without_checks_and_indexes(tables: Sequence[type[models.Model]]) -> Iterator[None]:
    """PostgreSQL's recipe for populating a database (manual, "Populating a Database"): load the big
    tables without their foreign keys and secondary indexes, then build each index in one sort and
    check each foreign key in one join. Row by row, the checks and index inserts took most of the
    time. Primary keys and unique constraints stay: they are what the loaded rows must not break.
    Whatever happens, everything dropped is put back (and a row that breaks a key fails then)."""
    if connection.vendor != "postgresql":
        yield
        return
    names = [model._meta.db_table for model in tables]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [names],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid::regclass::text = ANY(%s) AND NOT indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = indexrelid)",
            [names],
        )
        indexes = cursor.fetchall()
        # Inside one transaction (the tests') ALTER TABLE waits for no deferred check: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in foreign_keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are INITIALLY DEFERRED


def _adapted(row: tuple, adapters: list[tuple[int, Callable]]) -> list:
    values = list(row)
    for position, adapt in adapters:
        values[position] = adapt(values[position])
    return values


def number_tree(roots: list[dict], first_tree_id: int) -> None:
    """django-mptt's lft, rght, level and tree_id for nested dicts ({"children": [...]}), in place.

    Siblings must already be in the tree's insertion order (Area: by code; Organization: by name),
    so that later inserts through django-mptt land where it expects.
    """
    for offset, root in enumerate(roots):
        counter = 0
        stack = [(root, 0, False)]
        while stack:
            node, level, done = stack.pop()
            counter += 1
            if done:
                node["rght"] = counter
                continue
            node.update(lft=counter, level=level, tree_id=first_tree_id + offset)
            stack.append((node, level, True))
            stack.extend((child, level + 1, False) for child in reversed(node.get("children", ())))


def walk(roots: list[dict], parent: dict | None = None):
    """(node, parent) for every node, parents before their children."""
    for node in roots:
        yield node, parent
        yield from walk(node.get("children", ()), node)


def tree_faults(model: type[models.Model], tree_ids: Sequence[int]) -> int:
    """Nodes breaking an MPTT invariant in these trees: 0 for a sound tree. Three set-based checks:
    every child nests inside its parent one level down, and each tree's lft/rght run 1…2n."""
    table = model._meta.db_table
    ids = ", ".join(str(int(t)) for t in tree_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} c JOIN {table} p ON c.parent_id = p.id "  # noqa: S608
            f"WHERE c.tree_id IN ({ids}) AND (c.tree_id <> p.tree_id OR c.lft <= p.lft OR c.rght >= p.rght "
            "OR c.level <> p.level + 1)"
        )
        nesting = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT tree_id FROM {table} WHERE tree_id IN ({ids}) GROUP BY tree_id "  # noqa: S608
            "HAVING MIN(lft) <> 1 OR MAX(rght) <> 2 * COUNT(*) OR COUNT(DISTINCT lft) <> COUNT(*)) t"
        )
        spans = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE tree_id IN ({ids}) AND (rght - lft - 1) % 2 <> 0"  # noqa: S608
        )
        odd = cursor.fetchone()[0]
    return nesting + spans + odd
