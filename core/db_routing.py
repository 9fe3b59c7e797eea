"""Reads that may lag go to a read replica; everything else stays on the primary.

The top floor's middleware opens `replica_reads()` around the views it declares lagging (the
leader's figures); nothing else ever reads the replica. Inside them the router still answers
"primary" for a read made inside a transaction, and for every read after the first write of the
request, so what a request wrote it reads back. Without DATABASE_REPLICA_URL (and its `replica`
alias in DATABASES) the router answers the primary for everything.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"


@dataclass
class _Reads:
    lagging: bool = False  # the view being served may read the replica
    wrote: bool = False  # a write happened in this request: no more replica reads


_current: ContextVar[_Reads | None] = ContextVar("replica_reads", default=None)


def replica_configured() -> bool:
    return bool(settings.DATABASE_REPLICA_URL) and REPLICA in connections.settings


@contextmanager
def request_reads() -> Iterator[_Reads]:
    """One request's state: primary for everything until `allow_lag()` says the view may lag."""
    token = _current.set(_Reads())
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def allow_lag() -> None:
    if (state := _current.get()) is not None:
        state.lagging = True


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside the block may come from the replica (a command or a test can open one too)."""
    with request_reads():
        allow_lag()
        yield


def wrote_in_request() -> bool:
    state = _current.get()
    return state is not None and state.wrote


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _current.get()
        if state is None or not state.lagging or state.wrote or not replica_configured():
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:  # a read inside a transaction sees its writes
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        if (state := _current.get()) is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows: an object read there may point at one read on the primary.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA  # the replica follows the primary's WAL, migrations included
