"""A report placed by the phone: the lookup's grid and nearest building within the reporter's
scope, a point outside every grid refused with the nearest grid named (lookup, endpoint and form),
and possible duplicates at buildings within CASE_DUPLICATE_RADIUS_METRES across a grid's edge."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from core.scope import SYSTEM, scope_for
from grids import geometry
from grids.locate import locate
from grids.models import AreaKind
from grids.shapes import set_shape
from tests.cases.conftest import category
from tests.factories import AreaFactory
from tests.grids.test_geometry import square

# Degrees of longitude per metre at latitude 30°.
EAST = geometry.DEGREES_PER_METRE / 0.8660254


@pytest.fixture
def drawn(world):
    """K1 (114.00–114.02), grid A its west half, B its east half; A1 and A2 in A, 40 m apart; B1
    45 m east of A1 across the grids' edge and B2 55 m east of it, in B."""
    a = world.areas
    set_shape(actor=SYSTEM, area=a["K1"], boundary=square(114.0, 30.0, 0.02))
    set_shape(actor=SYSTEM, area=a["A"], boundary=square(114.0, 30.0, 0.01))
    set_shape(actor=SYSTEM, area=a["B"], boundary=square(114.01, 30.0, 0.01))
    a["B2"] = AreaFactory(kind=AreaKind.BUILDING, name="B2楼", parent=a["B"])
    here = 114.0098
    for key, lng in [("A1", here), ("A2", here - 40 * EAST), ("B1", here + 45 * EAST), ("B2", here + 55 * EAST)]:
        set_shape(actor=SYSTEM, area=a[key], lng=lng, lat=30.005)
    return a


def test_the_grid_and_the_nearest_building(drawn, world):
    found = locate(scope_for(world.users["grid_a"]), lng=114.0098 - 15 * EAST, lat=30.005)
    assert found.grid == drawn["A"] and found.building == drawn["A1"] and round(found.metres) == 15
    found = locate(scope_for(world.users["grid_a"]), lng=114.0, lat=30.0)  # A's corner, its edge included
    assert found.grid == drawn["A"] and found.building == drawn["A2"]
    # In B, for the community: B's buildings only, though A1 is nearer across the edge.
    found = locate(scope_for(world.users["community"]), lng=114.0101, lat=30.005)
    assert found.grid == drawn["B"] and found.building == drawn["B1"]


def test_outside_every_grid_of_the_scope_names_the_nearest(drawn, world):
    with pytest.raises(ValidationError) as refused:  # in B, which grid worker A does not have
        locate(scope_for(world.users["grid_a"]), lng=114.015, lat=30.005)
    assert refused.value.messages == ["位置不在您负责的任何网格内,最近的网格是网格A(约481米)"]
    with pytest.raises(ValidationError) as refused:  # south of K1, nearer B
        locate(scope_for(world.users["community"]), lng=114.015, lat=29.999)
    assert refused.value.messages == ["位置不在您负责的任何网格内,最近的网格是网格B(约111米)"]


def test_the_endpoint_answers_within_the_scope(drawn, world, client_for):
    client = client_for(world.users["grid_a"])
    url = reverse("grids:locate")
    answer = client.post(url, {"lng": 114.0098, "lat": 30.005}).json()
    assert answer == {
        "grid": {"id": drawn["A"].pk, "name": "网格A"},
        "building": {"id": drawn["A1"].pk, "name": "A1楼", "metres": 0},
    }
    assert client.post(url, {"lng": 114.015, "lat": 30.005}).json()["refused"].startswith("位置不在您负责的任何网格内")
    assert client.post(url, {"lng": "东经", "lat": 30}).status_code == 400
    assert client.get(url, {"lng": 114.0, "lat": 30.0}).status_code == 405
    assert client_for(world.users["officer"]).post(url, {"lng": 114.0, "lat": 30.0}).status_code == 404


def _form(world, **more):
    return {
        "submission_key": str(uuid.uuid4()),
        "area": world.areas["A1"].pk,
        "category": category("safety-fire").pk,
        "description": "消防通道被堵",
        "source": "grid_patrol",
        **more,
    }


def test_a_located_report_outside_every_grid_is_refused(drawn, world, client_for):
    client = client_for(world.users["grid_a"])
    refused = client.post(reverse("cases:new"), _form(world, lng=114.015, lat=30.005))
    assert refused.status_code == 200 and "最近的网格是网格A" in refused.content.decode()
    assert not Case.objects.exists()
    placed = client.post(reverse("cases:new"), _form(world, lng=114.0098, lat=30.005))
    assert placed.status_code == 302
    unplaced = client.post(reverse("cases:new"), _form(world))  # no position: the building chosen
    assert unplaced.status_code == 302


def _ask(client, world, building="A1", code="urban-events-clutter"):
    params = {"area": world.areas[building].pk, "category": category(code).pk}
    return {c["number"] for c in client.get(reverse("cases:possible_duplicates"), params).json()["cases"]}


def test_duplicates_within_the_radius_and_just_outside(drawn, world, report, client_for, settings):
    now = timezone.now()
    by_b = {"by": "grid_b"}
    near = report(building="B1", at=now - datetime.timedelta(days=2), **by_b)  # 45 m
    far = report(building="B2", at=now, **by_b)  # 55 m
    report(building="B1", code="livelihood-sanitation", at=now, **by_b)  # another category
    report(building="B1", at=now - datetime.timedelta(days=8), **by_b)  # before the week
    client = client_for(world.users["community"])
    assert _ask(client, world) == {near.number}
    settings.CASE_DUPLICATE_RADIUS_METRES = 60
    assert _ask(client, world) == {near.number, far.number}
