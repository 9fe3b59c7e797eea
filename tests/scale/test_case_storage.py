"""Two conditions for the deadline sweep's 督办 to be a heap-only (HOT) update, one that stays on
its page and writes no index entry: the table keeps room on its pages (cases 0031; a table
filled by COPY has none), and the columns it writes are in no index. Without either, each 督办
writes a new entry in every index of the table. The test table is small and fresh, so it always
has room: the second test proves the columns, the first the room.

PostgreSQL only: SQLite has neither fillfactor nor HOT.
"""

import pytest
from django.db import connection
from django.utils import timezone

from cases import services
from cases.models import Action, Case

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage"),
]


def _updates() -> tuple[int, int]:
    """This transaction's updates of cases_case so far, and how many of them were heap-only."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'cases_case'")
        return cursor.fetchone()


def test_the_cases_table_leaves_room_on_each_page(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'cases_case'")
        assert "fillfactor=90" in cursor.fetchone()[0]


def test_the_sweeps_supervision_writes_no_index_entry(dispatched):
    case = dispatched()
    [locked] = services.lock_all(Case.objects.unscoped("the test's own case").filter(pk=case.pk))
    locked.supervised = True
    updated, heap_only = _updates()
    services.record_for_system([services.SystemRecord(locked, Action.SUPERVISE, "超期督办", {})], timezone.now())
    assert _updates() == (updated + 1, heap_only + 1)
    assert Case.objects.unscoped("the test's own case").get(pk=case.pk).supervised
