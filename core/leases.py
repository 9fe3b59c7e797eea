"""Leases: at most one process at a time does a named job, and a holder that dies frees it when
its lease runs out (core.models.Lease).

Taking one is a single conditional UPDATE (free or run out → mine), committed at once, so two
processes racing for it cannot both win, on PostgreSQL or SQLite; no connection or process keeps
anything meanwhile, which is what several machines and a transaction-mode pooler need. Times are
the database's (`Now()`), so machines whose clocks disagree still agree on who holds a lease.
"""

import datetime
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models.functions import Now

from core.models import Lease

_NEVER = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _take(name: str, holder: str, seconds: int) -> bool:
    try:
        with transaction.atomic():
            Lease.objects.get_or_create(name=name, defaults={"held_until": _NEVER})
    except IntegrityError:  # another process made the row a moment ago: it exists now
        pass
    taken = Lease.objects.filter(name=name, held_until__lte=Now()).update(
        holder=holder, held_until=Now() + datetime.timedelta(seconds=seconds)
    )
    return taken == 1


@contextmanager
def lease(name: str, *, seconds: int) -> Iterator[bool]:
    """`with lease("job", seconds=600) as mine:` — `mine` is False when another holder has it.
    `seconds` must outlast the job: past it, another process may take the job too."""
    holder = uuid.uuid4().hex
    mine = _take(name, holder, seconds)
    try:
        yield mine
    finally:
        if mine:
            Lease.objects.filter(name=name, holder=holder).update(held_until=Now())
