"""Where a phone is: the grid of the caller's scope whose boundary covers a point (its edge and
BOUNDARY_TOLERANCE_METRES included) and the nearest building with a point in that grid. One
function, for the report pages' geolocation and the Open311 endpoint's lat/long alike; a point
outside every grid is refused with the nearest grid named, so the reporter can move or pick one."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import Point

from core.scope import Scope
from grids import geometry
from grids.models import Area, AreaKind, AreaShape


@dataclass(frozen=True)
class Located:
    grid: Area
    building: Area | None  # None when no building of the grid has a point yet
    metres: float | None  # from the point to the building


def _grid_shapes(scope: Scope):
    return AreaShape.objects.within(scope).filter(area__kind=AreaKind.GRID, boundary__isnull=False)


def _in_box(shapes, box):
    min_lng, min_lat, max_lng, max_lat = box
    return shapes.filter(min_lng__lte=max_lng, max_lng__gte=min_lng, min_lat__lte=max_lat, max_lat__gte=min_lat)


def covering_grid(scope: Scope, point: Point) -> Area | None:
    tolerance = settings.BOUNDARY_TOLERANCE_METRES
    for shape in _in_box(_grid_shapes(scope), geometry.box_around(point, tolerance)).select_related("area"):
        if geometry.covers(geometry.polygon(shape.boundary), point, tolerance):
            return shape.area
    return None


def _nearest_grid(scope: Scope, point: Point) -> tuple[Area, float] | None:
    # The rare path (a point outside the scope): every grid of the scope, simplified outlines.
    shapes = _grid_shapes(scope).select_related("area")
    return geometry.nearest(point, ((s.area, geometry.polygon(s.outline or s.boundary)) for s in shapes))


def nearest_building(scope: Scope, grid: Area, point: Point) -> tuple[Area, float] | None:
    buildings = (
        AreaShape.objects.within(scope)
        .filter(
            area__kind=AreaKind.BUILDING,
            area__tree_id=grid.tree_id,
            area__lft__gt=grid.lft,
            area__rght__lt=grid.rght,
            lat__isnull=False,
        )
        .select_related("area")
    )
    best = None
    for shape in buildings:
        metres = geometry.metres_between(point, Point(shape.lng, shape.lat))
        if best is None or metres < best[1]:
            best = (shape.area, metres)
    return best


def locate(scope: Scope, *, lng: float, lat: float) -> Located:
    """The grid and nearest building at (lng, lat) within the scope, or a ValidationError: a
    point outside China (grids.geometry.check_point), or outside every grid of the scope, which
    names the nearest grid."""
    point = geometry.check_point(lng, lat)
    grid = covering_grid(scope, point)
    if grid is None:
        nearest = _nearest_grid(scope, point)
        if nearest is None:
            raise ValidationError(_("您的范围内还没有绘制网格边界,请直接选择楼栋"), code="no_grids")
        raise ValidationError(
            _("位置不在您负责的任何网格内,最近的网格是%(grid)s(约%(metres)s米)"),
            code="outside_grids",
            params={"grid": nearest[0].name, "metres": f"{nearest[1]:.0f}"},
        )
    building = nearest_building(scope, grid, point)
    return Located(grid=grid, building=building[0] if building else None, metres=building[1] if building else None)


def buildings_near(area: Area, metres: float) -> list[int]:
    """The ids of the buildings whose points lie within `metres` of the area's point (the area's
    own included), for the possible duplicates of a report there; none when it has no point.
    Read without a scope: the caller reads the cases at these buildings through its own."""
    shapes = AreaShape.objects.unscoped("building points near a report's, whose cases the caller reads in scope")
    here = shapes.filter(area=area, lat__isnull=False).values_list("lng", "lat").first()
    if here is None:
        return []
    point = Point(*here)
    near = _in_box(shapes.filter(area__kind=AreaKind.BUILDING, lat__isnull=False), geometry.box_around(point, metres))
    return [
        area_id
        for area_id, lng, lat in near.values_list("area_id", "lng", "lat")
        if geometry.metres_between(point, Point(lng, lat)) <= metres
    ]
