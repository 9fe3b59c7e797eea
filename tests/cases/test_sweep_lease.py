"""The deadline sweep runs once however many beat schedulers start it: each run takes the
`sweep-case-deadlines` lease (core.leases), and a run that finds it held skips, saying so."""

import datetime
import logging
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cases import services, tasks
from cases.models import Case, CaseAlert, Category
from core.leases import lease
from core.models import Lease
from tests.faults.places import small_district

SKIPPED = "deadline sweep skipped: another sweep holds the lease"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def late_case():
    """A case reported a month ago and never answered: past its reminder, so the sweep reads it."""
    place = small_district("980203000000")
    return services.report_case(
        actor=place["grid_worker"],
        category=Category.objects.get(code="safety-fire"),
        area=place["building"],
        description="消防通道被堵",
        at=timezone.now() - datetime.timedelta(days=30),
    )


def _skips(caplog) -> int:
    return sum(SKIPPED in record.getMessage() for record in caplog.records)


def test_a_sweep_skips_while_another_holds_the_lease_and_runs_after(late_case, caplog):
    caplog.set_level(logging.INFO, logger="cases.tasks")
    with lease("sweep-case-deadlines", seconds=60) as mine:
        assert mine
        assert tasks.sweep_deadlines() is None
        assert not CaseAlert.objects.filter(case=late_case).exists()
    assert _skips(caplog) == 1
    counts = tasks.sweep_deadlines()
    assert counts["overdue"] == 1 and CaseAlert.objects.filter(case=late_case).exists()
    assert _skips(caplog) == 1


def test_a_lease_whose_holder_died_is_taken_when_it_runs_out(late_case):
    with lease("sweep-case-deadlines", seconds=60):
        # Ran out a second ago: SQLite's clock, which the lease reads, counts whole seconds.
        ran_out = timezone.now() - datetime.timedelta(seconds=1)
        Lease.objects.filter(name="sweep-case-deadlines").update(held_until=ran_out)
        assert tasks.sweep_deadlines()["overdue"] == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="holds a row lock to keep the first sweep running")
def test_two_sweeps_started_together_one_runs_and_one_skips(late_case, caplog):
    caplog.set_level(logging.INFO, logger="cases.tasks")
    results = {}

    def sweep(name):
        try:
            results[name] = tasks.sweep_deadlines()
        finally:
            connection.close()

    with transaction.atomic():
        # The first sweep takes the lease, then waits on this case's row lock, still holding it.
        Case.objects.unscoped("the test holds the case the sweep will lock").select_for_update().get(pk=late_case.pk)
        first = threading.Thread(target=sweep, args=["first"])
        first.start()
        deadline = time.monotonic() + 30
        while not Lease.objects.filter(held_until__gt=timezone.now()).exists():
            assert time.monotonic() < deadline, "the first sweep never took the lease"
            time.sleep(0.05)
        second = threading.Thread(target=sweep, args=["second"])
        second.start()
        second.join(30)
    first.join(30)
    assert results["second"] is None and _skips(caplog) == 1
    assert results["first"]["overdue"] == 1
    assert CaseAlert.objects.filter(case=late_case).count() == 1
