"""A place's 位置 page: a building's point and a grid's boundary set on it through set_shape (an
audit entry each), a refusal shown on the page in Chinese, and the page only for the place's keeper."""

import json

import pytest
from django.urls import reverse

from core.models import AuditEntry
from core.scope import SYSTEM
from grids import geometry
from grids.models import AreaShape
from grids.shapes import set_shape
from tests.grids.test_geometry import square


def stored(*corner_and_size):
    """A square as set_shape keeps it (six decimals, its ring turned clockwise by GEOS)."""
    return geometry.as_geojson(geometry.polygon(square(*corner_and_size)))


@pytest.fixture
def drawn(world):
    set_shape(actor=SYSTEM, area=world.areas["K1"], boundary=square(114.0, 30.0, 0.02))
    set_shape(actor=SYSTEM, area=world.areas["A"], boundary=square(114.0, 30.0))
    return world.areas


def test_a_building_moved_on_its_page(drawn, world, client_for):
    client = client_for(world.users["community"])
    url = reverse("grids:area_shape", args=[drawn["A1"].pk])
    page = client.get(url)
    assert page.status_code == 200
    map_data = page.context["map_data"]  # the map draws grid A behind the point
    assert map_data["kind"] == "building" and map_data["above"] == stored(114.0, 30.0) and map_data["point"] is None
    assert client.get(reverse("grids:area", args=[drawn["A1"].pk])).context["shape_url"] == url
    moved = client.post(url, {"lng": "114.004", "lat": "30.006"})
    assert moved.status_code == 302
    shape = AreaShape.objects.get(area=drawn["A1"])
    assert (shape.lng, shape.lat) == (114.004, 30.006)
    entry = AuditEntry.objects.get(action="grids.set_shape", target_id=drawn["A1"].pk)
    assert entry.actor == world.users["community"]

    refused = client.post(url, {"lng": "114.015", "lat": "30.006"})  # east of grid A
    assert refused.status_code == 400
    assert "位置点不在网格A的范围内" in refused.content.decode()
    assert AreaShape.objects.get(area=drawn["A1"]).lng == 114.004
    assert client.post(url, {}).status_code == 400  # nothing placed


def test_a_grid_redrawn_by_pasting_geojson(drawn, world, client_for):
    client = client_for(world.users["community"])
    url = reverse("grids:area_shape", args=[drawn["B"].pk])
    drawn_b = client.post(url, {"boundary": json.dumps(square(114.01, 30.0))})
    assert drawn_b.status_code == 302
    assert AreaShape.objects.get(area=drawn["B"]).boundary == stored(114.01, 30.0)
    overlapping = client.post(url, {"boundary": json.dumps(square(114.005, 30.0))})
    assert overlapping.status_code == 400 and "与同级的网格A重叠 50.0%" in overlapping.content.decode()
    assert client.post(url, {"boundary": "{not json"}).status_code == 400
    assert AuditEntry.objects.filter(action="grids.set_shape", target_id=drawn["B"].pk).count() == 1


def test_only_the_keeper_finds_the_page(drawn, world, client_for):
    grid_worker = client_for(world.users["grid_a"])
    assert grid_worker.get(reverse("grids:area_shape", args=[drawn["A1"].pk])).status_code == 404  # sees, not keeps
    assert "shape_url" not in grid_worker.get(reverse("grids:area", args=[drawn["A1"].pk])).context
    community = client_for(world.users["community"])
    assert community.get(reverse("grids:area_shape", args=[drawn["C1"].pk])).status_code == 404  # K2's
    assert community.get(reverse("grids:area_shape", args=[drawn["K1"].pk])).status_code == 404  # the district's
