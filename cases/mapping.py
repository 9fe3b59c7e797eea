"""The map's case layer and the grid measures that count cases (grids.mapping draws them).

A case has no coordinates of its own: it is where its place is, its building's point or, for a
case at a grid, the grid's label point (grids.AreaShape lng/lat of `case.area`). Far out the open
cases are clustered in SQL, one row per cell of a lng/lat grid whose size follows the zoom, with
a count per 分色 colour; close in each case is a point that opens its page.
"""

import datetime

from django.db.models import Avg, Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Floor
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import OPEN, Case, Colour
from cases.selectors import overdue_q
from core.scope import Scope
from grids.mapping import PERIODS, Box, Measure, provide_measure
from grids.models import Area
from grids.selectors import totals

# From this zoom in every case is its own point (a 420 m grid fills a phone's screen at 16).
POINTS_ZOOM = 16
POINTS_MAX = 2000
# A cluster's cell is this many pixels of a 256-px tile across (a tile spans 360 / 2^zoom degrees).
CLUSTER_PIXELS = 48
COLOURS = [Colour.RED, Colour.ORANGE, Colour.YELLOW, Colour.BLUE]  # worst first


def _open(scope: Scope) -> QuerySet[Case]:
    return Case.objects.within(scope).filter(status__in=sorted(OPEN))


def _per_grid(cases: QuerySet[Case], grids: QuerySet[Area]) -> dict[int, float]:
    counted = cases.filter(grid__in=grids.values("pk")).order_by().values("grid_id").annotate(n=Count("pk"))
    return {row["grid_id"]: row["n"] for row in counted}


def open_cases(scope: Scope, grids: QuerySet[Area]) -> dict[int, float]:
    return _per_grid(_open(scope), grids)


def overdue_cases(scope: Scope, grids: QuerySet[Area]) -> dict[int, float]:
    return _per_grid(Case.objects.within(scope).filter(overdue_q()), grids)


def open_per_thousand(scope: Scope, grids: QuerySet[Area]) -> dict[int, float]:
    """Open cases per 1,000 living residents (grids.rollup's counts); a grid with none is 0."""
    counted = _per_grid(_open(scope), grids)
    residents = totals(grids, "residents")
    return {pk: round(counted.get(pk, 0) * 1000 / n, 1) if n else 0 for pk, n in residents.items()}


def register() -> None:
    provide_measure(Measure("open", _("未办结案件"), open_cases, order=10))
    provide_measure(Measure("overdue", _("超期案件"), overdue_cases, order=20))
    provide_measure(Measure("per_thousand", _("每千人未办结案件"), open_per_thousand, order=30))


def period_start(days: str | None, now: datetime.datetime | None = None) -> datetime.datetime | None:
    try:
        n = int(days or "")
    except ValueError:
        return None
    return (now or timezone.now()) - datetime.timedelta(days=n) if n in PERIODS else None


def case_layer(scope: Scope, *, box: Box | None, zoom: int, since: datetime.datetime | None) -> dict:
    """Open cases on screen: clusters with a count per colour, or (close in) single cases. One query."""
    cases = _open(scope).filter(area__shape__lng__isnull=False)
    if since:
        cases = cases.filter(created_at__gte=since)
    if box:
        cases = cases.filter(
            area__shape__lng__gte=box.west,
            area__shape__lng__lte=box.east,
            area__shape__lat__gte=box.south,
            area__shape__lat__lte=box.north,
        )
    if zoom >= POINTS_ZOOM:
        rows = cases.order_by("-created_at").values_list(
            "pk", "number", "colour", "area__shape__lng", "area__shape__lat"
        )[:POINTS_MAX]
        return {"points": [list(row) for row in rows], "clusters": []}
    cell = 360 / 2 ** max(zoom, 0) * CLUSTER_PIXELS / 256
    clusters = (
        cases.order_by()
        .annotate(
            cx=Floor(F("area__shape__lng") / cell, output_field=FloatField()),
            cy=Floor(F("area__shape__lat") / cell, output_field=FloatField()),
        )
        .values("cx", "cy")
        .annotate(
            lng=Avg("area__shape__lng"),
            lat=Avg("area__shape__lat"),
            **{colour.value: Count("pk", filter=Q(colour=colour)) for colour in COLOURS},
        )
    )
    return {
        "points": [],
        "clusters": [
            [round(c["lng"], 6), round(c["lat"], 6), *(c[colour.value] for colour in COLOURS)] for c in clusters
        ],
    }
