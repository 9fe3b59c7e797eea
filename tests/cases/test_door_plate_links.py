"""The community, grid and building pages lead to their QR door plates, for who may issue them."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(("area", "anchor"), [("K1", ""), ("A", ""), ("A1", "#plate-{pk}")])
def test_the_places_pages_link_to_their_plates_and_the_link_opens(world, client_for, area, anchor):
    client = client_for(world.users["community"])
    target = world.areas[area]
    page = client.get(reverse("grids:area", args=[target.pk]))
    expected = reverse("cases:door_plates", args=[world.areas["K1"].pk]) + anchor.format(pk=target.pk)
    assert page.context["door_plates_url"] == expected
    assert client.get(expected.split("#")[0]).status_code == 200


def test_a_grid_worker_who_cannot_issue_plates_is_not_offered_them(world, client_for):
    page = client_for(world.users["grid_a"]).get(reverse("grids:area", args=[world.areas["A1"].pk]))
    assert "door_plates_url" not in page.context
    assert 'data-testid="door-plates-link"' not in page.content.decode()


def test_a_street_or_district_page_has_no_plates_link(world, client_for):
    page = client_for(world.users["street"]).get(reverse("grids:area", args=[world.areas["S1"].pk]))
    assert "door_plates_url" not in page.context
