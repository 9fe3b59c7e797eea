"""What a generated map must be (the demo's and the city's): every place drawn, valid, inside
the place above it, not overlapping another place of its kind anywhere, and its grids coded by
GB/T 30428.1 and numbered west to east, north to south."""

import itertools
from collections import defaultdict

from shapely import STRtree
from shapely.geometry import Point

from grids import geometry
from grids.models import Area, AreaKind, AreaShape

POLYGONS = [AreaKind.DISTRICT, AreaKind.COUNTY, AreaKind.STREET, AreaKind.TOWN, AreaKind.COMMUNITY, AreaKind.GRID,
            AreaKind.COMPOUND]  # fmt: skip
# Vertices are kept to 0.1 mm: a neighbour may stray that far over a shared edge, no further.
TOLERANCE_M = 0.01
OVERLAP_SHARE = 1e-6


def faults(code_prefix: str) -> list[str]:
    areas = {a.pk: a for a in Area.objects.filter(code__startswith=code_prefix)}
    shapes = {s.area_id: s for s in AreaShape.objects.unscoped("a test reads every shape").filter(area__in=areas)}
    found = []
    drawn = {}
    for pk, area in areas.items():
        s = shapes.get(pk)
        if s is None:
            found.append(f"{area.code} has no shape")
            continue
        if area.kind == AreaKind.BUILDING:
            drawn[pk] = Point(s.lng, s.lat)
            continue
        polygon = geometry.polygon(s.boundary)  # raises for an invalid one
        drawn[pk] = polygon
        if not polygon.covers(Point(s.lng, s.lat)):
            found.append(f"{area.code}'s label point is outside it")
    for pk, area in areas.items():
        parent = drawn.get(area.parent_id)
        if parent is not None and pk in drawn and not geometry.covers(parent, drawn[pk], TOLERANCE_M):
            found.append(f"{area.code} is not inside {areas[area.parent_id].code}")
    by_kind = defaultdict(list)
    for pk, area in areas.items():
        if area.kind in POLYGONS and pk in drawn:
            by_kind[area.kind].append(drawn[pk])
    for kind, polygons in by_kind.items():
        tree = STRtree(polygons)
        for i, polygon in enumerate(polygons):
            for j in tree.query(polygon):
                if j > i and geometry.overlap_share(polygon, polygons[j]) > OVERLAP_SHARE:
                    found.append(f"two {kind} overlap")
    grids = defaultdict(list)
    for area in areas.values():
        if area.kind == AreaKind.GRID:
            grids[area.parent_id].append(area)
    for community_id, children in grids.items():
        community = areas[community_id]
        children.sort(key=lambda a: a.code)
        for grid in children:
            if problem := geometry.grid_code_problem(grid.code, community.code):
                found.append(f"{grid.code}: {problem}")
        numbers = [int(grid.code[-3:]) for grid in children]
        if numbers != list(range(1, len(children) + 1)):
            found.append(f"{community.code}'s grids are numbered {numbers}")
        for here, after in itertools.pairwise(children):
            a, b = shapes[here.pk], shapes[after.pk]
            if not (b.lng > a.lng or b.lat < a.lat):  # the next one is east in its row, or a row further south
                found.append(f"{after.code} lies north-west of {here.code}")
    return found
