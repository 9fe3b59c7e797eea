"""The demo's made-up geometry (demo.geo): cells tile their parent exactly and stay inside it."""

import random

from shapely.geometry import Point, shape
from shapely.ops import unary_union

from demo import geo
from demo.city.plan import SCALES
from demo.city.skeleton import _area_trees
from grids.models import AreaKind


def _laid_out():
    roots = _area_trees(SCALES["city-tiny"], random.Random("test"))
    return roots, dict((id(node), s) for node, s in geo.lay_out(roots, "test"))


def test_children_tile_their_parent_with_no_gap_and_no_overlap():
    roots, shapes = _laid_out()

    def check(node):
        children = [c for c in node.get("children", []) if shapes[id(c)]["boundary"]]
        if children:
            parent = shape(shapes[id(node)]["boundary"])
            union = unary_union([shape(shapes[id(c)]["boundary"]) for c in children])
            total = sum(shape(shapes[id(c)]["boundary"]).area for c in children)
            assert abs(union.area - parent.area) / parent.area < 1e-7  # no gap
            assert abs(total - parent.area) / parent.area < 1e-7  # no overlap
        for child in node.get("children", []):
            check(child)

    for root in roots:
        check(root)


def test_every_building_is_a_point_inside_its_grid_and_the_same_seed_draws_the_same_map():
    roots, shapes = _laid_out()
    for root in roots:
        for street in root["children"]:
            for community in street["children"]:
                for grid in community["children"]:
                    polygon = shape(shapes[id(grid)]["boundary"])
                    for building in grid["children"]:
                        assert building["kind"] == AreaKind.BUILDING
                        where = shapes[id(building)]
                        assert where["boundary"] is None and polygon.contains(Point(where["lng"], where["lat"]))
    again = _laid_out()[1]
    assert list(again.values()) == list(shapes.values())


def test_the_map_is_in_china_around_its_centre():
    _roots, shapes = _laid_out()
    for s in shapes.values():
        assert 73 < s["lng"] < 136 and 3 < s["lat"] < 54
        assert abs(s["lng"] - geo.CENTRE[0]) < 0.5 and abs(s["lat"] - geo.CENTRE[1]) < 0.5
