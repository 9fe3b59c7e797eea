"""The co-building back office (cobuilding/backoffice.py): community staff keep their community's
units, agreements, points ledger and shared resources, street staff their street's; seed 001's
rule that a unit under 60 points neither lists nor books shared resources, said on the page."""

import datetime

import pytest
from django.urls import reverse

from cobuilding import services
from cobuilding.models import (
    Agreement,
    CoBuildingUnit,
    JointMeeting,
    Need,
    NeedDirection,
    NeedStatus,
    ProjectStatus,
    Rating,
    ResourceBooking,
    ServiceProject,
    SharedResource,
    UnitPoints,
)
from core.models import AuditEntry
from core.scope import SYSTEM

DAY = datetime.date(2026, 10, 1)


@pytest.fixture
def far_unit(world):
    """A unit of 三社区 (K3, street S2): neither the community's nor the street's."""
    return services.register_unit(
        actor=SYSTEM, unit=CoBuildingUnit(name="远方单位", kind="enterprise", community=world.areas["K3"])
    )


def _resource(unit, name="会议室"):
    return services.list_resource(
        actor=SYSTEM,
        resource=SharedResource(community=unit.community, unit=None, kind="venue", name=name, pricing="free"),
    )


def _award(unit, points):
    return services.award_unit_points(actor=SYSTEM, unit=unit, on=DAY, points=points, reason="考核")


# Who may -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "own", "neighbour"),
    [("community", "hospital", "school"), ("street", "school", "far")],
)
@pytest.mark.parametrize("route", ["unit", "unit_edit", "unit_points", "unit_correct_points", "unit_history"])
def test_each_role_opens_its_own_units_pages_and_not_a_neighbours(
    world, units, far_unit, client_for, persona, own, neighbour, route
):
    client = client_for(world.users[persona])
    pick = {**units, "far": far_unit}
    assert client.get(reverse(f"cobuilding:{route}", args=[pick[own].pk])).status_code == 200
    assert client.get(reverse(f"cobuilding:{route}", args=[pick[neighbour].pk])).status_code == 404


@pytest.mark.parametrize("persona", ["grid_a", "district", "leader", "officer"])
def test_a_role_without_the_community_work_cannot_write_and_nothing_changes(world, units, client_for, persona):
    client = client_for(world.users[persona])
    hospital = units["hospital"]
    posted = client.post(
        reverse("cobuilding:unit_points", args=[hospital.pk]), {"on": "2026-10-01", "points": "5", "reason": "x"}
    )
    assert posted.status_code == 404
    created = client.post(
        reverse("cobuilding:unit_create"), {"name": "新单位", "kind": "enterprise", "community": hospital.community_id}
    )
    assert created.status_code == 404
    ended = client.post(
        reverse("cobuilding:unit_end", args=[hospital.pk]), {"ended_on": "2026-10-01", "end_reason": "撤离"}
    )
    assert ended.status_code == 404
    assert not UnitPoints.objects.exists()
    assert not CoBuildingUnit.objects.filter(name="新单位").exists()
    hospital.refresh_from_db()
    assert hospital.ended_on is None


def test_community_staff_cannot_register_a_unit_in_the_neighbouring_community(world, client_for):
    response = client_for(world.users["community"]).post(
        reverse("cobuilding:unit_create"), {"name": "新单位", "kind": "enterprise", "community": world.areas["K2"].pk}
    )
    assert response.status_code == 400
    assert not CoBuildingUnit.objects.filter(name="新单位").exists()


# Units and agreements --------------------------------------------------------------------------


def test_community_staff_register_edit_and_end_a_unit_with_its_agreement(world, client_for):
    client = client_for(world.users["community"])
    response = client.post(
        reverse("cobuilding:unit_create"),
        {"name": "新单位", "kind": "enterprise", "community": world.areas["K1"].pk, "credit_code": ""},
    )
    unit = CoBuildingUnit.objects.unscoped("test").get(name="新单位")
    assert response.status_code == 302 and response["Location"] == reverse("cobuilding:unit", args=[unit.pk])

    client.post(reverse("cobuilding:unit_edit", args=[unit.pk]), {"name": "新单位(更名)", "kind": "agency"})
    unit.refresh_from_db()
    assert (unit.name, unit.kind, unit.community_id) == ("新单位(更名)", "agency", world.areas["K1"].pk)

    signed = client.post(
        reverse("cobuilding:unit_agreement", args=[unit.pk]),
        {"signed_on": "2026-01-01", "valid_until": "2028-12-31", "content": "共建文明小区"},
    )
    assert signed.status_code == 302
    agreement = Agreement.objects.unscoped("test").get(unit=unit)
    page = client.get(reverse("cobuilding:unit", args=[unit.pk])).content.decode()
    assert "共建文明小区" in page and "有效" in page

    client.post(reverse("cobuilding:unit_end", args=[unit.pk]), {"ended_on": "2026-10-01", "end_reason": "单位搬迁"})
    unit.refresh_from_db()
    agreement.refresh_from_db()
    assert unit.ended_on == DAY and unit.end_reason == "单位搬迁"
    assert agreement.ended_on == DAY and not agreement.in_force(DAY)
    page = client.get(reverse("cobuilding:unit", args=[unit.pk])).content.decode()
    assert 'data-testid="ended"' in page and "已解除" in page
    # Ended: kept, but no longer edited or ended again.
    assert client.get(reverse("cobuilding:unit_edit", args=[unit.pk])).status_code == 404
    actions = {e.action for e in AuditEntry.objects.filter(target_id=str(unit.pk))}
    assert {"cobuilding.register_unit", "cobuilding.update_unit", "cobuilding.end_unit"} <= actions


def test_an_agreement_is_ended_before_it_runs_out_and_stays_on_the_page(world, units, client_for):
    hospital = units["hospital"]
    agreement = services.sign_agreement(
        actor=SYSTEM,
        agreement=Agreement(
            unit=hospital,
            community=hospital.community,
            signed_on=DAY,
            valid_until=DAY.replace(year=2029),
            content="义诊",
        ),
    )
    client = client_for(world.users["street"])
    early = client.post(
        reverse("cobuilding:unit_end_agreement", args=[hospital.pk]),
        {"agreement": agreement.pk, "ended_on": "2026-01-01", "end_reason": "提前解除"},
    )
    assert early.status_code == 400 and "解除日期不能早于签订日期" in early.content.decode()
    client.post(
        reverse("cobuilding:unit_end_agreement", args=[hospital.pk]),
        {"agreement": agreement.pk, "ended_on": "2026-11-01", "end_reason": "双方协商"},
    )
    agreement.refresh_from_db()
    assert agreement.ended_on == datetime.date(2026, 11, 1)
    assert agreement.in_force(datetime.date(2026, 10, 31)) and not agreement.in_force(datetime.date(2026, 11, 1))
    assert "双方协商" in client.get(reverse("cobuilding:unit", args=[hospital.pk])).content.decode()


# The points ledger -----------------------------------------------------------------------------


def test_points_are_awarded_with_a_reason_and_corrected_by_a_counter_entry(world, units, client_for):
    client = client_for(world.users["community"])
    hospital = units["hospital"]
    client.post(
        reverse("cobuilding:unit_points", args=[hospital.pk]),
        {"on": "2026-10-01", "points": "30", "reason": "志愿服务"},
    )
    wrong = UnitPoints.objects.get(unit=hospital)
    assert (wrong.points, wrong.reason) == (30, "志愿服务")

    response = client.post(
        reverse("cobuilding:unit_correct_points", args=[hospital.pk]),
        {"entry": wrong.pk, "points": "3", "on": "2026-10-02", "reason": "录入错误"},
    )
    assert response.status_code == 302
    wrong.refresh_from_db()
    counter = UnitPoints.objects.get(corrects=wrong)
    assert wrong.points == 30  # the wrong entry stays as it was written
    assert (counter.points, counter.reason, counter.on) == (-27, "录入错误", datetime.date(2026, 10, 2))
    page = client.get(reverse("cobuilding:unit", args=[hospital.pk]))
    assert page.context["unit"].point_total == 3
    assert "更正 2026-10-01 +30" in page.content.decode()

    # Once: neither the corrected entry nor the counter-entry is offered again, and a post is refused.
    form = client.get(reverse("cobuilding:unit_correct_points", args=[hospital.pk])).context["form"]
    assert list(form.fields["entry"].queryset) == []
    again = client.post(
        reverse("cobuilding:unit_correct_points", args=[hospital.pk]),
        {"entry": wrong.pk, "points": "5", "on": "2026-10-03", "reason": "再改"},
    )
    assert again.status_code == 400
    assert UnitPoints.objects.filter(unit=hospital).count() == 2


def test_a_correction_to_the_same_value_is_refused_with_the_field_named(world, units, client_for):
    entry = _award(units["hospital"], 10)
    response = client_for(world.users["community"]).post(
        reverse("cobuilding:unit_correct_points", args=[units["hospital"].pk]),
        {"entry": entry.pk, "points": "10", "on": "2026-10-02", "reason": "无"},
    )
    assert response.status_code == 400
    assert 'data-testid="error-points"' in response.content.decode()
    assert not UnitPoints.objects.filter(corrects=entry).exists()


# Under 60 points: no listing, no booking ---------------------------------------------------------


def test_a_unit_under_60_points_cannot_list_a_resource_and_the_page_says_why(world, units, client_for):
    hospital = units["hospital"]
    _award(hospital, 45)
    client = client_for(world.users["community"])
    response = client.post(
        reverse("cobuilding:resource_create"),
        {
            "community": hospital.community_id,
            "unit": hospital.pk,
            "kind": "parking",
            "name": "车位",
            "pricing": "low_cost",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "医院当前积分45分,低于60分" in page and "不能发布或预约共享资源" in page
    assert not SharedResource.objects.unscoped("test").filter(name="车位").exists()
    # The unit's own page says it too.
    unit_page = client.get(reverse("cobuilding:unit", args=[hospital.pk])).content.decode()
    assert 'data-testid="sharing-refusal"' in unit_page and "当前积分45分" in unit_page

    _award(hospital, 15)  # back at 60
    response = client.post(
        reverse("cobuilding:resource_create"),
        {
            "community": hospital.community_id,
            "unit": hospital.pk,
            "kind": "parking",
            "name": "车位",
            "pricing": "low_cost",
        },
    )
    assert response.status_code == 302
    assert SharedResource.objects.unscoped("test").filter(name="车位", unit=hospital).exists()
    assert (
        'data-testid="sharing-refusal"'
        not in client.get(reverse("cobuilding:unit", args=[hospital.pk])).content.decode()
    )


def test_a_unit_under_60_points_cannot_book_a_resource_until_it_is_back(world, units, client_for):
    hospital = units["hospital"]
    room = _resource(hospital)
    _award(hospital, 70)
    _award(hospital, -11)  # 59
    client = client_for(world.users["community"])
    booking = {"unit": hospital.pk, "on": "2026-10-08", "purpose": "党日活动"}
    response = client.post(reverse("cobuilding:resource_book", args=[room.pk]), booking)
    assert response.status_code == 400
    assert "医院当前积分59分,低于60分" in response.content.decode()
    assert not ResourceBooking.objects.exists()

    _award(hospital, 1)
    assert client.post(reverse("cobuilding:resource_book", args=[room.pk]), booking).status_code == 302
    made = ResourceBooking.objects.unscoped("test").get()
    assert (made.resource, made.unit, made.on, made.purpose) == (room, hospital, datetime.date(2026, 10, 8), "党日活动")
    assert "党日活动" in client.get(reverse("cobuilding:resource", args=[room.pk])).content.decode()
    # One booking a day.
    again = client.post(reverse("cobuilding:resource_book", args=[room.pk]), {**booking, "unit": units["shop"].pk})
    assert again.status_code == 400 and "该日已被预约" in again.content.decode()


def test_a_unit_not_scored_yet_shares_but_one_scored_below_the_line_does_not(world, units):
    assert services.sharing_refusal(units["shop"]) == ""
    _award(units["shop"], 10)
    assert "当前积分10分" in services.sharing_refusal(units["shop"])


def test_a_unit_of_another_community_cannot_book_here(world, units, client_for):
    room = _resource(units["hospital"])
    response = client_for(world.users["street"]).post(
        reverse("cobuilding:resource_book", args=[room.pk]),
        {"unit": units["school"].pk, "on": "2026-10-08", "purpose": "活动"},
    )
    assert response.status_code == 400
    assert not ResourceBooking.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("community", 404), ("street", 200)])
def test_a_resource_of_the_neighbouring_community_is_the_streets_not_the_communitys(
    world, units, client_for, persona, status
):
    room = _resource(units["school"])
    client = client_for(world.users[persona])
    assert client.get(reverse("cobuilding:resource", args=[room.pk])).status_code == status
    response = client.post(
        reverse("cobuilding:resource_book", args=[room.pk]),
        {"unit": units["school"].pk, "on": "2026-10-08", "purpose": "活动"},
    )
    assert response.status_code == (404 if status == 404 else 302)
    assert ResourceBooking.objects.exists() == (status == 200)


# Needs in both directions (双向需求清单) ----------------------------------------------------------


def test_the_communitys_need_is_raised_on_a_page_and_claimed_by_a_unit(world, units, client_for):
    client = client_for(world.users["community"])
    response = client.post(
        reverse("cobuilding:need_create"),
        {"direction": "community", "community": world.areas["K1"].pk, "title": "楼道照明", "raised_on": "2026-10-01"},
    )
    need = Need.objects.unscoped("test").get(title="楼道照明")
    assert response.status_code == 302 and need.raised_by is None
    assert client.get(reverse("cobuilding:need_answer", args=[need.pk])).status_code == 404  # not a unit's need
    client.post(reverse("cobuilding:need_take", args=[need.pk]), {"unit": units["shop"].pk})
    need.refresh_from_db()
    assert (need.status, need.claimed_by) == (NeedStatus.CLAIMED, units["shop"])
    client.post(reverse("cobuilding:need_finish", args=[need.pk]), {"result": "已更换灯具"})
    need.refresh_from_db()
    assert (need.status, need.result) == (NeedStatus.DONE, "已更换灯具")


def test_a_units_own_need_is_answered_by_the_community(world, units, client_for):
    client = client_for(world.users["community"])
    missing_unit = client.post(
        reverse("cobuilding:need_create"),
        {"direction": "unit", "community": world.areas["K1"].pk, "title": "职工停车", "raised_on": "2026-10-01"},
    )
    assert missing_unit.status_code == 400 and 'data-testid="error-raised_by"' in missing_unit.content.decode()
    client.post(
        reverse("cobuilding:need_create"),
        {
            "direction": "unit",
            "community": world.areas["K1"].pk,
            "raised_by": units["hospital"].pk,
            "title": "职工停车",
            "raised_on": "2026-10-01",
        },
    )
    need = Need.objects.unscoped("test").get(title="职工停车")
    assert (need.direction, need.raised_by, need.status) == (NeedDirection.UNIT, units["hospital"], NeedStatus.OPEN)
    # A unit's need is not claimed by a unit, on the page or inline on the lists.
    assert client.get(reverse("cobuilding:need_take", args=[need.pk])).status_code == 404
    client.post(reverse("cobuilding:need_claim", args=[need.pk]), {"unit": units["shop"].pk})
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN and need.claimed_by is None

    client.post(reverse("cobuilding:need_answer", args=[need.pk]), {"answer": "夜间开放社区停车场"})
    need.refresh_from_db()
    assert (need.status, need.answer, need.claimed_by) == (NeedStatus.CLAIMED, "夜间开放社区停车场", None)
    client.post(reverse("cobuilding:need_finish", args=[need.pk]), {"result": "已办理停车证"})
    need.refresh_from_db()
    assert need.status == NeedStatus.DONE
    page = client.get(reverse("cobuilding:need", args=[need.pk])).content.decode()
    assert "夜间开放社区停车场" in page and "已办理停车证" in page and "医院" in page


def test_a_unit_of_the_neighbouring_community_cannot_raise_a_need_here(world, units, client_for):
    response = client_for(world.users["street"]).post(
        reverse("cobuilding:need_create"),
        {
            "direction": "unit",
            "community": world.areas["K1"].pk,
            "raised_by": units["school"].pk,
            "title": "跨社区",
            "raised_on": "2026-10-01",
        },
    )
    assert response.status_code == 400
    assert not Need.objects.unscoped("test").filter(title="跨社区").exists()


@pytest.mark.parametrize(("persona", "status"), [("community", 404), ("street", 200), ("grid_a", 404)])
def test_a_need_of_the_neighbouring_community_is_the_streets(world, units, client_for, persona, status):
    need = services.raise_need(actor=SYSTEM, need=Need(community=world.areas["K2"], title="二社区需求", raised_on=DAY))
    client = client_for(world.users[persona])
    assert client.get(reverse("cobuilding:need", args=[need.pk])).status_code == status
    edited = client.post(reverse("cobuilding:need_edit", args=[need.pk]), {"title": "改", "raised_on": "2026-10-01"})
    assert edited.status_code == (302 if status == 200 else 404)
    need.refresh_from_db()
    assert (need.title == "改") == (status == 200)


# Joint meetings and service projects -------------------------------------------------------------


def test_a_joint_meeting_is_recorded_with_the_units_present_and_its_decisions(world, units, client_for):
    client = client_for(world.users["community"])
    response = client.post(
        reverse("cobuilding:meeting_create"),
        {
            "level": "community",
            "area": world.areas["K1"].pk,
            "held_on": "2026-10-09",
            "title": "四季度联席会",
            "minutes": "研究停车难",
            "decisions": "",
            "units": [units["hospital"].pk],
        },
    )
    meeting = JointMeeting.objects.unscoped("test").get(title="四季度联席会")
    assert response.status_code == 302 and [u.name for u in meeting.units.all()] == ["医院"]
    client.post(
        reverse("cobuilding:meeting_attendance", args=[meeting.pk]),
        {"units": [units["hospital"].pk, units["shop"].pk], "decisions": "医院开放夜间车位"},
    )
    meeting.refresh_from_db()
    assert {u.name for u in meeting.units.all()} == {"医院", "超市"} and meeting.decisions == "医院开放夜间车位"
    page = client.get(reverse("cobuilding:meeting", args=[meeting.pk])).content.decode()
    assert "医院开放夜间车位" in page and "超市" in page
    # A unit of another community is not offered, and refused if posted.
    refused = client.post(
        reverse("cobuilding:meeting_attendance", args=[meeting.pk]), {"units": [units["school"].pk], "decisions": "x"}
    )
    assert refused.status_code == 400
    assert {u.name for u in meeting.units.all()} == {"医院", "超市"}


def test_a_unit_that_left_stays_on_the_record_of_a_meeting_it_attended(world, units, client_for):
    meeting = services.record_meeting(
        actor=SYSTEM,
        meeting=JointMeeting(
            level="community", area=world.areas["K1"], held_on=DAY, title="三季度联席会", minutes="纪要"
        ),
        units=[units["hospital"], units["shop"]],
    )
    services.end_unit(actor=SYSTEM, unit=units["hospital"], on=DAY, reason="迁出辖区")
    client = client_for(world.users["community"])
    url = reverse("cobuilding:meeting_attendance", args=[meeting.pk])
    form = client.get(url).context["form"]
    assert set(form.initial["units"]) == {units["hospital"], units["shop"]}
    assert units["hospital"] in form.fields["units"].queryset  # still offered, ticked, on this meeting
    assert client.post(url, {"units": [units["hospital"].pk, units["shop"].pk], "decisions": "议定"}).status_code == 302
    assert {u.name for u in meeting.units.all()} == {"医院", "超市"}


def test_the_neighbouring_communitys_meeting_is_not_the_communitys_to_change(world, units, client_for):
    meeting = JointMeeting.objects.unscoped("test").get(title="二社区联席会")
    community = client_for(world.users["community"])
    assert (
        community.post(reverse("cobuilding:meeting_attendance", args=[meeting.pk]), {"decisions": "改"}).status_code
        == 404
    )
    meeting.refresh_from_db()
    assert meeting.decisions == ""
    street = client_for(world.users["street"])
    assert street.get(reverse("cobuilding:meeting_attendance", args=[meeting.pk])).status_code == 200


def test_a_service_project_is_planned_started_and_finished(world, units, client_for):
    client = client_for(world.users["street"])
    need = Need.objects.unscoped("test").get(title="加装电梯")
    client.post(
        reverse("cobuilding:project_create"),
        {
            "community": world.areas["K1"].pk,
            "unit": units["hospital"].pk,
            "need": need.pk,
            "title": "电梯项目",
            "starts_on": "2026-10-01",
        },
    )
    project = ServiceProject.objects.unscoped("test").get(title="电梯项目")
    assert project.status == ProjectStatus.PLANNED
    assert client.get(reverse("cobuilding:project_finish", args=[project.pk])).status_code == 404  # not started
    client.post(reverse("cobuilding:project_begin", args=[project.pk]), {"on": "2026-10-05"})
    project.refresh_from_db()
    assert (project.status, project.starts_on) == (ProjectStatus.ONGOING, datetime.date(2026, 10, 5))
    early = client.post(
        reverse("cobuilding:project_finish", args=[project.pk]), {"finished_on": "2026-10-01", "outcome": "完工"}
    )
    assert early.status_code == 400
    client.post(
        reverse("cobuilding:project_finish", args=[project.pk]), {"finished_on": "2026-12-01", "outcome": "完工"}
    )
    project.refresh_from_db()
    assert (project.status, project.finished_on, project.outcome) == (
        ProjectStatus.DONE,
        datetime.date(2026, 12, 1),
        "完工",
    )


def test_the_community_cannot_plan_a_project_for_a_unit_of_the_neighbouring_community(world, units, client_for):
    response = client_for(world.users["street"]).post(
        reverse("cobuilding:project_create"),
        {
            "community": world.areas["K1"].pk,
            "unit": units["school"].pk,
            "title": "跨社区项目",
            "starts_on": "2026-10-01",
        },
    )
    assert response.status_code == 400
    assert not ServiceProject.objects.unscoped("test").filter(title="跨社区项目").exists()


# The yearly two-way rating -----------------------------------------------------------------------


def test_community_and_unit_rate_each_other_once_a_year(world, units, client_for):
    client = client_for(world.users["community"])
    url = reverse("cobuilding:unit_rate", args=[units["hospital"].pk])
    for direction, score in [("community_rates_unit", 92), ("unit_rates_community", 88)]:
        response = client.post(url, {"year": "2026", "direction": direction, "score": str(score), "comment": ""})
        assert response.status_code == 302
    again = client.post(url, {"year": "2026", "direction": "community_rates_unit", "score": "50"})
    assert again.status_code == 400 and "该年度已评价" in again.content.decode()
    ratings = {(r.direction, r.score) for r in Rating.objects.filter(unit=units["hospital"])}
    assert ratings == {("community_rates_unit", 92), ("unit_rates_community", 88)}
    page = client.get(reverse("cobuilding:unit", args=[units["hospital"].pk])).content.decode()
    assert "社区评单位" in page and "单位评社区" in page
    # The neighbouring community's unit: a 404, and nothing rated.
    assert (
        client.post(
            reverse("cobuilding:unit_rate", args=[units["school"].pk]),
            {"year": "2026", "direction": "community_rates_unit", "score": "60"},
        ).status_code
        == 404
    )
    assert not Rating.objects.filter(unit=units["school"]).exists()


def test_a_form_sent_twice_writes_once_and_a_refused_one_can_be_sent_again(world, units, client_for):
    """The double-click: the second POST of one rendered form goes where the first went."""
    client = client_for(world.users["community"])
    hospital = units["hospital"]
    url = reverse("cobuilding:unit_points", args=[hospital.pk])
    once = client.get(url).context["once"]
    form = {"on": "2026-10-01", "points": "30", "reason": "志愿服务", "_once": once}
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert UnitPoints.objects.filter(unit=hospital).count() == 1
    # A refused form gives its key back: corrected, the same key goes through.
    key = client.get(url).context["once"]
    refused = client.post(url, {**form, "reason": "", "_once": key})
    assert refused.status_code == 400
    assert client.post(url, {**form, "reason": "再次服务", "_once": key}).status_code == 302
    assert UnitPoints.objects.filter(unit=hospital).count() == 2


def test_a_form_whose_write_failed_unexpectedly_can_be_sent_again(world, units, client_for, monkeypatch):
    """A 500 wrote nothing: resending the same form is not taken for a double-click."""
    from django.test import Client

    from tests.sign_in import force_login_verified

    client = force_login_verified(Client(raise_request_exception=False), world.users["community"])
    hospital = units["hospital"]
    url = reverse("cobuilding:unit_points", args=[hospital.pk])
    form = {"on": "2026-10-01", "points": "30", "reason": "志愿服务", "_once": client.get(url).context["once"]}
    real = services.award_unit_points

    def fails_once(**kwargs):
        monkeypatch.setattr(services, "award_unit_points", real)
        raise OSError("the disk is full")

    monkeypatch.setattr(services, "award_unit_points", fails_once)
    assert client.post(url, form).status_code == 500
    assert client.post(url, form).status_code == 302
    assert UnitPoints.objects.filter(unit=hospital).count() == 1
