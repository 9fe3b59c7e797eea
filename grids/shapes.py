"""Where places are: a boundary for a street, community, grid or compound, a point for a building,
set through one service whether it comes from a surveying office's file (the geometry import) or a
hand on the map page, and checked the same way either time.

The checks: the geometry is valid (grids.geometry.polygon); it lies within the nearest place
above it that has a boundary (a grid in its community, a building's point in its grid or
compound), within `BOUNDARY_TOLERANCE_METRES` for boundaries surveyed separately; and places of one
kind under one parent overlap by no more than `BOUNDARY_OVERLAP_SHARE` of the smaller one.
"""

from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from core import audit
from grids import geometry
from grids.access import require_place_keeper
from grids.models import Area, AreaKind, AreaShape

POLYGON_KINDS = {
    AreaKind.DISTRICT,
    AreaKind.COUNTY,
    AreaKind.COUNTY_CITY,
    AreaKind.STREET,
    AreaKind.TOWN,
    AreaKind.COMMUNITY,
    AreaKind.GRID,
    AreaKind.COMPOUND,
}
# What a place's 位置 page edits: a boundary, or a building's point.
SHAPED_KINDS = POLYGON_KINDS | {AreaKind.BUILDING}
# A map of a whole district draws boundaries with vertices closer than this dropped.
OUTLINE_METRES = 5


def _above_with_boundary(area: Area) -> tuple[Area, BaseGeometry] | None:
    """The nearest place above `area` that has a boundary, and the boundary."""
    ancestors = area.get_ancestors(ascending=True)
    shapes = AreaShape.objects.unscoped("the places above the one being drawn, to check it lies in them").filter(
        area__in=ancestors, boundary__isnull=False
    )
    by_area = {shape.area_id: shape for shape in shapes}
    for ancestor in ancestors:
        if ancestor.pk in by_area:
            return ancestor, geometry.polygon(by_area[ancestor.pk].boundary)
    return None


def _overlapping_siblings(area: Area, boundary: BaseGeometry, replacing: Collection[int]) -> list[tuple[Area, float]]:
    """Places of the area's kind under its parent whose boundaries share more than the tolerance;
    those in `replacing` are left out (their shapes are about to change in the same transaction)."""
    if area.parent_id is None:
        return []
    min_lng, min_lat, max_lng, max_lat = boundary.bounds
    candidates = (
        AreaShape.objects.unscoped("its neighbours under one parent, to check they do not overlap")
        .filter(
            area__parent_id=area.parent_id,
            area__kind=area.kind,
            boundary__isnull=False,
            min_lng__lte=max_lng,
            max_lng__gte=min_lng,
            min_lat__lte=max_lat,
            max_lat__gte=min_lat,
        )
        .exclude(area=area)
        .exclude(area__in=replacing)
        .select_related("area")
    )
    found = []
    for candidate in candidates:
        share = geometry.overlap_share(boundary, geometry.polygon(candidate.boundary))
        if share > settings.BOUNDARY_OVERLAP_SHARE:
            found.append((candidate.area, share))
    return found


def boundary_problems(area: Area, boundary: BaseGeometry, replacing: Collection[int] = ()) -> list[str]:
    """Why the boundary cannot be the area's, in the user's language; empty when it can."""
    if area.kind not in POLYGON_KINDS:
        return [_("楼栋只标注位置点,不绘制边界")]
    problems = []
    above = _above_with_boundary(area)
    if above and not geometry.covers(above[1], boundary, settings.BOUNDARY_TOLERANCE_METRES):
        problems.append(_("边界超出了上级%(above)s的范围") % {"above": above[0].name})
    for sibling, share in _overlapping_siblings(area, boundary, replacing):
        problems.append(
            _("与同级的%(other)s重叠 %(share)s(允许不超过 %(limit)s)")
            % {
                "other": sibling.name,
                "share": f"{share:.1%}",
                "limit": f"{settings.BOUNDARY_OVERLAP_SHARE:.0%}",
            }
        )
    return problems


def point_problems(area: Area, point: Point) -> list[str]:
    """Why the point cannot be the building's, in the user's language; empty when it can."""
    if area.kind != AreaKind.BUILDING:
        return [_("只有楼栋标注位置点")]
    above = _above_with_boundary(area)
    if above and not geometry.covers(above[1], point, settings.BOUNDARY_TOLERANCE_METRES):
        return [_("位置点不在%(above)s的范围内") % {"above": above[0].name}]
    return []


@transaction.atomic
def set_shape(
    *,
    actor,
    area: Area,
    boundary: dict | None = None,
    lng: float | None = None,
    lat: float | None = None,
    replacing: Collection[int] = (),
):
    """Draw a place's boundary (streets down to compounds) or place a building's point, after the
    checks above; whoever keeps the place (grids.access.require_place_keeper) may. Given nothing,
    the place's geometry is removed. `replacing`: the places whose shapes the same transaction sets
    next (a geometry import, grids.geoimport), whose present shapes no new one must avoid."""
    capacity = require_place_keeper(actor, area.kind, area)
    shape = AreaShape.objects.unscoped("the shape of the area in hand").filter(area=area).select_for_update().first()
    shape = shape or AreaShape(area=area)
    fields = []
    if boundary is not None:
        drawn = geometry.polygon(boundary)
        problems = boundary_problems(area, drawn, replacing)
        if problems:
            raise ValidationError(problems, code="boundary")
        shape.boundary = geometry.as_geojson(drawn)
        shape.outline = geometry.as_geojson(geometry.simplified(drawn, OUTLINE_METRES))
        label = drawn.representative_point()
        shape.lng, shape.lat = round(label.x, 6), round(label.y, 6)
        shape.min_lng, shape.min_lat, shape.max_lng, shape.max_lat = drawn.bounds
        fields = ["boundary"]
    elif lng is not None or lat is not None:
        if lng is None or lat is None:
            raise ValidationError(_("经度和纬度须同时填写"), code="point")
        point = geometry.check_point(float(lng), float(lat))
        problems = point_problems(area, point)
        if problems:
            raise ValidationError(problems, code="point")
        shape.boundary = shape.outline = None
        shape.lng, shape.lat = round(point.x, 6), round(point.y, 6)
        shape.min_lng = shape.max_lng = shape.lng
        shape.min_lat = shape.max_lat = shape.lat
        fields = ["lng", "lat"]
    elif shape.pk and not shape._state.adding:
        shape.delete()
        audit.record(actor=actor, action="grids.clear_shape", target=area, fields=[], capacity=capacity)
        return None
    else:
        return None
    shape.full_clean(validate_unique=False)
    shape.save()
    audit.record(actor=actor, action="grids.set_shape", target=area, fields=fields, capacity=capacity)
    return shape
