"""The geometry of places, as plain functions over shapely: a grid, compound or community is a
closed polygon, a building a point, all in longitude/latitude degrees on CGCS2000, which a phone's
GPS (WGS-84) and 天地图 give and which agree to well under a metre at street scale. GCJ-02
(the offset the Gaode and Tencent tiles use) is never stored: the map converts at its edge.

Stored as GeoJSON geometries (RFC 7946) in `AreaShape` rows with their bounding box in indexed
columns, so SQLite needs nothing installed; at a district's few thousand polygons a bounding-box
pre-filter in SQL and the exact test here is all a lookup takes.
"""

import math
import re
from collections.abc import Iterable

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.errors import GEOSException
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points
from shapely.validation import explain_validity

POLYGONAL = ("Polygon", "MultiPolygon")
EARTH_RADIUS_M = 6_371_008.8
# Degrees of latitude per metre; a degree of longitude is shorter by cos(latitude).
DEGREES_PER_METRE = 1 / (math.pi * EARTH_RADIUS_M / 180)
# China's extent, generously: a coordinate outside it is a swapped pair or a projected value.
LNG_RANGE = (73.0, 136.0)
LAT_RANGE = (3.0, 54.0)
# 15 digits (GB/T 30428.1, CJ/T 213): the community's 12-digit statistical code, then the grid's
# sequence number, 001–999, numbered west to east and north to south within the community.
GRID_CODE = re.compile(r"^(?P<community>\d{12})(?P<sequence>\d{3})$")


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def check_point(lng: float, lat: float) -> Point:
    """A point in China's extent, or a ValidationError that says which number is off."""
    if not (LNG_RANGE[0] <= lng <= LNG_RANGE[1]):
        raise _refuse(_("经度 %(value)s 不在中国境内(73–136)") % {"value": lng}, "longitude")
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
        raise _refuse(_("纬度 %(value)s 不在中国境内(3–54)") % {"value": lat}, "latitude")
    return Point(lng, lat)


def polygon(geojson: dict) -> BaseGeometry:
    """A GeoJSON Polygon or MultiPolygon as a valid shapely geometry, or a ValidationError that
    names the fault (wrong type, a coordinate out of range, a ring that crosses itself …)."""
    if not isinstance(geojson, dict) or geojson.get("type") not in POLYGONAL:
        raise _refuse(_("边界须为 GeoJSON 的 Polygon 或 MultiPolygon"), "not_polygon")
    try:
        geometry = shape(geojson)
    except (ValueError, TypeError, AttributeError, IndexError, GEOSException) as exc:
        raise _refuse(_("边界坐标格式不正确"), "malformed") from exc
    if geometry.is_empty:
        raise _refuse(_("边界为空"), "empty")
    min_lng, min_lat, max_lng, max_lat = geometry.bounds
    check_point(min_lng, min_lat)
    check_point(max_lng, max_lat)
    if not geometry.is_valid:
        raise _refuse(_("边界不是有效的多边形:%(why)s") % {"why": explain_validity(geometry)}, "invalid")
    return geometry


def as_geojson(geometry: BaseGeometry) -> dict:
    """The geometry as a GeoJSON dict with plain lists, six decimals (about 0.1 m)."""
    rounded = shapely.set_precision(geometry, 1e-6) if not isinstance(geometry, Point) else geometry
    data = mapping(rounded)
    return _listed(data)


def _listed(value):
    if isinstance(value, dict):
        return {key: _listed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_listed(item) for item in value]
    return round(value, 6) if isinstance(value, float) else value


def simplified(geometry: BaseGeometry, metres: float) -> BaseGeometry:
    """Fewer vertices for a map drawn far out; the topology kept (no ring crosses itself)."""
    return geometry.simplify(metres * DEGREES_PER_METRE, preserve_topology=True)


def metres_between(a: Point, b: Point) -> float:
    """Great-circle distance (haversine): exact enough for tens of metres to tens of kilometres."""
    lng1, lat1, lng2, lat2 = map(math.radians, (a.x, a.y, b.x, b.y))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def box_around(point: Point, metres: float) -> tuple[float, float, float, float]:
    """(min_lng, min_lat, max_lng, max_lat) of a square at least `metres` from the point each way:
    the SQL pre-filter for a radius search, refined by metres_between."""
    dlat = metres * DEGREES_PER_METRE
    dlng = dlat / max(math.cos(math.radians(point.y)), 1e-6)
    return point.x - dlng, point.y - dlat, point.x + dlng, point.y + dlat


def covers(outer: BaseGeometry, inner: BaseGeometry, tolerance_m: float = 0.0) -> bool:
    """Whether `inner` (a polygon or a point) lies within `outer`, its edge included, allowing
    `tolerance_m` for boundaries surveyed separately."""
    if tolerance_m:
        outer = outer.buffer(tolerance_m * DEGREES_PER_METRE)
    return outer.covers(inner)


def overlap_share(a: BaseGeometry, b: BaseGeometry) -> float:
    """The share of the smaller polygon that the two have in common: 0 for neighbours that only
    touch along an edge, 1 when one lies inside the other."""
    smaller = min(a.area, b.area)
    return a.intersection(b).area / smaller if smaller else 0.0


def nearest(point: Point, candidates: Iterable[tuple[object, BaseGeometry]]):
    """(key, metres) of the candidate geometry nearest the point, 0 for one that covers it; None
    when there are no candidates."""
    best = None
    for key, geometry in candidates:
        if geometry.covers(point):
            return key, 0.0
        metres = metres_between(point, nearest_points(geometry, point)[0])
        if best is None or metres < best[1]:
            best = (key, metres)
    return best


def grid_code_problem(code: str, community_code: str) -> str | None:
    """What is wrong with a grid's code under the coding rule, in the user's language; None when
    it follows it."""
    match = GRID_CODE.match(code)
    if not match:
        return _("网格编码应为15位数字:社区12位编码加3位网格顺序号")
    if match["community"] != community_code:
        return _("网格编码的前12位应为所属社区的编码 %(code)s") % {"code": community_code}
    if match["sequence"] == "000":
        return _("网格顺序号应为001–999")
    return None
