"""A service request: its deadline from the item's time limit in working days, overdue past it
(not at it), each step by the station's staff with its audit entry, and the yearly counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEntry
from core.scope import scope_for
from hall import selectors, services
from hall.models import ServiceRequest, Status
from orgs.models import Role
from tests.factories import user_with_posts
from tests.hall.conftest import at


def test_the_deadline_skips_the_weekend(receive):
    # Friday: one working day is Monday's, to its end.
    made = receive(days=1, received_at=at(2026, 11, 6, 16, 30))
    assert made.due_at == at(2026, 11, 9, 23, 59, 59)
    assert not made.due_provisional


def test_the_deadline_skips_the_national_holiday_and_counts_its_make_up_saturday(receive):
    # 30 Sep 2026: 1–7 Oct are off; 8 Thu, 9 Fri, 10 Sat (调休 working day), 12 Mon, 13 Tue.
    made = receive(days=5, received_at=at(2026, 9, 30, 10))
    assert made.due_at == at(2026, 10, 13, 23, 59, 59)


def test_a_request_is_not_overdue_at_its_limit_and_is_one_working_day_past(receive):
    made = receive(days=3, received_at=at(2026, 11, 2, 9))  # Monday → due Thursday's end
    assert made.due_at == at(2026, 11, 5, 23, 59, 59)
    assert not made.overdue(now=made.due_at)
    assert made.overdue(now=at(2026, 11, 6, 9))


def test_finished_at_the_limit_is_on_time_and_a_working_day_later_is_late(world, receive):
    on_time = receive(days=3, received_at=at(2026, 11, 2, 9))
    late = receive(days=3, received_at=at(2026, 11, 2, 9))
    actor = world.users["community"]
    on_time = services.complete_request(actor=actor, request=on_time, finished_at=at(2026, 11, 5, 23, 59, 59))
    late = services.complete_request(actor=actor, request=late, finished_at=at(2026, 11, 6, 10))
    assert not on_time.overdue()
    assert late.overdue()


def test_the_station_staff_receive_hand_over_and_complete_with_audit(world, receive):
    window = services.open_windows(actor=world.users["community"], community=world.areas["K1"])
    made = receive(days=5, household=world.households["A1"])
    assert made.building == world.areas["A1"]
    assert made.window.kind == made.item.window  # the item's window of this station
    colleague = user_with_posts("k1_window", dict(role=Role.COMMITTEE_MEMBER, area=world.areas["K1"]))
    handed = services.assign_request(actor=world.users["community"], request=made, handler=colleague)
    assert (handed.status, handed.handler) == (Status.ASSIGNED, colleague)
    assert selectors.to_dos(scope_for(colleague), colleague)["mine"]["count"] == 1
    done = services.complete_request(actor=colleague, request=handed, result="已发放优待卡")
    assert done.status == Status.DONE and done.finished_at is not None
    actions = list(
        AuditEntry.objects.filter(target_id=str(made.pk), action__startswith="service_request")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["service_request.receive", "service_request.assign", "service_request.complete"]
    assert len(window) == 4


def test_the_handler_must_serve_at_the_requests_station(world, receive):
    made = receive()
    with pytest.raises(ValidationError) as refused:
        services.assign_request(actor=world.users["community"], request=made, handler=world.users["grid_a"])
    assert "handler" in refused.value.error_dict


def test_a_refusal_needs_its_reason_and_ends_the_request(world, receive):
    made = receive()
    with pytest.raises(ValidationError):
        services.refuse_request(actor=world.users["community"], request=made, reason="  ")
    refused = services.refuse_request(actor=world.users["community"], request=made, reason="不符合条件:未满70周岁")
    assert refused.status == Status.REFUSED
    with pytest.raises(ValidationError):
        services.complete_request(actor=world.users["community"], request=refused)


@pytest.mark.parametrize("persona", ["grid_a", "street", "officer", "district"])
def test_only_the_communitys_own_staff_receive_there(world, receive, persona):
    with pytest.raises(PermissionDenied):
        receive(persona=persona)
    assert not ServiceRequest.objects.exists()


def test_staff_of_one_community_cannot_act_on_anothers(world, receive):
    made = receive(community="K4", persona="admin")
    with pytest.raises(PermissionDenied):
        services.complete_request(actor=world.users["community"], request=made)


def test_the_list_is_scoped_a_grid_worker_sees_their_buildings(world, receive):
    at_a1 = receive(building=world.areas["A1"])
    at_b1 = receive(building=world.areas["B1"])
    walk_in = receive()
    assert set(selectors.requests(scope_for(world.users["community"]))) == {at_a1, at_b1, walk_in}
    assert set(selectors.requests(scope_for(world.users["grid_a"]))) == {at_a1}
    assert not selectors.requests(scope_for(world.users["officer"])).exists()


def test_handled_by_counts_each_persons_finished_requests_of_the_year(world, receive):
    me = world.users["community"]
    other = user_with_posts("k1_other", dict(role=Role.COMMUNITY_STAFF, area=world.areas["K1"]))
    for when in [at(2025, 12, 31, 23), at(2026, 1, 1, 0, 30), at(2026, 6, 1, 10)]:
        made = receive(received_at=when - datetime.timedelta(hours=1))
        services.complete_request(actor=me, request=made, finished_at=when)
    refused = receive(received_at=at(2026, 3, 2, 9))
    services.refuse_request(actor=other, request=refused, reason="材料不全", finished_at=at(2026, 3, 2, 10))
    receive()  # still open: not handled
    assert selectors.handled_by([me.pk, other.pk, world.users["grid_a"].pk], 2026) == {
        me.pk: 2,
        other.pk: 1,
        world.users["grid_a"].pk: 0,
    }
    assert selectors.handled_by([me.pk], 2025) == {me.pk: 1}
