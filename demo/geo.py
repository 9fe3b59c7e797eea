"""Made-up but plausible geometry for the demo's places, so the map is full on first run.

Each place is a cell: a west and an east edge (meridians) and a south and a north edge (polylines
running west to east). A cell's children are its rows, north to south, split into columns, west to
east: numbered as GB/T 30428.1 numbers grids. A row's edge is drawn once, with its own jittered
vertices, and both rows on either side of it use it, and two cells of one row share the meridian
between them, so neighbours share their edges exactly and never overlap; every edge lies strictly
between its parent's, so each child lies inside its parent. A building is a point inside its cell.

Deterministic: the same tree and seed give the same coordinates (WGS-84 degrees).
"""

import bisect
import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass

from grids import geometry
from grids.models import AreaKind
from grids.shapes import OUTLINE_METRES

# Yinchuan's old town (银川, whose 四优四提 policy seed 000 is): a real-looking place in China.
CENTRE = (106.231, 38.487)
GRID_METRES = 420  # a grid of a few hundred households is a few city blocks across
GAP_METRES = 600  # between the districts of a city, laid side by side
METRES_PER_DEGREE = 111_195
# Nine decimals (0.1 mm), not the six (0.1 m) a drawn boundary keeps: a vertex where a neighbour's
# edge ends lies on this edge's straight run, and rounded to 0.1 m it would leave slivers.
PLACES = 9
Line = list[tuple[float, float]]  # (lng, lat) west to east


@dataclass
class Cell:
    west: float
    east: float
    south: Line
    north: Line

    def ring(self) -> list[list[float]]:
        points = self.south + self.north[::-1]
        ring = [[round(x, PLACES), round(y, PLACES)] for x, y in points]
        return [*ring, ring[0]]

    def point(self, u: float, v: float) -> tuple[float, float]:
        """The point `u` of the way east and `v` of the way north (both strictly inside 0–1)."""
        x = self.west + u * (self.east - self.west)
        low, high = _at(self.south, x), _at(self.north, x)
        return round(x, 6), round(low + v * (high - low), 6)


def _at(line: Line, x: float) -> float:
    xs = [p[0] for p in line]
    i = min(max(bisect.bisect_right(xs, x), 1), len(line) - 1)
    (x0, y0), (x1, y1) = line[i - 1], line[i]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def _clip(line: Line, west: float, east: float) -> Line:
    inside = [p for p in line if west < p[0] < east]
    return [(west, _at(line, west)), *inside, (east, _at(line, east))]


def _between(south: Line, north: Line, share: float, rng: random.Random, wobble: float, extra: int) -> Line:
    """A new edge `share` of the way from south to north, through every vertex x of both (so it
    stays strictly between them) and `extra` vertices of its own."""
    west, east = south[0][0], south[-1][0]
    xs = {p[0] for p in south} | {p[0] for p in north}
    xs |= {west + (east - west) * (k + rng.uniform(0.2, 0.8)) / (extra + 1) for k in range(extra + 1)}
    line = []
    for x in sorted(xs):
        t = share + rng.uniform(-wobble, wobble)
        low, high = _at(south, x), _at(north, x)
        line.append((x, low + t * (high - low)))
    return line


def _shape(n: int, width: float, height: float) -> list[int]:
    """How many cells in each row, north to south, for `n` cells in a cell of this size."""
    rows = max(1, min(n, round(math.sqrt(n * height / width))))
    per_row = [n // rows + (1 if r < n % rows else 0) for r in range(rows)]
    return per_row


def split(cell: Cell, n: int, rng: random.Random, *, metres_per_lng: float) -> list[Cell]:
    """`n` cells tiling `cell`, north to south, west to east."""
    width = (cell.east - cell.west) * metres_per_lng
    height = (_at(cell.north, cell.west) - _at(cell.south, cell.west)) * METRES_PER_DEGREE
    per_row = _shape(n, width, height)
    rows = len(per_row)
    edges = [cell.north]
    for r in range(1, rows):
        edges.append(_between(cell.south, cell.north, 1 - r / rows, rng, 0.18 / rows, 3))
    edges.append(cell.south)
    children = []
    for r, count in enumerate(per_row):
        north, south = edges[r], edges[r + 1]
        cuts = [cell.west]
        for c in range(1, count):
            cuts.append(cell.west + (cell.east - cell.west) * (c + rng.uniform(-0.2, 0.2)) / count)
        cuts.append(cell.east)
        for west, east in itertools.pairwise(cuts):
            children.append(Cell(west, east, _clip(south, west, east), _clip(north, west, east)))
    return children


def _inset(cell: Cell, rng: random.Random) -> Cell:
    """A compound (小区) inside its grid: most of it, away from the grid's streets."""
    span = cell.east - cell.west
    west, east = cell.west + span * rng.uniform(0.08, 0.15), cell.east - span * rng.uniform(0.08, 0.15)
    south, north = _clip(cell.south, west, east), _clip(cell.north, west, east)
    return Cell(west, east, _between(south, north, 0.1, rng, 0.03, 1), _between(south, north, 0.9, rng, 0.03, 1))


def _grids_under(node: dict) -> int:
    if node["kind"] == AreaKind.GRID:
        return 1
    return sum(_grids_under(child) for child in node.get("children", ()))


def lay_out(roots: list[dict], seed: str = "demo", centre: tuple[float, float] = CENTRE) -> Iterator[tuple[dict, dict]]:
    """(node, shape) for every node of the trees (dicts with kind and children, as the builders
    make them): shape holds `boundary` (a GeoJSON Polygon) for a polygon kind, and `lng`/`lat` (a
    building's point, a polygon's label point)."""
    rng = random.Random(f"geo-{seed}")
    metres_per_lng = METRES_PER_DEGREE * math.cos(math.radians(centre[1]))
    sizes = [math.sqrt(max(_grids_under(root), 1)) * GRID_METRES for root in roots]
    total = sum(sizes) + GAP_METRES * (len(roots) - 1)
    west = centre[0] - total / 2 / metres_per_lng
    for root, size in zip(roots, sizes, strict=True):
        east = west + size / metres_per_lng
        half = size / 2 / METRES_PER_DEGREE
        line = [(west + (east - west) * k / 4, 0.0) for k in range(5)]
        south = [(x, centre[1] - half + (rng.uniform(-0.04, 0.04) * half if 0 < k < 4 else 0))
                 for k, (x, _) in enumerate(line)]  # fmt: skip
        north = [(x, centre[1] + half + (rng.uniform(-0.04, 0.04) * half if 0 < k < 4 else 0))
                 for k, (x, _) in enumerate(line)]  # fmt: skip
        yield from _place(root, Cell(west, east, south, north), rng, metres_per_lng)
        west = east + GAP_METRES / metres_per_lng


def _place(node: dict, cell: Cell, rng: random.Random, metres_per_lng: float) -> Iterator[tuple[dict, dict]]:
    lng, lat = cell.point(0.5, 0.5)
    yield node, {"boundary": {"type": "Polygon", "coordinates": [cell.ring()]}, "lng": lng, "lat": lat}
    children = node.get("children", [])
    if not children:
        return
    if node["kind"] == AreaKind.GRID and any(child["kind"] == AreaKind.COMPOUND for child in children):
        compound = _inset(cell, rng)
        for child in children:
            if child["kind"] == AreaKind.COMPOUND:
                yield from _place(child, compound, rng, metres_per_lng)
            else:
                yield from _buildings([child], cell, rng, metres_per_lng)
        return
    if all(child["kind"] == AreaKind.BUILDING for child in children):
        yield from _buildings(children, cell, rng, metres_per_lng)
        return
    for child, part in zip(children, split(cell, len(children), rng, metres_per_lng=metres_per_lng), strict=True):
        yield from _place(child, part, rng, metres_per_lng)


def _buildings(buildings: list[dict], cell: Cell, rng: random.Random, metres_per_lng: float):
    """One point a building, each in a plot of its own so they do not pile up."""
    for building, plot in zip(buildings, split(cell, len(buildings), rng, metres_per_lng=metres_per_lng), strict=True):
        lng, lat = plot.point(rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7))
        yield building, {"boundary": None, "lng": lng, "lat": lat}


def shape_fields(shape: dict) -> dict:
    """An AreaShape's columns for a laid-out shape: the outline and bounding box as set_shape
    (grids.shapes) computes them."""
    boundary = shape["boundary"]
    if boundary is None:
        lng, lat = shape["lng"], shape["lat"]
        return {"boundary": None, "outline": None, "lng": lng, "lat": lat,
                "min_lng": lng, "min_lat": lat, "max_lng": lng, "max_lat": lat}  # fmt: skip
    drawn = geometry.polygon(boundary)
    min_lng, min_lat, max_lng, max_lat = drawn.bounds
    return {
        "boundary": boundary,
        "outline": geometry.as_geojson(geometry.simplified(drawn, OUTLINE_METRES)),
        "lng": shape["lng"],
        "lat": shape["lat"],
        "min_lng": min_lng,
        "min_lat": min_lat,
        "max_lng": max_lng,
        "max_lat": max_lat,
    }
