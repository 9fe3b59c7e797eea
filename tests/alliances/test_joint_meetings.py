"""三级党建联席会议 (seed 000): an alliance's meeting with its committee present, and a decision that
raises a case, a need or a service project in one step, linked both ways."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliances import services
from alliances.models import JointDecision
from cases.models import Case
from cobuilding.models import JointMeeting
from tests.cases.conftest import category

DAY = datetime.date(2026, 10, 8)


@pytest.fixture
def street_meeting(world, alliance, units):
    return services.hold_joint_meeting(
        actor=world.users["street"],
        meeting=JointMeeting(
            alliance=alliance,
            level="street",
            area=world.areas["S1"],
            held_on=DAY,
            title="联盟第一次联席会议",
            minutes="研究老旧小区加装电梯",
        ),
        units=[units["hospital"], units["school"]],
        committee=list(alliance.committee.all()),
    )


def test_an_alliance_meeting_records_units_and_committee_present(world, street_meeting, client_for):
    page = client_for(world.users["street"]).get(reverse("alliances:meeting", args=[street_meeting.pk]))
    assert page.status_code == 200
    assert [c.name for c in page.context["meeting"].committee_present.all()] == ["主任甲"]
    assert {u.name for u in page.context["meeting"].units.all()} == {"医院", "学校"}


def test_a_committee_member_of_another_alliance_is_refused(world, alliance, street_meeting):
    from alliances.models import Alliance, CommitteeMember

    other = services.create_alliance(
        actor=world.users["street"], alliance=Alliance(name="另一联盟", area=world.areas["S1"], founded_on=DAY)
    )
    stranger = services.appoint_to_committee(
        actor=world.users["street"],
        member=CommitteeMember(alliance=other, name="外人", role="member", affiliation="某单位", start=DAY),
    )
    with pytest.raises(ValidationError):
        services.record_committee_attendance(actor=world.users["street"], meeting=street_meeting, committee=[stranger])


def test_a_decision_raising_a_case_links_both_ways(world, street_meeting, client_for):
    decision = services.decide_joint(
        actor=world.users["street"],
        meeting=street_meeting,
        text="三个小区路灯损坏,请城管修复",
        raises=services.Raise.CASE,
        category=category("urban-events-clutter"),
        place=world.areas["A"],
    )
    case = Case.objects.get(pk=decision.case_id)
    assert (case.description, case.area) == ("三个小区路灯损坏,请城管修复", world.areas["A"])
    client = client_for(world.users["street"])
    case_page = client.get(reverse("cases:detail", args=[case.pk]))
    [(label, _name, url)] = case_page.context["origins"]
    assert (label, url) == ("来自党建联席会议议定事项", reverse("alliances:meeting", args=[street_meeting.pk]))
    meeting_page = client.get(url).content.decode()
    assert case.number in meeting_page and 'data-testid="raised-case"' in meeting_page


def test_a_street_meeting_raises_a_need_in_the_community_it_names(world, street_meeting):
    with pytest.raises(ValidationError) as refused:
        services.decide_joint(
            actor=world.users["street"], meeting=street_meeting, text="加装电梯", raises="need", title="加装电梯"
        )
    assert "place" in refused.value.error_dict
    assert not JointDecision.objects.exists()  # all or nothing
    decision = services.decide_joint(
        actor=world.users["street"],
        meeting=street_meeting,
        text="加装电梯",
        raises="need",
        title="加装电梯",
        place=world.areas["K1"],
    )
    assert (decision.need.community, decision.need.title) == (world.areas["K1"], "加装电梯")


def test_a_decision_through_the_page_raises_a_project(world, street_meeting, units, client_for):
    client = client_for(world.users["street"])
    response = client.post(
        reverse("alliances:meeting_decide", args=[street_meeting.pk]),
        {
            "text": "医院每月义诊",
            "raises": "project",
            "title": "每月义诊",
            "place": world.areas["B"].pk,
            "unit": units["hospital"].pk,
        },
    )
    assert response.status_code == 302
    decision = JointDecision.objects.get()
    assert (decision.project.unit, decision.project.title) == (units["hospital"], "每月义诊")


def test_a_street_meeting_is_out_of_a_grid_workers_reach(world, street_meeting, client_for):
    assert (
        client_for(world.users["grid_a"]).get(reverse("alliances:meeting", args=[street_meeting.pk])).status_code == 404
    )
