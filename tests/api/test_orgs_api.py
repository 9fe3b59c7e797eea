import pytest

from tests.orgs.test_pages import VISIBLE_ORGS


@pytest.mark.parametrize("persona", sorted(VISIBLE_ORGS))
def test_organisation_detail_is_404_outside_scope(world, client_for, persona):
    client = client_for(world.users[persona])
    for key, org in world.orgs.items():
        status = client.get(f"/api/v1/organizations/{org.pk}/").status_code
        assert status == (200 if key in VISIBLE_ORGS[persona] else 404), key


def test_organisation_list_carries_counts_and_advisories(world, client_for):
    body = client_for(world.users["community"]).get("/api/v1/organizations/").json()["results"]
    by_name = {o["name"]: o for o in body}
    assert set(by_name) == {"一社区党总支", "网格A党支部", "A1楼党小组"}
    grid_branch = by_name["网格A党支部"]
    assert (grid_branch["full_count"], grid_branch["probationary_count"]) == (2, 1)
    assert [a["code"] for a in grid_branch["advisories"]] == ["joint_branch"]
    assert by_name["一社区党总支"]["term_expired"] is True


def test_members_filter_and_refuse_a_bad_filter(world, client_for):
    client = client_for(world.users["street"])
    names = [m["name"] for m in client.get("/api/v1/party-members/", {"status": "probationary"}).json()["results"]]
    assert names == ["党员丙"]
    response = client.get("/api/v1/party-members/", {"kind": "astronaut"})
    assert response.status_code == 400
    assert "kind" in response.json()["fields"]


def test_posts_are_those_in_scope(world, client_for):
    posts = client_for(world.users["grid_a"]).get("/api/v1/posts/").json()["results"]
    assert {(p["holder_name"], p["role"]) for p in posts} == {
        ("world_grid_a", "grid_worker"),
        ("world_sunk", "sunk_staff"),
    }
    assert client_for(world.users["officer"]).get("/api/v1/posts/").json()["results"] == []
