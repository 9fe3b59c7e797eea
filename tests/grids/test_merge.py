"""合并到…: a grid or building that holds something is merged into a neighbour, never removed with it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from cases import services as case_services
from cases.models import Action, Case, CaseEvent, Category, DoorPlate
from core.models import AuditEntry
from core.scope import SYSTEM
from grids import services
from grids.holders import holders
from grids.merging import merge_area
from grids.models import Area, AreaKind, AreaMerge, Household
from orgs import services as org_services
from orgs.models import Organization, Post, Role, Slot
from tests.factories import HouseholdFactory, department
from tests.grids.test_tree import assert_tree_valid
from tests.sign_in import force_login_verified


def _areas() -> list:
    return list(Area.objects.order_by("pk").values_list("pk", "name", "parent", "lft", "rght"))


def _households() -> list:
    return list(Household.objects.order_by("pk").values_list("pk", "building", "unit", "floor", "room"))


@pytest.fixture
def community(world):
    return force_login_verified(Client(), world.users["community"])


def _report(world, building: str) -> Case:
    return case_services.report_case(
        actor=world.users["admin"],
        category=Category.objects.get(code="urban-events-clutter"),
        area=world.areas[building],
        description="楼道堆放杂物",
    )


def test_a_building_merged_into_its_neighbour_takes_everything_and_leaves_the_history(world):
    a1, a2 = world.areas["A1"], world.areas["A2"]
    case = _report(world, "A1")
    case_services.issue_door_plates(actor=SYSTEM, community=world.areas["K1"])
    a1_plate = DoorPlate.objects.get(building=a1).token
    moved = {world.households["A1"].pk, world.households["A1b"].pk}

    record = merge_area(actor=world.users["community"], area=a1, into=a2)

    assert not Area.objects.filter(pk=a1.pk).exists()
    assert set(Household.objects.filter(building=a2).values_list("pk", flat=True)) == moved | {
        world.households["A2"].pk
    }
    assert {h.pk for h in record.households.all()} == moved
    assert (record.name, record.code, record.into, record.kind) == ("A1楼", a1.code, a2, AreaKind.BUILDING)
    assert AreaMerge.objects.filter(households=world.households["A1"]).get().name == "A1楼"
    assert Organization.objects.get(pk=world.orgs["A1"].pk).area == a2  # the building's party group
    case.refresh_from_db()
    assert case.area == a2 and case.grid == world.areas["A"]
    relocated = CaseEvent.objects.filter(case=case, action=Action.RELOCATE).get()
    assert relocated.note == "A1楼并入A2楼" and relocated.to_status == case.status
    assert DoorPlate.objects.filter(building=a2).count() == 1  # A2's own plate stays, A1's retired
    assert not DoorPlate.objects.filter(token=a1_plate).exists()
    entry = AuditEntry.objects.filter(action="grids.merge_area").get()
    assert (entry.target_id, entry.actor) == (str(a2.pk), world.users["community"])
    assert {"households=2", "cases=1", "organizations=1"} <= set(entry.fields)
    assert record.counts["households"] == 2 and record.counts["cases"] == 1
    assert_tree_valid(a2.tree_id)


def test_a_grid_merged_into_its_neighbour_takes_its_buildings_and_posts(world):
    a, b = world.areas["A"], world.areas["B"]
    b_worker = Post.objects.get(area=b, role=Role.GRID_WORKER)
    org_services.end_post(actor=SYSTEM, post=b_worker, end=datetime.date(2026, 1, 1))
    grid_worker = Post.objects.get(area=a, role=Role.GRID_WORKER)
    case = _report(world, "A1")

    record = merge_area(actor=world.users["community"], area=a, into=b)

    assert not Area.objects.filter(pk=a.pk).exists()
    assert set(Area.objects.get(pk=b.pk).get_children().values_list("name", flat=True)) == {"A1楼", "A2楼", "B1楼"}
    grid_worker.refresh_from_db()
    assert (grid_worker.area, grid_worker.slot, grid_worker.end) == (b, Slot.A, None)  # the grid worker of B now
    assert Organization.objects.get(pk=world.orgs["A"].pk).area == b
    case.refresh_from_db()
    assert (case.area, case.grid) == (world.areas["A1"], b)
    assert record.counts["children"] == 2 and record.counts["posts"] >= 2  # the grid worker and the sunk staff
    assert_tree_valid(b.tree_id)
    # The grid worker of A reaches A's buildings through grid B now.
    grid_a = force_login_verified(Client(), world.users["grid_a"])
    assert grid_a.get(f"/areas/{world.areas['A1'].pk}/").status_code == 200


def test_two_grid_workers_on_the_same_slot_are_refused_and_named(world):
    before = _areas()
    with pytest.raises(ValidationError) as refused:
        merge_area(actor=world.users["community"], area=world.areas["A"], into=world.areas["B"])
    assert "专职网格员" in str(refused.value) and "A岗" in str(refused.value)
    assert _areas() == before


def test_what_no_room_moves_refuses_the_merge_named_and_changes_nothing(world):
    department("网格办", world.areas["A1"])  # orgs moves posts and organisations, not a department's jurisdiction
    before = (_areas(), _households())
    with pytest.raises(ValidationError) as refused:
        merge_area(actor=world.users["community"], area=world.areas["A1"], into=world.areas["A2"])
    assert "部门 1" in str(refused.value)
    assert (_areas(), _households()) == before
    assert Organization.objects.get(pk=world.orgs["A1"].pk).area == world.areas["A1"]


def test_a_room_already_registered_in_the_target_is_refused_and_named(world):
    a1 = world.areas["A1"]
    HouseholdFactory(building=world.areas["A2"], unit=world.households["A1"].unit, room=world.households["A1"].room)
    before = (_areas(), _households())
    with pytest.raises(ValidationError) as refused:
        merge_area(actor=world.users["community"], area=a1, into=world.areas["A2"])
    assert "A2楼已登记这些房号" in str(refused.value) and world.households["A1"].room in str(refused.value)
    assert (_areas(), _households()) == before
    assert not AuditEntry.objects.filter(action="grids.merge_area").exists()


@pytest.mark.parametrize(
    ("area", "into", "says"),
    [
        ("B1", "C1", "同一上级"),  # another grid, another community
        ("B", "C", "同一上级"),  # grids of two communities
        ("A1", "B", "同类"),  # a building into a grid
        ("A1", "A1", "自身"),
        ("K1", "K2", "只能合并网格或楼栋"),
    ],
)
def test_only_neighbours_of_one_kind_merge(world, area, into, says):
    before = (_areas(), _households())
    with pytest.raises(ValidationError) as refused:
        merge_area(actor=SYSTEM, area=world.areas[area], into=world.areas[into])
    assert says in str(refused.value)
    assert (_areas(), _households()) == before


def test_remove_names_what_still_holds_the_place(world):
    _report(world, "B1")
    case_services.issue_door_plates(actor=SYSTEM, community=world.areas["K1"])
    with pytest.raises(ValidationError) as refused:
        services.remove_area(actor=world.users["community"], area=world.areas["B1"])
    message = str(refused.value)
    assert "住户 1" in message and "案件 1" in message and "二维码门牌 1" in message
    held = dict(holders(world.areas["A"]))
    assert held["下级区域"] == 2 and held["岗位任职"] == 2 and held["党组织"] == 1


def test_remove_on_the_page_names_the_holders_and_changes_nothing(world, community):
    before = _areas()
    response = community.post(f"/places/{world.areas['A1'].pk}/remove/", {"confirm": "on"})
    assert response.status_code == 400
    assert "住户 2" in response.content.decode() and "党组织 1" in response.content.decode()
    assert _areas() == before


def test_community_staff_merge_on_the_page_among_neighbours_only(world, community):
    a1, a2 = world.areas["A1"], world.areas["A2"]
    page = community.get(f"/places/{a1.pk}/merge/")
    assert page.status_code == 200
    assert {area.pk for area in page.context["form"].fields["into"].queryset} == {a2.pk}
    response = community.post(f"/places/{a1.pk}/merge/", {"into": a2.pk, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == f"/areas/{a2.pk}/"
    assert not Area.objects.filter(pk=a1.pk).exists()
    household = community.get(f"/households/{world.households['A1'].pk}/").content.decode()
    assert "由A1楼合并迁入A2楼" in household  # the household's history says where it came from


def test_a_neighbour_outside_the_choices_is_refused_on_the_page_and_nothing_changes(world, community):
    before = (_areas(), _households())
    response = community.post(f"/places/{world.areas['B1'].pk}/merge/", {"into": world.areas["A1"].pk, "confirm": "on"})
    assert response.status_code == 400 and 'data-testid="error-into"' in response.content.decode()
    assert (_areas(), _households()) == before


@pytest.mark.parametrize("role", ["grid_a", "street", "district", "officer"])
def test_who_does_not_keep_the_grid_cannot_merge_and_nothing_changes(world, role):
    client = force_login_verified(Client(), world.users[role])
    before = (_areas(), _households())
    a1, a2 = world.areas["A1"], world.areas["A2"]
    assert client.get(f"/places/{a1.pk}/merge/").status_code == 404
    assert client.post(f"/places/{a1.pk}/merge/", {"into": a2.pk, "confirm": "on"}).status_code == 404
    assert (_areas(), _households()) == before


def test_a_neighbour_communitys_building_is_a_404(world, community):
    assert community.get(f"/places/{world.areas['C1'].pk}/merge/").status_code == 404


def test_the_place_page_offers_the_merge_to_its_keeper(world, community):
    assert f"/places/{world.areas['A1'].pk}/merge/" in community.get(f"/areas/{world.areas['A1'].pk}/").content.decode()
