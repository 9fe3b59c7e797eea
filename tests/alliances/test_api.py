"""The alliances API: the chair as the page computes it, the hand-over through the page's service."""

from django.utils import timezone


def test_the_street_hands_over_the_chair_through_the_api(world, alliance, client_for):
    client = client_for(world.users["street"])
    before = client.get(f"/api/v1/alliances/{alliance.pk}/").json()
    assert before["chair"]["due"] is True and before["chair"]["term"] is None
    # No chair has served: the first in the rotation takes it from today, for one term.
    handed = client.post(f"/api/v1/alliances/{alliance.pk}/hand-over/", {}, content_type="application/json")
    assert handed.status_code == 201, handed.content
    assert handed.json()["starts_on"] == timezone.localdate().isoformat()
    after = client.get(f"/api/v1/alliances/{alliance.pk}/").json()
    assert after["chair"]["term"]["id"] == handed.json()["id"] and after["chair"]["due"] is False


def test_a_community_reads_its_streets_alliance_but_cannot_hand_over(world, alliance, client_for):
    client = client_for(world.users["community"])
    assert [a["id"] for a in client.get("/api/v1/alliances/").json()["results"]] == [alliance.pk]
    refused = client.post(f"/api/v1/alliances/{alliance.pk}/hand-over/", {}, content_type="application/json")
    assert refused.status_code == 404
