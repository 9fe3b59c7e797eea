"""一张图: the map's layers, each one query over the caller's scope whatever the number of places.

A grid's colour comes from a measure. Most measures count what the apps above places keep (cases,
party organisations), so they register here when they load (`provide_measure` in their
AppConfig.ready(), as grids.panels does for pages) and grids never imports them. A measure takes
the scope and the grids on screen (a queryset) and returns {grid id: value} in one query.

Sensitive key groups never reach a map: the key-group measure counts grids.rollup's
`key_group_residents`, which leaves them out.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max, Min, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.scope import Scope
from grids.models import Area, AreaKind, AreaShape
from grids.selectors import totals

# From this zoom in the grids are drawn with their full boundaries and the buildings appear
# (at 16 a 420 m grid is about 700 px across on a phone: its buildings are a finger apart).
DETAIL_ZOOM = 15
BUILDINGS_ZOOM = 16
BUILDINGS_MAX = 3000  # a street's buildings; more on one screen is a heap of dots
PERIODS = (7, 30, 90, 365)  # the period filter: cases reported within so many days, or every open one


@dataclass(frozen=True)
class Measure:
    key: str
    label: Promise
    values: Callable[[Scope, QuerySet[Area]], dict[int, float]]
    order: int = 50
    # Shown as a share (0–1, drawn as a percentage) rather than a count.
    share: bool = False


_measures: dict[str, Measure] = {}


def provide_measure(measure: Measure) -> None:
    _measures[measure.key] = measure


def measures() -> list[Measure]:
    return sorted(_measures.values(), key=lambda m: (m.order, m.key))


def measure(key: str | None) -> Measure | None:
    return _measures.get(key or "") or (measures()[0] if _measures else None)


def _key_group_residents(scope: Scope, grids: QuerySet[Area]) -> dict[int, float]:
    return totals(grids, "key_group_residents")


provide_measure(Measure("key_groups", _("重点人群(不含敏感类)"), _key_group_residents, order=40))


@dataclass(frozen=True)
class Box:
    """What is on screen: (west, south, east, north) in degrees."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str | None) -> "Box | None":
        try:
            west, south, east, north = (float(part) for part in (text or "").split(","))
        except ValueError:
            return None
        if not (west <= east and south <= north):
            return None
        return cls(west, south, east, north)

    def overlapping(self, prefix: str = "") -> dict:
        """Filter kwargs: the shape at `prefix` overlaps the box (its bounding box does)."""
        return {
            f"{prefix}min_lng__lte": self.east,
            f"{prefix}max_lng__gte": self.west,
            f"{prefix}min_lat__lte": self.north,
            f"{prefix}max_lat__gte": self.south,
        }


def grids_on_screen(scope: Scope, box: Box | None) -> QuerySet[Area]:
    grids = Area.objects.within(scope).filter(kind=AreaKind.GRID, shape__boundary__isnull=False)
    return grids.filter(**box.overlapping("shape__")) if box else grids


def _feature(geometry: str, **properties) -> str:
    return f'{{"type":"Feature","geometry":{geometry},"properties":{json.dumps(properties)}}}'


def grid_layer(scope: Scope, *, box: Box | None, zoom: int, chosen: Measure | None) -> str:
    """The grids as a GeoJSON FeatureCollection (its text) with the measure's value: the simplified
    outline far out, the boundary close in. Two queries: the shapes, the measure. Each geometry is
    spliced in as the database returns it, a JSON text, rather than parsed and written out again."""
    column = "boundary" if zoom >= DETAIL_ZOOM else "outline"
    shapes = AreaShape.objects.within(scope).filter(area__kind=AreaKind.GRID, boundary__isnull=False)
    if box:
        shapes = shapes.filter(**box.overlapping())
    rows = list(
        shapes.order_by("area__code")
        .annotate(geometry=Cast(column, TextField()))
        .values_list("area_id", "area__name", "area__code", "geometry")
    )
    values = chosen.values(scope, grids_on_screen(scope, box)) if chosen and rows else {}
    features = ",".join(
        _feature(geometry, id=pk, name=name, code=code, value=values.get(pk, 0)) for pk, name, code, geometry in rows
    )
    envelope = json.dumps(
        {"type": "FeatureCollection", "measure": chosen.key if chosen else None, "share": bool(chosen and chosen.share)}
    )
    return f'{envelope[:-1]},"features":[{features}]}}'


def building_layer(scope: Scope, *, box: Box | None, zoom: int) -> dict:
    """Buildings' points when zoomed in (none further out: the grids say enough there)."""
    if zoom < BUILDINGS_ZOOM:
        return {"buildings": [], "hidden": True}
    shapes = AreaShape.objects.within(scope).filter(area__kind=AreaKind.BUILDING, lng__isnull=False)
    if box:
        shapes = shapes.filter(lng__gte=box.west, lng__lte=box.east, lat__gte=box.south, lat__lte=box.north)
    rows = shapes.order_by("area__code").values_list("area_id", "area__name", "lng", "lat")[:BUILDINGS_MAX]
    return {"buildings": [[pk, name, lng, lat] for pk, name, lng, lat in rows], "hidden": False}


def scope_bounds(scope: Scope) -> list[float] | None:
    """[west, south, east, north] of the scope's grids: where the map opens."""
    box = (
        AreaShape.objects.within(scope)
        .filter(area__kind=AreaKind.GRID, boundary__isnull=False)
        .aggregate(w=Min("min_lng"), s=Min("min_lat"), e=Max("max_lng"), n=Max("max_lat"))
    )
    return None if box["w"] is None else [box["w"], box["s"], box["e"], box["n"]]


def place_shape(scope: Scope, area: Area) -> dict:
    """A place's page's small map: its boundary or point (the page has checked the scope)."""
    shape = AreaShape.objects.within(scope).filter(area=area).values("boundary", "lng", "lat").first()
    if not shape or (shape["boundary"] is None and shape["lng"] is None):
        return {}
    return {"place_shape": shape, "place_map": tiles()}


def tiles() -> dict:
    """The background, if a tile source is configured (settings.MAP_TILE_URL), and its coordinate
    system: the places are WGS-84, and over GCJ-02 tiles the page converts them (static/js/map_crs.js)."""
    crs = settings.MAP_TILE_CRS if settings.MAP_TILE_URL else "wgs84"
    return {"tiles": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION, "crs": crs}
