import pytest
from django.urls import reverse

from tests.test_scope import VISIBLE_AREAS, VISIBLE_HOUSEHOLDS


@pytest.fixture
def api(client_for):
    return client_for


def test_anonymous_is_refused(world, client):
    assert client.get("/api/v1/areas/").status_code == 401


@pytest.mark.parametrize("persona", sorted(VISIBLE_AREAS))
def test_area_detail_is_404_outside_scope(world, api, persona):
    client = api(world.users[persona])
    for key, area in world.areas.items():
        status = client.get(f"/api/v1/areas/{area.pk}/").status_code
        assert status == (200 if key in VISIBLE_AREAS[persona] else 404), key


@pytest.mark.parametrize("persona", sorted(VISIBLE_HOUSEHOLDS))
def test_household_detail_is_404_outside_scope(world, api, persona):
    client = api(world.users[persona])
    for key, household in world.households.items():
        status = client.get(f"/api/v1/households/{household.pk}/").status_code
        assert status == (200 if key in VISIBLE_HOUSEHOLDS[persona] else 404), key


def test_area_list_starts_at_the_users_posts_and_opens_by_parent(world, api):
    client = api(world.users["community"])
    roots = client.get("/api/v1/areas/").json()["results"]
    assert [(a["name"], a["household_count"], a["resident_count"]) for a in roots] == [("一社区", 4, 5)]
    children = client.get("/api/v1/areas/", {"parent": world.areas["K1"].pk}).json()["results"]
    assert [a["name"] for a in children] == ["网格A", "网格B"]
    assert client.get("/api/v1/areas/", {"parent": world.areas["K2"].pk}).status_code == 404


def test_a_bad_parameter_is_a_400_that_names_it(world, api):
    response = api(world.users["community"]).get("/api/v1/areas/", {"parent": "abc"})
    assert response.status_code == 400
    assert "parent" in response.json()["fields"]
    response = api(world.users["community"]).get("/api/v1/households/")
    assert response.status_code == 400
    assert "area" in response.json()["fields"]


def test_residents_are_masked_in_the_api_even_for_permitted_users(world, api):
    resident = world.residents["A1c"]
    body = api(world.users["community"]).get(f"/api/v1/residents/{resident.pk}/").json()
    assert body["citizen_id"] == "*" * 14 + resident.citizen_id[-4:]
    assert "birth_date" not in body
    assert (body["sex"], body["age"]) == (resident.sex, resident.age())  # read from the ID, not a column
    assert body["key_groups"] == []  # 社区矫正人员 is sensitive: only in the logged reveal


def test_resident_search_stays_in_scope(world, api):
    other = world.residents["C1"]
    search = "/api/v1/residents/search/"
    assert api(world.users["grid_a"]).post(search, {"q": other.citizen_id}).json()["results"] == []
    found = api(world.users["street"]).post(search, {"q": other.citizen_id}).json()["results"]
    assert [r["id"] for r in found] == [other.pk]


def test_the_docs_page_is_served(world, api):
    assert api(world.users["grid_a"]).get(reverse("api-docs")).status_code == 200
