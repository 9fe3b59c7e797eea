"""The party roll on pages: kept by community staff for their community's organisations, street
staff their street's, district staff all; one roll per person; transfers keep their history; the
points ledger only grows; 党员包住户 only inside the keeper's places."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from core.models import AuditEntry
from core.scope import SYSTEM
from orgs import member_services, services
from orgs.models import MemberTransfer, OrgKind, PartyMember, ServicePoints
from tests.factories import AreaFactory, HouseholdFactory
from tests.sign_in import force_login_verified

DAY = datetime.date(2026, 3, 1)


def _member(name: str) -> PartyMember:
    return PartyMember.objects.unscoped("the test's own look-up").get(name=name)


def _client(world, persona: str) -> Client:
    return force_login_verified(Client(), world.users[persona])


def _roll() -> list:
    return list(
        PartyMember.objects.unscoped("test")
        .order_by("pk")
        .values_list("pk", "name", "organization_id", "status", "left_on", "reported_on")
    )


@pytest.fixture
def elsewhere(world):
    """A member in street S2 (三社区) and one in the county: the street's and the district's neighbours."""
    s2 = services.create_organization(
        actor=SYSTEM, kind=OrgKind.STREET_WORKING_COMMITTEE, name="二街道党工委", area=world.areas["S2"]
    )
    k3 = services.create_organization(
        actor=SYSTEM, kind=OrgKind.COMMUNITY_BRANCH, name="三社区党支部", area=world.areas["K3"], parent=s2
    )
    town = services.create_organization(
        actor=SYSTEM, kind=OrgKind.STREET_WORKING_COMMITTEE, name="一镇党委", area=world.areas["T"]
    )
    k4 = services.create_organization(
        actor=SYSTEM, kind=OrgKind.COMMUNITY_BRANCH, name="四社区党支部", area=world.areas["K4"], parent=town
    )
    made = {}
    for key, org in [("K3", k3), ("K4", k4)]:
        made[key] = services.register_member(
            actor=SYSTEM,
            member=PartyMember(name=f"{key}党员", organization=org, status="full", joined=DAY, kind="resident"),
        )
    return made


# Who sees whom ------------------------------------------------------------------------------------

OWN_AND_NEIGHBOUR = {
    "community": ("党员乙", "二社区党员"),
    "street": ("二社区党员", "K3党员"),
    "district": ("K3党员", "K4党员"),
}


@pytest.mark.parametrize("persona", sorted(OWN_AND_NEIGHBOUR))
def test_each_keeper_opens_their_own_members_and_not_their_neighbours(world, elsewhere, persona):
    own, neighbour = (_member(name) for name in OWN_AND_NEIGHBOUR[persona])
    client = _client(world, persona)
    for suffix in ["", "edit/", "transfer/", "assign/", "history/"]:
        assert client.get(f"/orgs/members/{own.pk}/{suffix}").status_code == 200, suffix
        assert client.get(f"/orgs/members/{neighbour.pk}/{suffix}").status_code == 404, suffix
    listed = client.get("/orgs/members/").content.decode()
    assert own.name in listed and neighbour.name not in listed


def test_a_grid_worker_reads_the_roll_but_keeps_nothing(world):
    client = _client(world, "grid_a")
    member = _member("在职党员丁")
    before = (_roll(), ServicePoints.objects.count())
    assert client.get("/orgs/members/").status_code == 200
    assert client.get("/orgs/members/new/").status_code == 404
    refused = client.post(f"/orgs/members/{member.pk}/points/", {"on": "2026-03-01", "points": "5", "reason": "巡逻"})
    assert refused.status_code == 404
    edit = client.post(f"/orgs/members/{member.pk}/edit/", {"name": "改名", "status": "full", "kind": "resident"})
    assert edit.status_code == 404
    assert (_roll(), ServicePoints.objects.count()) == before


def test_community_staff_cannot_write_a_neighbouring_communitys_member(world):
    member = _member("二社区党员")
    before = _roll()
    response = _client(world, "community").post(
        f"/orgs/members/{member.pk}/edit/",
        {"name": "改名", "status": "probationary", "kind": "resident", "joined": "2010-07-01"},
    )
    assert response.status_code == 404
    assert _roll() == before
    with pytest.raises(PermissionDenied):
        member_services.update_member(actor=world.users["community"], member=member, name="改名")
    assert _roll() == before


# Registering ---------------------------------------------------------------------------------------


def _register(client, world, **data):
    form = {"organization": world.orgs["A"].pk, "status": "full", "kind": "resident", "joined": "2015-07-01"}
    return client.post("/orgs/members/new/", {**form, **data})


def test_a_member_registered_by_id_is_linked_to_the_resident_and_the_id_shown_masked(world):
    resident = world.residents["A1b"]
    client = _client(world, "community")
    response = _register(client, world, resident=resident.citizen_id)
    member = PartyMember.objects.unscoped("test").get(resident=resident)
    assert response.status_code == 302 and response["Location"] == f"/orgs/members/{member.pk}/"
    assert member.name == "A1独居老人"
    page = client.get(f"/orgs/members/{member.pk}/").content.decode()
    assert resident.citizen_id[-4:] in page and resident.citizen_id not in page
    entry = AuditEntry.objects.filter(action="orgs.register_member").latest("id")
    assert (entry.actor, entry.capacity) == (world.users["community"], "community_staff")
    assert resident.citizen_id not in repr(entry.fields)


def test_a_resident_outside_the_keepers_places_is_not_found_by_their_id(world):
    before = _roll()
    response = _register(_client(world, "community"), world, resident=world.residents["C1"].citizen_id)
    assert response.status_code == 400
    assert "对应居民身份证号:您的辖区内没有这位居民" in response.content.decode()
    assert _roll() == before


def test_a_person_is_never_on_two_rolls_at_once(world):
    """The A1 resident is on 网格A党支部's roll: registering them again anywhere is refused, on the
    page with the field named, and by the service whoever calls it."""
    resident = world.residents["A1"]
    before = _roll()
    response = _register(_client(world, "community"), world, resident=resident.citizen_id)
    assert response.status_code == 400
    assert "对应居民身份证号:该居民已在党员名册中,不能同时在两个党组织的名册中" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.register_member(
            actor=SYSTEM,
            member=PartyMember(
                resident=resident, organization=world.orgs["K2"], status="full", joined=DAY, kind="resident"
            ),
        )
    assert list(refused.value.error_dict) == ["resident"]
    assert _roll() == before


def test_an_in_service_member_needs_a_work_unit_named_in_chinese(world):
    before = _roll()
    response = _register(_client(world, "community"), world, name="新党员", kind="in_service")
    assert response.status_code == 400 and "在职党员须填写工作单位" in response.content.decode()
    assert _roll() == before


def test_a_member_transferred_in_from_outside_has_the_transfer_on_record(world):
    client = _client(world, "community")
    _register(client, world, name="转入党员", transferred_from="某省某县某支部")
    member = _member("转入党员")
    [transfer] = MemberTransfer.objects.unscoped("test").filter(member=member)
    assert (transfer.from_organization, transfer.to_organization, transfer.outside) == (
        None,
        world.orgs["A"],
        "某省某县某支部",
    )


# Transfers -----------------------------------------------------------------------------------------


def test_a_transfer_moves_the_roll_and_keeps_the_history(world):
    member = _member("二社区党员")
    client = _client(world, "street")
    response = client.post(
        f"/orgs/members/{member.pk}/transfer/", {"to": world.orgs["A"].pk, "on": "2026-03-01", "reason": "搬家"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organization == world.orgs["A"] and member.left_on is None
    assert PartyMember.objects.unscoped("test").filter(name="二社区党员").count() == 1  # moved, not copied
    [transfer] = MemberTransfer.objects.unscoped("test").filter(member=member)
    assert (transfer.from_organization, transfer.to_organization, str(transfer.on)) == (
        world.orgs["K2"],
        world.orgs["A"],
        "2026-03-01",
    )
    page = client.get(f"/orgs/members/{member.pk}/").content.decode()
    assert "二社区党支部" in page and "搬家" in page
    assert "orgs.transfer_member" in client.get(f"/orgs/members/{member.pk}/history/").content.decode()


def test_community_staff_cannot_transfer_into_another_community(world):
    member = _member("党员乙")
    before = (_roll(), MemberTransfer.objects.count())
    response = _client(world, "community").post(
        f"/orgs/members/{member.pk}/transfer/", {"to": world.orgs["K2"].pk, "on": "2026-03-01", "reason": "搬家"}
    )
    assert response.status_code == 400  # K2's branch is not among the choices
    with pytest.raises(PermissionDenied):
        member_services.transfer_member(
            actor=world.users["community"], member=member, to=world.orgs["K2"], on=DAY, reason="搬家"
        )
    assert (_roll(), MemberTransfer.objects.count()) == before


def test_a_transfer_out_of_the_district_ends_membership_in_the_roll_without_deleting(world):
    member = _member("A1住户")  # looks after household A2
    client = _client(world, "community")
    response = client.post(
        f"/orgs/members/{member.pk}/transfer/", {"outside": "外省某党支部", "on": "2026-03-01", "reason": "调动"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (str(member.left_on), member.left_to, member.organization) == ("2026-03-01", "外省某党支部", world.orgs["A"])
    assert not member.households.exists()
    listed = client.get("/orgs/members/", {"in_roll": "false"}).content.decode()
    assert "A1住户" in listed and "外省某党支部" in listed
    assert "A1住户" not in client.get("/orgs/members/", {"in_roll": "true"}).content.decode()
    # Off the roll: nothing more is kept for them here until they transfer back in.
    assert client.get(f"/orgs/members/{member.pk}/edit/").status_code == 404
    back = client.post(
        f"/orgs/members/{member.pk}/transfer/", {"to": world.orgs["A"].pk, "on": "2026-06-01", "reason": "回迁"}
    )
    assert back.status_code == 302
    member.refresh_from_db()
    assert (member.left_on, member.organization) == (None, world.orgs["A"])
    ends = [(t.from_organization_id, t.to_organization_id, t.outside) for t in member.transfers.order_by("on")]
    assert ends == [(world.orgs["A"].pk, None, "外省某党支部"), (None, world.orgs["A"].pk, "外省某党支部")]


def test_a_transfer_dated_before_joining_is_refused_on_its_field(world):
    member = _member("党员乙")
    before = _roll()
    response = _client(world, "street").post(
        f"/orgs/members/{member.pk}/transfer/", {"to": world.orgs["K2"].pk, "on": "2001-01-01", "reason": "搬家"}
    )
    assert response.status_code == 400 and "转接日期:转接日期不能早于入党日期" in response.content.decode()
    assert _roll() == before


# 双报到 ----------------------------------------------------------------------------------------------


def test_an_in_service_member_reports_to_the_community_and_the_unit(world, units):
    member = _member("在职党员丁")
    client = _client(world, "community")
    response = client.post(
        f"/orgs/members/{member.pk}/dual/",
        {"work_unit": "区人民医院", "co_building_unit": units["hospital"].pk, "reported_on": "2026-02-01"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.work_unit, member.co_building_unit, str(member.reported_on)) == (
        "区人民医院",
        units["hospital"],
        "2026-02-01",
    )
    assert [m.name for m, _, _ in client.get("/orgs/members/", {"dual": "true"}).context["rows"]] == ["在职党员丁"]
    with pytest.raises(ValidationError) as refused:
        member_services.report_dual(
            actor=SYSTEM, member=member, work_unit="学校", reported_on=DAY, co_building_unit=units["school"]
        )
    assert list(refused.value.error_dict) == ["co_building_unit"]
    # A unit that has left co-building is neither offered nor taken for a new report; the member
    # already reported to it keeps it when the form is saved again.
    type(units["hospital"]).objects.unscoped("test").filter(pk=units["hospital"].pk).update(ended_on=DAY)
    units["hospital"].refresh_from_db()
    other = services.register_member(
        actor=SYSTEM,
        member=PartyMember(
            name="在职党员戊", organization=member.organization, status="full", joined=member.joined,
            kind="in_service", work_unit="区医院",
        ),
    )  # fmt: skip
    form = client.get(f"/orgs/members/{other.pk}/dual/").context["form"]
    assert units["hospital"] not in form.fields["co_building_unit"].queryset
    with pytest.raises(ValidationError, match="该单位已退出共建"):
        member_services.report_dual(
            actor=SYSTEM, member=other, work_unit="医院", reported_on=DAY, co_building_unit=units["hospital"]
        )
    form = client.get(f"/orgs/members/{member.pk}/dual/").context["form"]
    assert units["hospital"] in form.fields["co_building_unit"].queryset
    resaved = client.post(
        f"/orgs/members/{member.pk}/dual/",
        {"work_unit": "区人民医院", "co_building_unit": units["hospital"].pk, "reported_on": "2026-03-01"},
    )
    assert resaved.status_code == 302
    member.refresh_from_db()
    assert member.co_building_unit == units["hospital"]
    # Only in-service members report twice: the page does not offer it to others.
    assert client.get(f"/orgs/members/{_member('党员乙').pk}/dual/").status_code == 404


# Points ----------------------------------------------------------------------------------------------


def test_the_ledger_runs_a_total_and_a_correction_is_a_counter_entry(world):
    member = _member("在职党员丁")
    client = _client(world, "community")
    for on, points in [("2026-01-05", "5"), ("2026-01-10", "3")]:
        assert (
            client.post(
                f"/orgs/members/{member.pk}/points/", {"on": on, "points": points, "reason": "巡逻"}
            ).status_code
            == 302
        )
    wrong = member.points.get(points=5)
    corrected = client.post(f"/orgs/members/{member.pk}/correct/", {"entry": wrong.pk, "reason": "重复记录"})
    assert corrected.status_code == 302
    page = client.get(f"/orgs/members/{member.pk}/")
    assert [total for _, total in page.context["ledger"]] == [3, 8, 5]  # newest first
    assert "更正:重复记录" in page.content.decode()
    wrong.refresh_from_db()
    assert (wrong.points, wrong.reason) == (5, "巡逻")  # never edited
    [row] = [r for r in client.get("/orgs/members/", {"kind": "in_service"}).context["rows"]]
    assert row[0].point_total == 3
    again = client.post(f"/orgs/members/{member.pk}/correct/", {"entry": wrong.pk, "reason": "再更正"})
    assert again.status_code == 400
    assert member.points.count() == 3
    assert AuditEntry.objects.filter(action="orgs.correct_points").count() == 1


# 党员包住户 -------------------------------------------------------------------------------------------


def test_households_are_assigned_only_inside_the_keepers_places(world):
    member = _member("党员乙")
    client = _client(world, "community")
    assert (
        client.post(f"/orgs/members/{member.pk}/assign/", {"households": [world.households["A1b"].pk]}).status_code
        == 302
    )
    assert list(member.households.all()) == [world.households["A1b"]]
    outside = client.post(f"/orgs/members/{member.pk}/assign/", {"households": [world.households["C1"].pk]})
    assert outside.status_code == 400
    with pytest.raises(ValidationError) as refused:
        member_services.assign_households(
            actor=world.users["community"], member=member, households=[world.households["C1"]]
        )
    assert list(refused.value.error_dict) == ["households"]
    assert list(member.households.all()) == [world.households["A1b"]]
    assert (
        client.post(f"/orgs/members/{member.pk}/unassign/", {"households": [world.households["A1b"].pk]}).status_code
        == 302
    )
    assert not member.households.exists()
    actions = AuditEntry.objects.filter(target_id=str(member.pk)).values_list("action", flat=True)
    assert {"orgs.assign_households", "orgs.unassign_households"} <= set(actions)


def test_the_choice_of_households_is_the_organisations_own_places(world):
    member = _member("党员乙")  # 网格A党支部: grid A's households, not grid B's
    HouseholdFactory(building=AreaFactory(kind="building", name="A3楼", parent=world.areas["A"]))
    choices = _client(world, "community").get(f"/orgs/members/{member.pk}/assign/").context["form"]
    offered = set(choices.fields["households"].queryset.values_list("building__name", flat=True))
    assert offered == {"A1楼", "A2楼", "A3楼"}


def test_admin_neither_edits_a_ledger_entry_nor_moves_a_member_without_a_transfer(world):
    member = _member("在职党员丁")
    entry = services.award_points(actor=SYSTEM, member=member, on=DAY, points=5, reason="巡逻")
    client = _client(world, "admin")
    edit = client.post(
        f"/admin/orgs/servicepoints/{entry.pk}/change/",
        {"member": member.pk, "on": "2026-03-01", "points": 50, "reason": "改"},
    )
    assert edit.status_code == 403
    entry.refresh_from_db()
    assert entry.points == 5
    page = client.get(f"/admin/orgs/partymember/{member.pk}/change/").content.decode()
    assert 'name="organization"' not in page
