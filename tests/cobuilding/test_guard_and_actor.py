"""Co-building under the house's rules: every read goes through a scope, every service acts for
someone, refuses one whose posts do not allow it there, and records who did it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cobuilding import services
from cobuilding.models import (
    Agreement,
    CoBuildingUnit,
    JointMeeting,
    Need,
    NeedStatus,
    ServiceProject,
    SharedResource,
)
from core.models import AuditEntry
from core.scope import SYSTEM
from core.scoping import ScopeError, guard_on

DAY = datetime.date(2026, 10, 1)


@pytest.fixture
def lists(units, world):
    """An agreement, a shared resource and a service project in each of K1 and K2."""
    for key, community in [("hospital", "K1"), ("school", "K2")]:
        unit, area = units[key], world.areas[community]
        services.sign_agreement(
            actor=SYSTEM,
            agreement=Agreement(
                unit=unit, community=area, signed_on=DAY, valid_until=DAY.replace(year=2029), content=f"{community}协议"
            ),
        )
        services.list_resource(
            actor=SYSTEM,
            resource=SharedResource(community=area, unit=unit, kind="venue", name=f"{community}会议室", pricing="free"),
        )
        services.start_project(
            actor=SYSTEM,
            project=ServiceProject(community=area, unit=unit, title=f"{community}义诊", starts_on=DAY),
        )
    return units


@pytest.mark.parametrize("model", [CoBuildingUnit, Agreement, SharedResource, Need, ServiceProject, JointMeeting])
def test_a_read_without_a_scope_raises_under_the_guard(db, model):
    with guard_on(), pytest.raises(ScopeError):
        list(model.objects.all())


@pytest.mark.parametrize("persona", ["grid_a", "leader", "officer"])
def test_a_service_refuses_an_actor_whose_posts_do_not_allow_it_and_writes_nothing(world, persona):
    before = (Need.objects.count(), AuditEntry.objects.count())
    with pytest.raises(PermissionDenied):
        services.raise_need(
            actor=world.users[persona], need=Need(community=world.areas["K1"], title="新需求", raised_on=DAY)
        )
    assert (Need.objects.count(), AuditEntry.objects.count()) == before


def test_community_staff_manage_their_own_community_only(units, world):
    staff = world.users["community"]
    services.raise_need(actor=staff, need=Need(community=world.areas["K1"], title="K1需求", raised_on=DAY))
    with pytest.raises(PermissionDenied):
        services.raise_need(actor=staff, need=Need(community=world.areas["K2"], title="K2需求", raised_on=DAY))
    with pytest.raises(PermissionDenied):
        services.award_unit_points(actor=staff, unit=units["school"], on=DAY, points=10, reason="志愿服务")
    assert not Need.objects.filter(title="K2需求").exists()
    assert not units["school"].points.exists()


def test_a_refused_claim_leaves_the_need_open(units, world):
    need = Need.objects.get(title="加装电梯")
    with pytest.raises(PermissionDenied):
        services.claim_need(actor=world.users["grid_a"], need=need, unit=units["hospital"], on=DAY)
    need.refresh_from_db()
    assert (need.status, need.claimed_by) == (NeedStatus.OPEN, None)
    assert not AuditEntry.objects.filter(action="cobuilding.claim_need").exists()


def test_a_claim_records_who_in_which_capacity_and_which_fields(units, world):
    need = Need.objects.get(title="加装电梯")
    services.claim_need(actor=world.users["community"], need=need, unit=units["hospital"], on=DAY)
    entry = AuditEntry.objects.get(action="cobuilding.claim_need")
    assert (entry.actor, entry.capacity, entry.target_id) == (world.users["community"], "community_staff", str(need.pk))
    assert entry.target_type.app_label == "cobuilding"
    assert entry.fields == ["claimed_by", "claimed_on", "status"]


def test_the_systems_own_work_is_recorded_as_the_system(world):
    unit = services.register_unit(
        actor=SYSTEM, unit=CoBuildingUnit(name="系统单位", kind="agency", community=world.areas["K1"])
    )
    entry = AuditEntry.objects.get(action="cobuilding.register_unit", target_id=str(unit.pk))
    assert (entry.actor, entry.capacity) == (None, "system")
    assert "credit_code" in entry.fields and "系统单位" not in entry.fields  # names of fields, never values


def test_a_unit_of_another_community_cannot_claim_even_through_the_service(units):
    need = Need.objects.get(title="加装电梯")
    with pytest.raises(Exception, match="不是本社区"):
        services.claim_need(actor=SYSTEM, need=need, unit=units["school"], on=DAY)
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


@pytest.mark.parametrize(
    ("persona", "communities"),
    [("community", {"K1"}), ("street", {"K1", "K2"}), ("admin", {"K1", "K2"}), ("grid_a", set()), ("officer", set())],
)
@pytest.mark.parametrize(
    ("url", "label"),
    [("/api/v1/agreements/", "content"), ("/api/v1/shared-resources/", "name"), ("/api/v1/service-projects/", "title")],
)
def test_the_api_lists_stay_in_scope(lists, world, client_for, persona, communities, url, label):
    rows = client_for(world.users[persona]).get(url).json()["results"]
    assert {row[label][:2] for row in rows} == communities


@pytest.mark.parametrize(("persona", "titles"), [("community", {"加装电梯"}), ("street", {"加装电梯", "二社区需求"})])
def test_the_api_needs_stay_in_scope(units, world, client_for, persona, titles):
    services.raise_need(actor=SYSTEM, need=Need(community=world.areas["K2"], title="二社区需求", raised_on=DAY))
    rows = client_for(world.users[persona]).get("/api/v1/needs/").json()["results"]
    assert {row["title"] for row in rows} == titles


def test_claiming_with_a_unit_outside_the_callers_scope_is_a_400_naming_the_unit(units, world, client_for):
    need = Need.objects.get(title="加装电梯")
    client = client_for(world.users["community"])
    for unit_id in (units["school"].pk, 999999):
        response = client.post(f"/api/v1/needs/{need.pk}/claim/", {"unit": unit_id}, content_type="application/json")
        assert response.status_code == 400
        assert list(response.json()["fields"]) == ["unit"]
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN


def test_a_need_of_another_community_is_a_404_to_claim_on_the_api_and_the_page(units, world, client_for):
    other = services.raise_need(actor=SYSTEM, need=Need(community=world.areas["K2"], title="二社区需求", raised_on=DAY))
    client = client_for(world.users["community"])
    api = client.post(f"/api/v1/needs/{other.pk}/claim/", {"unit": units["school"].pk}, content_type="application/json")
    page = client.post(reverse("cobuilding:need_claim", args=[other.pk]), {"unit": units["school"].pk})
    assert (api.status_code, page.status_code) == (404, 404)
    other.refresh_from_db()
    assert other.status == NeedStatus.OPEN


def test_the_claim_form_offers_only_the_needs_own_communitys_units(units, world, client_for):
    page = client_for(world.users["street"]).get(reverse("cobuilding:community_lists", args=[world.areas["K1"].pk]))
    offered = page.content.decode().split('name="unit"')[1].split("</select>")[0]
    assert "医院" in offered and "超市" in offered and "学校" not in offered


def test_admin_saves_through_the_services_as_the_admin(world, client_for):
    response = client_for(world.users["admin"]).post(
        reverse("admin:cobuilding_need_add"),
        {
            "community": world.areas["K1"].pk,
            "direction": "community",
            "title": "后台需求",
            "description": "",
            "raised_on": "2026-10-01",
        },
    )
    assert response.status_code == 302
    need = Need.objects.get(title="后台需求")
    entry = AuditEntry.objects.get(action="cobuilding.raise_need", target_id=str(need.pk))
    assert (entry.actor, entry.capacity) == (world.users["admin"], "admin")


def test_admin_records_a_meeting_with_its_units_and_points_through_the_services(units, world, client_for):
    client = client_for(world.users["admin"])
    response = client.post(
        reverse("admin:cobuilding_jointmeeting_add"),
        {
            "level": "community",
            "area": world.areas["K1"].pk,
            "held_on": "2026-10-02",
            "title": "后台会议",
            "minutes": "纪要",
            "decisions": "",
            "units": [units["hospital"].pk, units["shop"].pk],
        },
    )
    assert response.status_code == 302
    assert {u.name for u in JointMeeting.objects.get(title="后台会议").units.all()} == {"医院", "超市"}
    unit = units["shop"]
    response = client.post(
        reverse("admin:cobuilding_cobuildingunit_change", args=[unit.pk]),
        {
            "name": unit.name,
            "kind": unit.kind,
            "credit_code": "",
            "community": unit.community_id,
            "address": "",
            "contact": "",
            "phone": "",
            "points-TOTAL_FORMS": "1",
            "points-INITIAL_FORMS": "0",
            "points-0-on": "2026-10-02",
            "points-0-points": "15",
            "points-0-reason": " 志愿服务 ",
        },
    )
    assert response.status_code == 302
    assert [(p.points, p.reason) for p in unit.points.all()] == [(15, "志愿服务")]
    assert AuditEntry.objects.filter(action="cobuilding.award_unit_points", actor=world.users["admin"]).count() == 1
