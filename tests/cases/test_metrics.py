"""Metrics on the constructed week of tests/cases/conftest.py (`week`), every expected figure
counted by hand. Default weights: response 0.2, resolution 0.2, satisfaction 0.3, on-time 0.2,
rework 0.1."""

from decimal import Decimal

import pytest

from cases import metrics
from cases.models import Metric, MetricWeight
from cases.templatetags.case_figures import percent
from core.scope import SYSTEM, scope_for
from orgs import services as org_services
from orgs.models import Post, Role, Slot
from tests.cases.conftest import WEEK


def _by_name(rows):
    return {r.name: r for r in rows}


def _ranking(world, who, unit):
    return metrics.ranking(scope_for(world.users[who]), WEEK, unit, weights=metrics.weights())


def test_department_figures_are_the_hand_counted_ones(world, week):
    rows = _ranking(world, "leader", "department")
    assert [r.name for r in rows] == ["民政局", "城管局"]
    chengguan = _by_name(rows)["城管局"]
    assert chengguan.tally == metrics.Tally(
        reported=4, dispatched=3, responded=1, due=3, closed=2, on_time=1, rated=2, satisfied=1, basic=1, verified=3,
        reworked=1,
    )  # fmt: skip
    assert chengguan.rates == {
        Metric.RESPONSE: Decimal("0.3333"),
        Metric.RESOLUTION: Decimal("0.6667"),
        Metric.SATISFACTION: Decimal("0.9500"),
        Metric.ON_TIME: Decimal("0.3333"),
        Metric.REWORK: Decimal("0.3333"),
    }
    # .2×.3333 + .2×.6667 + .3×.95 + .2×.3333 + .1×(1 − .3333) = .61833
    assert chengguan.composite == Decimal("61.8")
    minzheng = _by_name(rows)["民政局"]
    assert minzheng.rates == {
        Metric.RESPONSE: Decimal("1.0000"),
        Metric.RESOLUTION: Decimal("1.0000"),
        Metric.SATISFACTION: Decimal("0.0000"),
        Metric.ON_TIME: Decimal("1.0000"),
        Metric.REWORK: Decimal("0.0000"),
    }
    assert minzheng.composite == Decimal("70.0")


def test_community_figures_leave_out_rejected_and_other_weeks(world, week):
    rows = _ranking(world, "leader", "community")
    assert [r.name for r in rows] == ["一社区", "二社区", "三社区"]
    k1, k2, k3 = rows
    assert k1.tally == metrics.Tally(
        reported=4, dispatched=3, responded=1, due=4, closed=3, on_time=2, rated=3, satisfied=2, basic=1, verified=4,
        reworked=1,
    )  # fmt: skip
    assert k1.rates[Metric.SATISFACTION] == Decimal("0.9667")  # (2 + 0.9) / 3
    assert k1.composite == Decimal("68.2")  # .06666 + .15 + .29001 + .1 + .075
    # Case 9, accepted and past its deadline, is due but not closed.
    assert (k2.tally.due, k2.tally.closed, k2.composite) == (2, 1, Decimal("50.0"))
    # Nothing of case 8 is due yet: reported, and nothing to score.
    assert k3.tally == metrics.Tally(reported=1)
    assert k3.composite is None and set(k3.rates.values()) == {None}


def test_street_figures_add_up_their_communities(world, week):
    rows = _by_name(_ranking(world, "leader", "street"))
    communities = _by_name(_ranking(world, "leader", "community"))
    assert rows["一街道"].tally == communities["一社区"].tally + communities["二社区"].tally
    assert rows["二街道"].tally == communities["三社区"].tally


def test_a_grid_worker_is_scored_on_the_sum_of_their_grids(world, week):
    rows = _ranking(world, "leader", "grid_worker")
    assert [r.name for r in rows] == ["world_grid_a", "world_grid_b"]
    grid_a, grid_b = rows
    assert grid_a.rates[Metric.RESPONSE] == Decimal("0.5000")
    assert grid_a.rates[Metric.ON_TIME] == Decimal("0.6667")
    assert grid_a.composite == Decimal("79.8")  # .1 + .2 + .13334 + .29001 + .075
    # No ratings or verifications in grid B: scored on response, resolution and on-time alone.
    assert grid_b.rates[Metric.SATISFACTION] is None
    assert grid_b.composite == Decimal("0.0")

    org_services.appoint(
        actor=SYSTEM,
        post=Post(
            user=world.users["grid_a"], role=Role.GRID_WORKER, area=world.areas["B"], slot=Slot.B, start=WEEK.start
        ),
    )
    org_services.appoint(
        actor=SYSTEM,
        post=Post(holder_name="兼职甲", role=Role.GRID_WORKER_PART_TIME, area=world.areas["C"], start=WEEK.start),
    )
    rows = _by_name(_ranking(world, "leader", "grid_worker"))
    assert rows["world_grid_a"].tally == grid_a.tally + grid_b.tally
    assert rows["兼职甲"].key < 0  # no log-in: ranked as the post
    assert rows["兼职甲"].tally.reported == 2  # cases 4 and 9


def test_weights_come_from_the_configuration(world, week):
    MetricWeight.objects.filter(metric=Metric.SATISFACTION).update(weight=0)
    chengguan = _by_name(_ranking(world, "leader", "department"))["城管局"]
    # (.06666 + .13334 + .06666 + .06667) / .7
    assert chengguan.composite == Decimal("47.6")


def test_a_rate_with_nothing_to_count_is_left_out_of_the_composite():
    tally = metrics.Tally(reported=3, dispatched=2, responded=1)
    assert tally.rates[Metric.RESPONSE] == Decimal("0.5000")
    assert tally.rates[Metric.RESOLUTION] is None
    assert tally.composite({Metric.RESPONSE: Decimal("0.2"), Metric.RESOLUTION: Decimal("0.8")}) == Decimal("50.0")
    assert metrics.Tally().composite({Metric.RESPONSE: Decimal("1")}) is None


@pytest.mark.parametrize(
    ("who", "unit", "expected"),
    [
        # Community staff of K1 see the departments as they work in K1 only.
        ("community", "department", {"城管局": 3}),
        ("street", "community", {"一社区": 4, "二社区": 2}),
        ("officer", "department", {"城管局": 4}),
        ("officer", "community", {"一社区": 3, "三社区": 1}),
        ("officer_mz", "department", {"民政局": 1}),
        ("grid_b", "grid_worker", {"world_grid_b": 1}),
    ],
)
def test_figures_are_counted_within_the_callers_scope(world, week, who, unit, expected):
    assert {r.name: r.tally.reported for r in _ranking(world, who, unit)} == expected


def test_dashboard_counts(world, week):
    scope = scope_for(world.users["leader"])
    assert metrics.by_colour_and_status(scope, WEEK) == {
        ("red", "closed"): 3,
        ("blue", "closed"): 1,
        ("red", "dispatched"): 2,
        ("red", "rejected"): 1,
        ("red", "accepted"): 1,
    }
    assert metrics.daily(scope, WEEK) == {"reported": [6, 1, 0, 1, 0, 0, 0], "closed": [1, 2, 1, 0, 0, 0, 0]}
    top = metrics.top_categories(scope, WEEK)
    assert top[0] == ("乱堆乱放", 5)
    assert set(top[1:]) == {("困难救助", 1), ("邻里纠纷", 1)}
    # Overdue is now, whatever the week: case 3 at 城管局; cases 7 (never accepted) and 9 with communities.
    assert set(metrics.overdue_by_department(scope)) == {("城管局", 1), (None, 2)}


def test_dashboard_counts_stay_in_scope(world, week):
    scope = scope_for(world.users["officer_mz"])
    assert metrics.by_colour_and_status(scope, WEEK) == {("red", "closed"): 1}
    assert metrics.overdue_by_department(scope) == []


def test_a_rate_is_shown_as_a_percentage_rounded_half_up_like_the_composite():
    assert metrics.points(Decimal("0.1225")) == Decimal("12.3")
    assert percent(Decimal("0.1225")) == "12.3%"
    assert percent(None) == "—"
