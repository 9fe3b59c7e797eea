"""A district's dashboard reads the day counts of cases.rollup: after cases were written past the
services (a repair by hand, a loader) and counted again, they equal a count by hand, at both ends of
local days."""

import datetime

from cases import metrics, services
from cases.models import Case, Status
from core.scope import SYSTEM, scope_for
from tests.cases.conftest import WEEK, at


def test_closed_per_day_equals_a_count_of_the_closed_cases(world, report):
    made = [report(building=b, by="admin") for b in ["A1", "B1", "C1", "D1", "A1", "B1"]]
    cases = Case.objects.unscoped("test data")
    for i, case in enumerate(made):
        closed = at(2026, 11, 2 + i % 4, 23 if i % 2 else 0, 30)  # both ends of local days
        cases.filter(pk=case.pk).update(status=Status.CLOSED if i != 5 else Status.RESOLVED, closed_at=closed)
    services.recount_case_days(actor=SYSTEM)
    leader = scope_for(world.users["leader"])
    figures = metrics.daily(leader, WEEK)["closed"]
    district = world.areas["district"]
    by_hand = [
        sum(
            1
            for c in cases.filter(district=district)
            if c.status == Status.CLOSED and c.closed_at.astimezone(at(2026, 1, 1).tzinfo).date() == day
        )
        for day in WEEK.days
    ]
    assert figures == by_hand
    assert sum(figures) == 5 and by_hand[:4] == [2, 1, 1, 1]
    assert len(figures) == (WEEK.end - WEEK.start).days + 1 == 7
    assert WEEK.start == datetime.date(2026, 11, 2)
