"""网格例会: a meeting is held by who keeps the grid's work, only the grid's own people are recorded
present, and a decision raises a case, a need or a service project in one step, linked both ways."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from cobuilding import services as cobuilding_services
from cobuilding.models import CoBuildingUnit, Need
from core.models import AuditEntry
from core.scope import SYSTEM
from gridwork import services
from gridwork.models import Decision, GridMeeting
from gridwork.services import Raise
from orgs import services as org_services
from orgs.models import Department, Post, Role
from tests.cases.conftest import category

TODAY = timezone.localdate


def _meeting(world, persona="grid_a", grid="A", **kwargs) -> GridMeeting:
    return services.hold_grid_meeting(
        actor=world.users[persona],
        grid=world.areas[grid],
        held_on=kwargs.pop("held_on", TODAY()),
        topic="本月网格工作",
        minutes="通报走访情况",
        **kwargs,
    )


def _post(world, name, role, area, **kwargs) -> Post:
    return org_services.appoint(
        actor=SYSTEM,
        post=Post(holder_name=name, role=role, area=world.areas[area], start=datetime.date(2025, 1, 1), **kwargs),
    )


def test_a_grid_worker_holds_their_grids_meeting_with_its_own_people(world):
    head = _post(world, "楼栋长甲", Role.BUILDING_HEAD, "A1")
    worker = Post.objects.get(user=world.users["grid_a"])
    meeting = _meeting(world, attendees=[worker, head])
    assert set(meeting.attendees.all()) == {worker, head}
    assert meeting.convener_role == "grid_worker"
    assert AuditEntry.objects.filter(action="meeting.hold", target_id=str(meeting.pk)).exists()


def test_someone_of_another_grid_is_refused_as_an_attendee(world):
    other = Post.objects.get(user=world.users["grid_b"])
    with pytest.raises(ValidationError) as refused:
        _meeting(world, attendees=[other])
    assert "attendees" in refused.value.error_dict
    assert not GridMeeting.objects.exists()


def test_a_post_ended_before_the_meeting_is_refused_as_an_attendee(world):
    head = _post(world, "楼栋长乙", Role.BUILDING_HEAD, "A2")
    org_services.end_post(actor=SYSTEM, post=head, end=TODAY() - datetime.timedelta(days=3))
    with pytest.raises(ValidationError):
        _meeting(world, attendees=[Post.objects.get(pk=head.pk)])
    # Held before the end, it was theirs to attend.
    meeting = _meeting(world, attendees=[head], held_on=TODAY() - datetime.timedelta(days=5))
    assert list(meeting.attendees.all()) == [head]


def test_the_grids_party_branch_committee_may_attend(world):
    secretary = org_services.appoint(
        actor=SYSTEM,
        post=Post(
            holder_name="支部书记", role=Role.SECRETARY, organization=world.orgs["A"], start=datetime.date(2025, 1, 1)
        ),
    )
    meeting = _meeting(world, attendees=[secretary])
    assert list(meeting.attendees.all()) == [secretary]


@pytest.mark.parametrize(("persona", "grid"), [("grid_b", "A"), ("officer", "A"), ("community", "C"), ("sunk", "A")])
def test_a_meeting_outside_ones_grids_is_refused(world, persona, grid):
    with pytest.raises(PermissionDenied):
        _meeting(world, persona=persona, grid=grid)


def test_a_meeting_cannot_be_held_tomorrow(world):
    with pytest.raises(ValidationError):
        _meeting(world, held_on=TODAY() + datetime.timedelta(days=1))


def test_a_decision_raising_a_case_links_both_ways(world, client_for):
    meeting = _meeting(world)
    decision = services.decide(
        actor=world.users["grid_a"],
        meeting=meeting,
        text="楼道堆放杂物,上报处理",
        raises=Raise.CASE,
        category=category("urban-events-clutter"),
    )
    case = Case.objects.get(pk=decision.case_id)
    assert case.area == world.areas["A"] and case.description == "楼道堆放杂物,上报处理"
    assert case.meeting_decision == decision
    client = client_for(world.users["grid_a"])
    case_page = client.get(reverse("cases:detail", args=[case.pk]))
    assert reverse("gridwork:meeting", args=[meeting.pk]) in case_page.content.decode()
    meeting_page = client.get(reverse("gridwork:meeting", args=[meeting.pk])).content.decode()
    assert reverse("cases:detail", args=[case.pk]) in meeting_page and case.number in meeting_page


def test_a_case_page_names_the_meeting_only_to_who_may_see_the_meeting(world, client_for):
    meeting = _meeting(world)
    decision = services.decide(
        actor=world.users["grid_a"],
        meeting=meeting,
        text="占道",
        raises=Raise.CASE,
        category=category("urban-events-clutter"),
    )
    case = case_services.whistle_case(case=decision.case, actor=world.users["community"], note="需要执法")
    case_services.dispatch_case(
        case=case, actor=world.users["street"], department=Department.objects.get(name="城管局")
    )
    page = client_for(world.users["officer"]).get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    assert reverse("gridwork:meeting", args=[meeting.pk]) not in page.content.decode()


def test_a_refused_case_leaves_no_decision(world):
    meeting = _meeting(world)
    with pytest.raises(ValidationError):
        services.decide(actor=world.users["grid_a"], meeting=meeting, text="x", raises=Raise.CASE)
    assert not Decision.objects.exists() and not Case.objects.exists()


def test_community_staff_raise_a_need_from_a_decision_and_the_need_page_names_the_meeting(world, client_for):
    meeting = _meeting(world)
    decision = services.decide(
        actor=world.users["community"], meeting=meeting, text="需要老年活动室", raises=Raise.NEED, title="老年活动室"
    )
    need = Need.objects.get(pk=decision.need_id)
    assert need.community == world.areas["K1"] and need.description == "需要老年活动室"
    page = client_for(world.users["community"]).get(reverse("cobuilding:need", args=[need.pk]))
    assert reverse("gridwork:meeting", args=[meeting.pk]) in page.content.decode()


def test_a_grid_worker_may_not_raise_a_need(world):
    meeting = _meeting(world)
    with pytest.raises(PermissionDenied):
        services.decide(actor=world.users["grid_a"], meeting=meeting, text="x", raises=Raise.NEED, title="x")
    assert not Need.objects.exists() and not Decision.objects.exists()


def test_a_decision_starts_a_service_project(world):
    unit = cobuilding_services.register_unit(
        actor=SYSTEM, unit=CoBuildingUnit(name="区医院", kind="institution", community=world.areas["K1"])
    )
    decision = services.decide(
        actor=world.users["community"],
        meeting=_meeting(world),
        text="请区医院开展义诊",
        raises=Raise.PROJECT,
        title="健康义诊",
        unit=unit,
    )
    assert decision.project.unit == unit and decision.project.meeting_decision == decision


def test_the_meeting_pages_hold_record_attendance_and_decide(world, client_for):
    client = client_for(world.users["grid_a"])
    held = client.post(
        reverse("gridwork:meeting_create"),
        {"grid": world.areas["A"].pk, "held_on": TODAY().isoformat(), "topic": "例会", "minutes": "纪要"},
    )
    meeting = GridMeeting.objects.get()
    assert held.status_code == 302 and held.url == reverse("gridwork:meeting", args=[meeting.pk])
    worker = Post.objects.get(user=world.users["grid_a"])
    form = client.get(reverse("gridwork:meeting_attendance", args=[meeting.pk])).content.decode()
    assert f'value="{worker.pk}"' in form
    assert f'value="{Post.objects.get(user=world.users["grid_b"]).pk}"' not in form
    client.post(reverse("gridwork:meeting_attendance", args=[meeting.pk]), {"attendees": [worker.pk]})
    client.post(reverse("gridwork:meeting_decide", args=[meeting.pk]), {"text": "加强巡查", "raises": ""})
    page = client.get(reverse("gridwork:meeting", args=[meeting.pk])).content.decode()
    assert "加强巡查" in page and worker.holder_name in page
