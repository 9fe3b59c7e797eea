"""The SHA-256 chain over audit entries: each row's hash covers the previous row's hash and its own fields.

Appending takes a lock for the rest of the transaction so two writers cannot both chain onto the
same last row (on PostgreSQL an advisory lock; SQLite already lets one writer in at a time).
"""

import hashlib
import json
from datetime import UTC

from django.db import connection, transaction

# Any constant will do; it names this lock among the database's advisory locks.
_LOCK_KEY = 0x61756469  # "audi"
GENESIS = "0" * 64

HASHED_FIELDS = (
    "at",
    "actor_id",
    "capacity",
    "action",
    "target_type_id",
    "target_id",
    "fields",
    "result",
    "username",
    "client_address",
    "request_id",
)


def canonical(values: dict) -> str:
    """One spelling for the same values on every database: sorted keys, UTC time, no spaces."""
    data = dict(values)
    data["at"] = data["at"].astimezone(UTC).isoformat()
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(previous: str, values: dict) -> str:
    return hashlib.sha256((previous + canonical(values)).encode()).hexdigest()


def values_of(entry) -> dict:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def append(entry, insert) -> None:
    """Chain `entry` onto the last row and insert it, holding the lock until the transaction ends."""
    model = type(entry)
    # No savepoint of its own: the entry commits or fails with the write it records, whose
    # transaction is already open (two statements fewer on every write).
    with transaction.atomic(savepoint=False):
        _lock()
        previous = model.objects.order_by("-pk").values_list("hash", flat=True).first() or GENESIS
        entry.hash = entry_hash(previous, values_of(entry))
        insert()


def append_all(entries: list, insert) -> None:
    """`append` for many entries of one model, inserted together by `insert()`, each chained onto
    the one before. The ids are handed out in the rows' order, so the chain read by id is the one
    written."""
    if not entries:
        return
    model = type(entries[0])
    with transaction.atomic(savepoint=False):
        _lock()
        previous = model.objects.order_by("-pk").values_list("hash", flat=True).first() or GENESIS
        for entry in entries:
            entry.hash = previous = entry_hash(previous, values_of(entry))
        insert()


def first_broken(model, rows=None):
    """The first row whose hash does not follow from the row before it, or None if the chain holds."""
    previous = GENESIS
    for entry in rows if rows is not None else model.objects.order_by("pk").iterator(chunk_size=2000):
        if entry.hash != entry_hash(previous, values_of(entry)):
            return entry
        previous = entry.hash
    return None
