"""Places kept on pages: community staff inside their community, refusals change nothing."""

import pytest
from django.test import Client

from core.models import AuditEntry
from core.scope import SYSTEM
from grids import services
from grids.models import Area, AreaKind
from tests.sign_in import force_login_verified


def _areas() -> list:
    return list(Area.objects.order_by("pk").values_list("pk", "name", "parent", "lft", "rght"))


@pytest.fixture
def community(world):
    return force_login_verified(Client(), world.users["community"])


def test_community_staff_add_a_building_to_their_grid(world, community):
    grid = world.areas["A"]
    response = community.post(
        "/places/new/", {"kind": "building", "parent": grid.pk, "name": "A3楼", "code": "3", "address": "一路3号"}
    )
    building = Area.objects.unscoped("test").get(name="A3楼")
    assert response.status_code == 302 and response["Location"] == f"/areas/{building.pk}/"
    assert (building.parent_id, building.code) == (grid.pk, grid.code + "003")
    entry = AuditEntry.objects.filter(action="grids.create_area").latest("id")
    assert (entry.actor, entry.capacity) == (world.users["community"], "community_staff")


def test_a_building_outside_the_community_is_refused_on_the_parent_field(world, community):
    before = _areas()
    response = community.post(
        "/places/new/", {"kind": "building", "parent": world.areas["C"].pk, "name": "越界楼", "code": "9"}
    )
    assert response.status_code == 400
    assert 'data-testid="error-parent"' in response.content.decode()
    assert _areas() == before


def test_community_staff_cannot_add_a_community(world, community):
    response = community.post(
        "/places/new/", {"kind": "community", "parent": world.areas["S1"].pk, "name": "新社区", "code": "9"}
    )
    assert response.status_code == 400
    assert 'data-testid="error-kind"' in response.content.decode()  # not among the kinds offered


def test_renaming_a_grid_is_recorded_and_shown_in_its_history(world, community):
    grid = world.areas["A"]
    assert community.post(f"/places/{grid.pk}/edit/", {"name": "网格甲", "address": ""}).status_code == 302
    assert Area.objects.unscoped("test").get(pk=grid.pk).name == "网格甲"
    assert "grids.update_area" in community.get(f"/places/{grid.pk}/history/").content.decode()


def test_street_staff_cannot_rename_a_grid_and_nothing_changes(world):
    street = force_login_verified(Client(), world.users["street"])
    before = _areas()
    assert street.post(f"/places/{world.areas['A'].pk}/edit/", {"name": "改", "address": ""}).status_code == 404
    assert _areas() == before


def test_a_building_that_holds_households_cannot_be_removed(world, community):
    before = _areas()
    response = community.post(f"/places/{world.areas['A1'].pk}/remove/", {"confirm": "on"})
    assert response.status_code == 400 and "不能删除" in response.content.decode()
    assert _areas() == before


def test_an_empty_building_can_be_removed(world, community):
    empty = services.create_area(actor=SYSTEM, kind=AreaKind.BUILDING, name="空楼", code="T88", parent=world.areas["B"])
    response = community.post(f"/places/{empty.pk}/remove/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/places/"
    assert not Area.objects.unscoped("test").filter(pk=empty.pk).exists()
    assert AuditEntry.objects.filter(action="grids.remove_area", target_id=str(empty.pk)).exists()


def test_the_place_list_shows_only_the_scope(world, community):
    names = {obj.name for obj, _, _ in community.get("/places/", {"kind": "building"}).context["rows"]}
    assert names == {"A1楼", "A2楼", "B1楼"}
