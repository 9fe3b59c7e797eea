"""Two people acting on one case at the same moment, on PostgreSQL's row locks."""

import threading
import uuid
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection, connections, transaction
from django.utils import timezone

from cases import services
from cases.models import Case, CaseDayCount, Category
from cases.services import CaseConflict
from grids.models import AreaKind
from orgs.models import Role
from tests.factories import AreaFactory, department, user_with_posts
from tests.threads import second_waits_on_first

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def place():
    """Its own small world: a transactional test sees no session data."""
    if not Category.objects.exists():  # an earlier transactional test flushed the seeded rows
        import_module("cases.migrations.0002_categories_and_limits").create(apps, None)
    district = AreaFactory(kind=AreaKind.DISTRICT, name="并发区", code="980199000000")
    street = AreaFactory(kind=AreaKind.STREET, parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, parent=street)
    grid = AreaFactory(kind=AreaKind.GRID, parent=community)
    building = AreaFactory(kind=AreaKind.BUILDING, parent=grid)
    dept = department("城管局", district)
    return {
        "building": building,
        "dept": dept,
        "grid_worker": user_with_posts("c_grid", dict(role=Role.GRID_WORKER, area=grid)),
        "community": user_with_posts("c_comm", dict(role=Role.COMMUNITY_STAFF, area=community)),
        "street": user_with_posts("c_street", dict(role=Role.STREET_STAFF, area=street)),
        "officers": [
            user_with_posts(f"c_officer{i}", dict(role=Role.DEPARTMENT_OFFICER, department=dept)) for i in range(2)
        ],
    }


def at_once(*calls):
    """Runs the calls in threads released together; returns each one's result or exception."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            start.wait()
            results[i] = call()
        except Exception as exc:  # returned to the test; a thread's exception is otherwise lost
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def report(place, **kwargs):
    return services.report_case(
        actor=place["grid_worker"],
        category=Category.objects.get(code="urban-events-clutter"),
        area=place["building"],
        description="占道",
        **kwargs,
    )


def test_two_officers_sign_the_same_case_exactly_one_succeeds(place):
    case = services.whistle_case(case=report(place), actor=place["community"], note="执法")
    case = services.dispatch_case(case=case, actor=place["street"], department=place["dept"])
    results = at_once(*[lambda o=o: services.sign_case(case=case, actor=o) for o in place["officers"]])
    signed = [r for r in results if isinstance(r, Case)]
    refused = [r for r in results if isinstance(r, CaseConflict)]
    assert len(signed) == 1 and len(refused) == 1
    assert "部门办理中" in refused[0].messages[0]
    assert Case.objects.get(pk=case.pk).events.filter(action="sign").count() == 1


def test_a_form_submitted_twice_at_once_makes_one_case(place):
    key = uuid.uuid4()
    results = at_once(lambda: report(place, submission_key=key), lambda: report(place, submission_key=key))
    assert all(isinstance(r, Case) for r in results), results
    assert results[0].pk == results[1].pk
    assert Case.objects.filter(submission_key=key).count() == 1


def test_reports_at_once_get_distinct_consecutive_numbers(place):
    results = at_once(*[lambda: report(place) for _ in range(4)])
    assert all(isinstance(r, Case) for r in results), results
    assert sorted(int(r.number[-4:]) for r in results) == [1, 2, 3, 4]


def test_a_step_locks_only_its_case_not_the_building_or_category(place):
    """Otherwise every case at one building (or of one category) would queue behind one step."""

    from cases.services import _lock
    from grids.models import Area

    case = report(place)
    holding, done = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                _lock(case, {case.status})
                holding.set()
                done.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    try:

        def others():
            with transaction.atomic():
                Area.objects.select_for_update(nowait=True).get(pk=place["building"].pk)
                Category.objects.select_for_update(nowait=True).get(pk=case.category_id)
                return True

        assert at_once(others) == [True]
    finally:
        done.set()
        holder.join()


def test_two_cases_of_one_day_accepted_at_once_are_both_counted(place):
    """The second step counts the day (cases.rollup) only after the first has committed: it waits
    on the audit chain's lock, and then on the day's row, which would order the two on its own.
    Counting at once, it would store the first case as it was before the first step."""
    cases = [report(place), report(place)]
    errors, _waited = second_waits_on_first(
        lambda: services.accept_case(actor=place["community"], case=cases[0]),
        lambda: services.accept_case(actor=place["community"], case=cases[1]),
    )
    assert errors == []
    day = CaseDayCount.objects.get(area=place["building"].parent.parent.parent, day=timezone.localdate())
    assert day.reported == {f"{cases[0].colour}:accepted": 2}
