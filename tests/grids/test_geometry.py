"""The geometry of places: points on edges and vertices, containment and overlap with hand-made
polygons, the grid coding rule, and the one service that sets a place's shape."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from shapely.geometry import Point

from core.models import AuditEntry
from grids import geometry
from grids.models import AreaShape
from grids.shapes import set_shape


def square(lng, lat, size=0.01):
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


BOX = geometry.polygon(square(114.0, 30.0))
BOW_TIE = [[114, 30], [114.01, 30.01], [114.01, 30], [114, 30.01], [114, 30]]  # a ring that crosses itself


@pytest.mark.parametrize(
    ("lng", "lat", "inside"),
    [
        (114.005, 30.005, True),  # the middle
        (114.0, 30.005, True),  # on the west edge
        (114.0, 30.0, True),  # on a vertex
        (114.01, 30.01, True),  # the opposite vertex
        (113.9999, 30.005, False),  # just west of the edge
        (114.005, 30.0101, False),  # just north of it
    ],
)
def test_a_point_on_the_edge_or_a_vertex_is_inside(lng, lat, inside):
    assert geometry.covers(BOX, Point(lng, lat)) is inside


def test_a_tolerance_in_metres_lets_a_point_just_outside_in():
    outside = Point(114.005, 30.01003)  # about 3 m north
    assert not geometry.covers(BOX, outside)
    assert geometry.covers(BOX, outside, tolerance_m=5)
    assert not geometry.covers(BOX, Point(114.005, 30.0101), tolerance_m=5)  # 11 m


def test_neighbours_that_share_an_edge_do_not_overlap_and_one_inside_another_does():
    east = geometry.polygon(square(114.01, 30.0))
    assert geometry.overlap_share(BOX, east) == 0
    half = geometry.polygon(square(114.005, 30.0))
    assert geometry.overlap_share(BOX, half) == pytest.approx(0.5)
    inner = geometry.polygon(square(114.002, 30.002, 0.001))
    assert geometry.overlap_share(BOX, inner) == pytest.approx(1)
    assert geometry.covers(BOX, inner) and not geometry.covers(inner, BOX)


@pytest.mark.parametrize(
    ("geojson", "code"),
    [
        ({"type": "Point", "coordinates": [114, 30]}, "not_polygon"),
        ({"type": "Polygon", "coordinates": [[[114, 30], [114.01, 30]]]}, "malformed"),
        ({"type": "Polygon", "coordinates": [BOW_TIE]}, "invalid"),
        (square(30.0, 114.0), "longitude"),  # latitude and longitude swapped
        ("not even a dict", "not_polygon"),
    ],
)
def test_a_bad_boundary_is_refused_with_its_fault_named(geojson, code):
    with pytest.raises(ValidationError) as refused:
        geometry.polygon(geojson)
    assert refused.value.code == code


def test_distances_and_the_search_box():
    # one thousandth of a degree of latitude is about 111 m anywhere
    assert geometry.metres_between(Point(114, 30), Point(114, 30.001)) == pytest.approx(111.2, abs=0.2)
    west, south, east, north = geometry.box_around(Point(114, 30), 50)
    for corner in [Point(west, 30), Point(east, 30), Point(114, south), Point(114, north)]:
        assert geometry.metres_between(Point(114, 30), corner) == pytest.approx(50, abs=0.01)


def test_the_nearest_of_several_places():
    places = [("box", BOX), ("east", geometry.polygon(square(114.02, 30.0)))]
    assert geometry.nearest(Point(114.005, 30.005), places) == ("box", 0.0)
    key, metres = geometry.nearest(Point(114.019, 30.005), places)
    assert key == "east" and metres == pytest.approx(96, abs=2)
    assert geometry.nearest(Point(114, 30), []) is None


@pytest.mark.parametrize(
    ("code", "fine"),
    [
        ("110105001001001", True),
        ("110105001001999", True),
        ("110105001001000", False),  # sequence numbers start at 001
        ("11010500100101", False),  # 14 digits
        ("110105001002001", False),  # another community's code
        ("11010500100100A", False),
    ],
)
def test_the_grid_coding_rule(code, fine):
    assert (geometry.grid_code_problem(code, "110105001001") is None) is fine


def test_a_grid_drawn_inside_its_community_and_beside_its_neighbour(world):
    a, admin, community = world.areas, world.users["admin"], world.users["community"]
    set_shape(actor=admin, area=a["K1"], boundary=square(114.0, 30.0, 0.02))
    set_shape(actor=community, area=a["A"], boundary=square(114.0, 30.0))
    set_shape(actor=community, area=a["B"], boundary=square(114.01, 30.0))  # shares A's east edge
    shape = AreaShape.objects.get(area=a["A"])
    assert (shape.min_lng, shape.min_lat, shape.max_lng, shape.max_lat) == (114.0, 30.0, 114.01, 30.01)
    assert geometry.covers(geometry.polygon(shape.boundary), Point(shape.lng, shape.lat))
    assert AuditEntry.objects.filter(action="grids.set_shape", target_id=a["B"].pk).exists()

    with pytest.raises(ValidationError) as refused:  # half over A
        set_shape(actor=community, area=a["B"], boundary=square(114.005, 30.0))
    assert "网格A" in refused.value.messages[0] and "50.0%" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:  # past the community's east edge
        set_shape(actor=community, area=a["B"], boundary=square(114.015, 30.0))
    assert refused.value.messages == ["边界超出了上级一社区的范围"]

    set_shape(actor=community, area=a["A1"], lng=114.005, lat=30.005)
    with pytest.raises(ValidationError) as refused:
        set_shape(actor=community, area=a["A1"], lng=114.015, lat=30.005)  # in grid B, not A
    assert refused.value.messages == ["位置点不在网格A的范围内"]
    assert AreaShape.objects.get(area=a["A1"]).lng == 114.005


def test_only_the_keeper_of_a_place_draws_it(world):
    with pytest.raises(PermissionDenied):
        set_shape(actor=world.users["community"], area=world.areas["C"], boundary=square(114.0, 30.0))
    with pytest.raises(PermissionDenied):
        set_shape(actor=world.users["grid_b"], area=world.areas["A1"], lng=114.0, lat=30.0)
