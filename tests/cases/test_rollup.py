"""The dashboard of a district, a street or the whole city sums the day counts cases.rollup keeps;
after every kind of step its figures equal a count of the cases by hand, and they equal the
counts made again from scratch."""

import datetime
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import metrics, rollup, selectors, services, sweep
from cases.models import Case, CaseDayCount, Rating, Status
from core.scope import Scope, scope_for

TODAY = timezone.localdate()
MONTH = metrics.Period(start=TODAY - datetime.timedelta(days=29), end=TODAY)
SERVED = ("leader", "street", "admin")


def _local(moment) -> datetime.date:
    return timezone.localtime(moment).date()


def by_hand(scope, period: metrics.Period) -> dict:
    """The dashboard's figures counted in Python from the cases the scope reads."""
    cases = list(selectors.cases(scope).select_related("category"))
    days = period.days
    reported = [c for c in cases if period.start <= _local(c.created_at) <= period.end]
    closed = [c for c in cases if c.status == "closed" and period.start <= _local(c.closed_at) <= period.end]
    per_category = Counter(c.category.name for c in reported if c.status not in ("rejected", "merged"))
    return {
        "colours": dict(Counter((c.colour, c.status) for c in reported)),
        "daily": {
            "reported": [sum(1 for c in reported if _local(c.created_at) == d) for d in days],
            "closed": [sum(1 for c in closed if _local(c.closed_at) == d) for d in days],
        },
        "categories": sorted(per_category.items(), key=lambda row: (-row[1], row[0]))[:10],
    }


def figures(scope, period: metrics.Period) -> dict:
    return {
        "colours": metrics.by_colour_and_status(scope, period),
        "daily": metrics.daily(scope, period),
        "categories": metrics.top_categories(scope, period),
    }


@pytest.fixture
def check(world):
    """After a step: the figures of each served scope equal the count by hand. The users' own
    scopes (a district, a street, everything) and scopes of a county, a town, two streets, and a
    district with a street inside it."""
    a = world.areas
    scopes = {who: scope_for(world.users[who]) for who in SERVED}
    scopes |= {
        "county": Scope(areas=(a["county"],)),
        "town": Scope(areas=(a["T"],)),
        "two streets": Scope(areas=(a["S1"], a["S2"])),
        "district and a street in it": Scope(areas=(a["district"], a["S1"])),
    }

    def assert_counted(step: str) -> None:
        for name, scope in scopes.items():
            assert rollup.serves(scope), name
            assert figures(scope, MONTH) == by_hand(scope, MONTH), (step, name)

    return assert_counted


def test_the_figures_equal_a_count_after_every_kind_of_step(world, report, dispatched, depts, check):
    u = world.users
    earlier = timezone.now() - datetime.timedelta(days=3)
    first = report(building="A1", at=earlier)
    check("report")
    first = services.accept_case(actor=u["community"], case=first, at=earlier)
    check("accept")
    first = services.resolve_case(actor=u["community"], case=first, feedback="已协调", at=earlier)
    first = services.verify_case(actor=u["grid_a"], case=first, passed=True)
    check("closed days after it was reported")
    first = services.rate_case(case=first, rating=Rating.DISSATISFIED, reopen=True)
    check("rated and reopened: no longer closed")

    services.reject_case(actor=u["community"], case=report(building="B1", by="grid_b"), reason="重复来电")
    check("reject")

    case = dispatched(building="A1", importance="high", urgency="high")
    case = services.sign_case(actor=u["officer"], case=case)
    case = services.resolve_case(actor=u["officer"], case=case, feedback="已清理")
    case = services.verify_case(actor=u["grid_a"], case=case, passed=False, note="仍有杂物")
    check("dispatched, signed, resolved and sent back")
    case = services.resolve_case(actor=u["officer"], case=case, feedback="清理干净")
    services.verify_case(actor=u["grid_a"], case=case, passed=True)
    check("closed by the department")

    services.return_case(actor=u["officer"], case=dispatched(building="B1", by="grid_b"), reason="不属于本部门")
    check("returned")

    kept, duplicate = report(building="A1"), report(building="A1")
    services.merge_case(actor=u["community"], case=duplicate, into=kept)
    check("merged")
    kept = services.correct_case(actor=u["community"], case=kept, importance="high", urgency="high", reason="改判")
    check("colour corrected")
    services.escalate_case(actor=u["community"], case=kept, reason="需街道协调")
    check("escalated")

    report(building="C1", code="livelihood-relief", by="admin")
    report(building="D1", code="dispute-neighbour", by="admin")
    report(building="E1", by="admin")  # the county's and its town's
    check("other places and categories")


def test_a_case_closed_the_morning_after_the_night_it_was_reported_counts_on_both_days(world, report, check):
    u = world.users
    night = timezone.make_aware(datetime.datetime.combine(TODAY - datetime.timedelta(days=1), datetime.time(23, 30)))
    morning = night + datetime.timedelta(hours=1)
    case = report(building="A1", at=night)
    case = services.accept_case(actor=u["community"], case=case, at=night)
    case = services.resolve_case(actor=u["community"], case=case, feedback="已协调", at=morning)
    services.verify_case(actor=u["grid_a"], case=case, passed=True, at=morning)
    check("across midnight")
    trend = metrics.daily(scope_for(u["leader"]), MONTH)
    assert (trend["reported"][-2:], trend["closed"][-2:]) == ([1, 0], [0, 1])


def test_the_sweeps_escalation_is_counted(world, report, check):
    case = services.accept_case(actor=world.users["community"], case=report(code="safety-fire"))
    counts = sweep.sweep_deadlines(now=case.resolution_due + datetime.timedelta(hours=1))
    assert counts["escalated"] == 1
    assert Case.objects.unscoped("the test's own case").get(pk=case.pk).status == Status.WHISTLED
    check("escalated by the sweep")


def test_counting_again_from_scratch_gives_the_same_rows(world, report, dispatched, check):
    report(building="A1")
    services.reject_case(actor=world.users["community"], case=report(building="B1", by="grid_b"), reason="重复")
    dispatched(building="A1")
    report(building="D1", by="admin")

    def counted():  # a day left with nothing (a step can leave zeros) is the same as no row
        rows = CaseDayCount.objects.all()
        return {(r.area_id, r.day): (r.reported, r.categories, r.closed) for r in rows if r.reported or r.closed}

    kept = counted()
    call_command("recount_cases", verbosity=0)
    assert counted() == kept and kept
    check("recounted")


def test_a_request_in_another_time_zone_counts_its_cases(world, report):
    report(building="A1", at=timezone.now() - datetime.timedelta(days=2))
    with timezone.override("UTC"):
        scope = scope_for(world.users["leader"])
        assert not rollup.serves(scope)
        period = metrics.Period(start=timezone.localdate() - datetime.timedelta(days=29), end=timezone.localdate())
        assert figures(scope, period) == by_hand(scope, period)


def test_a_community_or_a_department_counts_its_own_cases(world, report, dispatched):
    report(building="A1")
    dispatched(building="B1", by="grid_b")
    for who in ("community", "officer", "grid_a"):
        scope = scope_for(world.users[who])
        assert not rollup.serves(scope)
        assert figures(scope, MONTH) == by_hand(scope, MONTH), who


# The first table a statement names: quoted, or in a sequence's look-up (PostgreSQL's bulk
# inserts ask for their ids first). Savepoints and the advisory lock name none.
TABLE = re.compile(r"""["']([a-z]+_[a-z]+)["']""")


def _table(sql: str) -> str | None:
    if not sql.startswith(("INSERT", "COPY", "UPDATE", "SELECT", "DELETE")):
        return None
    found = TABLE.search(sql)
    return found[1] if found else None


def _writes(sql: str, table: str) -> bool:
    # Many rows go in by COPY on PostgreSQL, by INSERT elsewhere (core.bulk).
    return sql.startswith(("INSERT INTO ", "COPY ")) and _table(sql) == table


def _at_the_audit_entry(queries) -> tuple[list[str], list[str]]:
    """The statements before the first audit entry's insert, and the tables read or written from
    it on."""
    sqls = [q["sql"] for q in queries]
    first = next(i for i, sql in enumerate(sqls) if _writes(sql, "core_auditentry"))
    return sqls[:first], [table for sql in sqls[first:] if (table := _table(sql))]


def _told(sqls: list[str]) -> bool:
    return any(_writes(sql, "cases_notification") for sql in sqls)


def test_a_step_takes_the_shared_locks_last(world, report, dispatched):
    """Every write waits on the audit chain's lock, and writers on one street's day on its row,
    until whoever holds them commits: a step tells whoever must act first, and then records its
    audit entry and counts its day, and does nothing else after them."""
    case = services.sign_case(actor=world.users["officer"], case=dispatched(building="A1"))
    with CaptureQueriesContext(connection) as step:  # the grid worker is told to verify
        services.resolve_case(actor=world.users["officer"], case=case, feedback="已清理")
    before, after = _at_the_audit_entry(step.captured_queries)
    assert _told(before)
    assert set(after) == {"core_auditentry", "cases_casedaycount", "cases_case"}  # the day's cases counted


def test_the_sweep_tells_before_it_takes_the_shared_locks(world, report):
    case = services.accept_case(actor=world.users["community"], case=report(code="safety-fire"))
    with CaptureQueriesContext(connection) as swept:
        sweep.sweep_deadlines(now=case.resolution_due + datetime.timedelta(hours=1))
    before, _after = _at_the_audit_entry(swept.captured_queries)
    assert _told(before)  # its first pass: the overdue resolution's notices, then its audit entries
