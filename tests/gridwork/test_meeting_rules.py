"""例会制度: a place is due its meeting on the day N months after the last one, overdue the day after;
the most specific rule wins; the due meetings show on the workbench of who holds them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cobuilding import services as cobuilding_services
from cobuilding.models import JointMeeting
from core.scope import SYSTEM, scope_for
from gridwork import selectors, services
from gridwork.models import MeetingKind

HELD = datetime.date(2026, 1, 15)


def _hold(world, grid="A", on=HELD):
    return services.hold_grid_meeting(actor=SYSTEM, grid=world.areas[grid], held_on=on, topic="例会", minutes="纪要")


def _due(world, persona, on, **kwargs):
    return {(d.place.name, d.overdue) for d in selectors.due(scope_for(world.users[persona]), on, **kwargs)}


def test_a_grid_meeting_is_due_at_exactly_the_interval_and_overdue_one_day_past(world):
    services.add_meeting_rule(
        actor=SYSTEM, area=world.areas["A"], kind=MeetingKind.GRID, every_months=1, starts_on=HELD
    )
    _hold(world)
    assert _due(world, "grid_a", datetime.date(2026, 2, 14)) == set()
    assert _due(world, "grid_a", datetime.date(2026, 2, 15)) == {("网格A", False)}
    assert _due(world, "grid_a", datetime.date(2026, 2, 16)) == {("网格A", True)}


def test_a_month_without_the_day_falls_due_on_its_last_day(world):
    services.add_meeting_rule(
        actor=SYSTEM, area=world.areas["A"], kind=MeetingKind.GRID, every_months=1, starts_on=HELD
    )
    _hold(world, on=datetime.date(2026, 1, 31))
    assert _due(world, "grid_a", datetime.date(2026, 2, 27)) == set()
    assert _due(world, "grid_a", datetime.date(2026, 2, 28)) == {("网格A", False)}


def test_a_community_rule_covers_each_of_its_grids_and_a_grids_own_rule_wins(world):
    start = datetime.date(2026, 1, 1)
    services.add_meeting_rule(
        actor=SYSTEM, area=world.areas["K1"], kind=MeetingKind.GRID, every_months=1, starts_on=start
    )
    services.add_meeting_rule(
        actor=SYSTEM, area=world.areas["B"], kind=MeetingKind.GRID, every_months=3, starts_on=start
    )
    # Never met since the rule began: due a month (grid B: three) after it.
    assert _due(world, "community", datetime.date(2026, 2, 1)) == {("网格A", False)}
    assert _due(world, "community", datetime.date(2026, 4, 2)) == {("网格A", True), ("网格B", True)}
    # Each sees only their own grids.
    assert _due(world, "grid_b", datetime.date(2026, 2, 2)) == set()


def test_an_ended_rule_makes_nothing_due(world):
    rule = services.add_meeting_rule(
        actor=SYSTEM, area=world.areas["A"], kind=MeetingKind.GRID, every_months=1, starts_on=HELD
    )
    services.end_meeting_rule(actor=SYSTEM, rule=rule)
    assert _due(world, "grid_a", datetime.date(2026, 6, 1)) == set()


def test_a_community_joint_meeting_falls_due_from_the_last_joint_meeting(world):
    k1 = world.areas["K1"]
    services.add_meeting_rule(actor=SYSTEM, area=k1, kind=MeetingKind.COMMUNITY_JOINT, every_months=3, starts_on=HELD)
    cobuilding_services.record_meeting(
        actor=SYSTEM,
        meeting=JointMeeting(
            level="community", area=k1, held_on=datetime.date(2026, 2, 1), title="联席会", minutes="纪要"
        ),
    )
    assert _due(world, "community", datetime.date(2026, 5, 1)) == {("一社区", False)}
    assert _due(world, "community", datetime.date(2026, 5, 2)) == {("一社区", True)}


def test_a_rule_is_kept_by_the_communitys_staff_once_per_place_and_kind(world):
    with pytest.raises(PermissionDenied):
        services.add_meeting_rule(
            actor=world.users["grid_a"], area=world.areas["A"], kind=MeetingKind.GRID, every_months=1
        )
    services.add_meeting_rule(
        actor=world.users["community"], area=world.areas["A"], kind=MeetingKind.GRID, every_months=1
    )
    with pytest.raises(ValidationError):
        services.add_meeting_rule(
            actor=world.users["community"], area=world.areas["A"], kind=MeetingKind.GRID, every_months=2
        )
    with pytest.raises(ValidationError):
        services.add_meeting_rule(
            actor=world.users["community"], area=world.areas["A"], kind=MeetingKind.COMMUNITY_JOINT, every_months=3
        )


def test_due_meetings_show_on_the_grid_workers_and_the_communitys_workbench(world, client_for):
    long_ago = datetime.date(2025, 1, 1)
    services.add_meeting_rule(
        actor=SYSTEM, area=world.areas["K1"], kind=MeetingKind.GRID, every_months=1, starts_on=long_ago
    )
    services.add_meeting_rule(
        actor=SYSTEM, area=world.areas["K1"], kind=MeetingKind.COMMUNITY_JOINT, every_months=3, starts_on=long_ago
    )
    grid_home = client_for(world.users["grid_a"]).get(reverse("home"))
    item = next(i for p in grid_home.context["panels"] for i in p.items if i.testid == "todo-grid-meetings-due")
    assert (item.count, item.overdue, item.url) == (1, 1, reverse("gridwork:due"))
    community_home = client_for(world.users["community"]).get(reverse("home"))
    joint = next(i for p in community_home.context["panels"] for i in p.items if i.testid == "todo-joint-meetings-due")
    assert (joint.count, joint.overdue) == (1, 1)
    page = client_for(world.users["grid_a"]).get(reverse("gridwork:due")).content.decode()
    assert f'data-testid="due-{world.areas["A"].pk}"' in page and f'data-testid="due-{world.areas["B"].pk}"' not in page


def test_months_are_added_on_the_calendar():
    assert selectors.add_months(datetime.date(2026, 12, 31), 2) == datetime.date(2027, 2, 28)
    assert selectors.add_months(datetime.date(2026, 3, 31), -1) == datetime.date(2026, 2, 28)
    assert selectors.add_months(datetime.date(2028, 1, 29), 1) == datetime.date(2028, 2, 29)
