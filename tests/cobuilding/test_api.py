import pytest

from cobuilding.models import Need
from tests.cobuilding.test_cobuilding import VISIBLE_UNITS


@pytest.mark.parametrize("persona", sorted(VISIBLE_UNITS))
def test_unit_detail_is_404_outside_scope(units, world, client_for, persona):
    client = client_for(world.users[persona])
    for key, unit in units.items():
        status = client.get(f"/api/v1/co-building-units/{unit.pk}/").status_code
        assert status == (200 if key in VISIBLE_UNITS[persona] else 404), key


def test_unit_list_carries_points_and_standing(units, world, client_for):
    body = client_for(world.users["community"]).get("/api/v1/co-building-units/").json()["results"]
    assert {(u["name"], u["point_total"], tuple(u["standing"])) for u in body} == {
        ("医院", 0, ("loses-sharing",)),
        ("超市", 0, ("loses-sharing",)),
    }


def test_claim_through_the_api_then_a_second_claim_is_a_400(units, world, client_for):
    need = Need.objects.get(title="加装电梯")
    client = client_for(world.users["community"])
    response = client.post(
        f"/api/v1/needs/{need.pk}/claim/", {"unit": units["hospital"].pk}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "claimed"
    again = client.post(f"/api/v1/needs/{need.pk}/claim/", {"unit": units["shop"].pk}, content_type="application/json")
    assert again.status_code == 400
    assert "已被认领" in again.json()["message"]


def test_a_unit_of_another_community_cannot_claim(units, world, client_for):
    need = Need.objects.get(title="加装电梯")
    response = client_for(world.users["street"]).post(
        f"/api/v1/needs/{need.pk}/claim/", {"unit": units["school"].pk}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "unit" in response.json()["fields"]


@pytest.mark.parametrize(("persona", "status"), [("grid_a", 404), ("officer", 404), ("community", 400)])
def test_completing_needs_a_manager_and_a_claimed_need(units, world, client_for, persona, status):
    need = Need.objects.get(title="加装电梯")
    response = client_for(world.users[persona]).post(
        f"/api/v1/needs/{need.pk}/complete/", {"result": "完成"}, content_type="application/json"
    )
    assert response.status_code == status


def test_lists_stay_in_scope(units, world, client_for):
    assert [n["title"] for n in client_for(world.users["community"]).get("/api/v1/needs/").json()["results"]] == [
        "加装电梯"
    ]
    assert client_for(world.users["grid_b"]).get("/api/v1/needs/").json()["results"] == []
