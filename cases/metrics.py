"""综合评价: how well each department, street, community and grid worker closes the loop.

Every figure is over the cases reported in a period (rejected and merged reports left out),
read through the caller's scope, counted by the database in one grouped query:

- response rate: signed within the response limit / dispatched and due to be signed by now;
- resolution rate: closed / due (closed, or past the resolution deadline);
- on-time closure rate: closed with the last resolution before the deadline / due;
- satisfaction rate: (satisfied + 0.9 × basically satisfied) / rated, whoever gave the rating:
  the resident on the tracking page or staff on a call-back (回访); each share is also shown alone;
- rework rate: sent back at verification / verifications.

A rate with nothing to count is None, not zero. The composite is the weighted mean of the rates
that exist (rework counting as 1 − rate), on a 100-point scale.
"""

import datetime
from collections import Counter
from dataclasses import astuple, dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import rollup, selectors
from cases.models import Case, CaseEvent, Category, Metric, MetricWeight, RatedVia, Rating, Status
from core.scope import Scope
from grids.models import Area
from orgs.capabilities import GRID_WORKERS
from orgs.models import Department, Post

RATE_PLACES = Decimal("0.0001")
SCORE_PLACES = Decimal("0.1")
BASIC_SATISFACTION = Decimal("0.9")


@dataclass(frozen=True)
class Period:
    """Whole local days, both ends included."""

    start: datetime.date
    end: datetime.date

    @property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return start, end

    @property
    def days(self) -> list[datetime.date]:
        return [self.start + datetime.timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class Tally:
    """The counts every rate is a quotient of; they add up across grids, so a grid worker's
    tally is the sum of their grids'."""

    reported: int = 0
    dispatched: int = 0
    responded: int = 0
    due: int = 0
    closed: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    # Of the rated, those recorded by staff on a call-back (回访).
    rated_callback: int = 0
    satisfied_callback: int = 0
    basic_callback: int = 0
    verified: int = 0
    reworked: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    @property
    def rates(self) -> dict[str, Decimal | None]:
        satisfied = self.satisfied + BASIC_SATISFACTION * self.basic
        return {
            Metric.RESPONSE: _ratio(self.responded, self.dispatched),
            Metric.RESOLUTION: _ratio(self.closed, self.due),
            Metric.SATISFACTION: _ratio(satisfied, self.rated),
            Metric.ON_TIME: _ratio(self.on_time, self.due),
            Metric.REWORK: _ratio(self.reworked, self.verified),
        }

    @property
    def satisfaction_by_source(self) -> dict[str, Decimal | None]:
        """The satisfaction rate of the residents' own ratings and of the call-backs, apart."""
        callback = self.satisfied_callback + BASIC_SATISFACTION * self.basic_callback
        own = self.satisfied - self.satisfied_callback + BASIC_SATISFACTION * (self.basic - self.basic_callback)
        return {
            RatedVia.RESIDENT: _ratio(own, self.rated - self.rated_callback),
            RatedVia.CALLBACK: _ratio(callback, self.rated_callback),
        }

    def composite(self, weights: dict[str, Decimal]) -> Decimal | None:
        total = weighted = Decimal(0)
        for metric, rate in self.rates.items():
            weight = weights.get(metric, Decimal(0))
            if rate is None or not weight:
                continue
            weighted += weight * (1 - rate if metric == Metric.REWORK else rate)
            total += weight
        if not total:
            return None
        return (weighted / total * 100).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def points(rate: Decimal) -> Decimal:
    """A rate as a percentage to one decimal, rounded like the composite."""
    return (rate * 100).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def _ratio(numerator, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def _counts(now: datetime.datetime) -> dict:
    closed = Q(status=Status.CLOSED)
    callback = Q(rated_via=RatedVia.CALLBACK)
    return {
        "reported": Count("pk"),
        "dispatched": Count(
            "pk",
            filter=Q(dispatched_at__isnull=False, response_due__isnull=False)
            & (Q(signed_at__isnull=False) | Q(response_due__lt=now)),
        ),
        "responded": Count("pk", filter=Q(dispatched_at__isnull=False, signed_at__lte=F("response_due"))),
        "due": Count("pk", filter=closed | Q(resolution_due__lt=now)),
        "closed": Count("pk", filter=closed),
        # The verification's date is the grid worker's, not held against whoever resolved it.
        "on_time": Count("pk", filter=closed & Q(resolved_at__lte=F("resolution_due"))),
        "rated": Count("pk", filter=~Q(rating="")),
        "satisfied": Count("pk", filter=Q(rating=Rating.SATISFIED)),
        "basic": Count("pk", filter=Q(rating=Rating.BASIC)),
        "rated_callback": Count("pk", filter=~Q(rating="") & callback),
        "satisfied_callback": Count("pk", filter=Q(rating=Rating.SATISFIED) & callback),
        "basic_callback": Count("pk", filter=Q(rating=Rating.BASIC) & callback),
        "verified": Coalesce(Sum("verifications"), 0),
        "reworked": Coalesce(Sum("reworks"), 0),
    }


def reported_in(scope: Scope, period: Period) -> QuerySet[Case]:
    start, end = period.bounds
    return selectors.cases(scope).filter(created_at__gte=start, created_at__lt=end)


def _valid(scope: Scope, period: Period, source: str | None = None) -> QuerySet[Case]:
    valid = reported_in(scope, period).exclude(status__in=[Status.REJECTED, Status.MERGED])
    return valid.filter(source=source) if source else valid


def tallies(
    scope: Scope,
    period: Period,
    by: str,
    now: datetime.datetime | None = None,
    source: str | None = None,
    only: int | None = None,
) -> dict[int, Tally]:
    """{id of the department / street / community / grid: its tally}, in one query; of one source's
    cases only (the 12345 hotline's, say) when `source` is given, of one department (or place) when
    `only` names it (its own line reads its own cases, not every department's)."""
    # No `by IS NOT NULL` in SQL: with it the planner reads the whole (by, ...) index instead of
    # the period's cases of the caller's area; the cases nobody holds come back as one None row.
    names = [f.name for f in fields(Tally)]
    rows = tally_rows(scope, period, by, now or timezone.now(), source)
    if only is not None:
        rows = rows.filter(**{by: only})
    return {row[by]: Tally(**{name: row[name] for name in names}) for row in rows if row[by] is not None}


def tally_rows(scope: Scope, period: Period, by: str, now: datetime.datetime, source: str | None = None) -> QuerySet:
    """The ranking's one grouped query (its plan is checked in tests/scale/test_explain.py)."""
    return _valid(scope, period, source).values(by).annotate(**_counts(now)).order_by()


def department_steps(scope: Scope, period: Period, department_id: int, actions: list[str]) -> dict[str, int]:
    """{action: how many}: the steps one department took (a return, an extension asked) on the
    cases reported in the period, in one grouped query. A returned case leaves its department's
    cases, so the department's own steps are counted for its officers by the event's department,
    not only through the cases the scope reads."""
    start, end = period.bounds
    steps = CaseEvent.objects.filter(
        action__in=actions, department_id=department_id, case__created_at__gte=start, case__created_at__lt=end
    )
    if not scope.unrestricted:
        read = Q(case__in=selectors.cases(scope).values("pk")) | Q(department_id__in=sorted(scope.department_ids))
        steps = steps.filter(read)
    return dict.fromkeys(actions, 0) | dict(steps.values_list("action").annotate(n=Count("pk")).order_by())


def weights() -> dict[str, Decimal]:
    return {w.metric: w.weight for w in MetricWeight.objects.all()}


@dataclass(frozen=True)
class Ranked:
    key: int
    name: str
    tally: Tally
    rates: dict[str, Decimal | None]
    composite: Decimal | None


UNIT_COLUMNS = {"department": "department", "street": "street", "community": "community", "grid_worker": "grid"}
UNIT_LABELS = {
    "department": _("部门"),
    "street": _("街道"),
    "community": _("社区"),
    "grid_worker": _("网格员"),
}


def _named(scope: Scope, unit: str, by_id: dict[int, Tally]) -> list[tuple[int, str, Tally]]:
    if unit in ("department", "street", "community"):
        model = Department if unit == "department" else Area
        # The ids came from the caller's own cases in the period: naming them shows nothing more.
        names = dict(
            model.objects.unscoped("names of the units the caller's own cases name")
            .filter(pk__in=list(by_id))
            .values_list("pk", "name")
        )
        return [(pk, names[pk], tally) for pk, tally in by_id.items()]
    # Grid workers: the sum over the grids where they hold a grid-worker post today (A or B).
    people: dict[int, tuple[str, Tally]] = {}
    posts = (
        Post.objects.unscoped("the grid workers of grids the caller's own cases lie in")
        .active()
        .filter(role__in=sorted(GRID_WORKERS), area_id__in=by_id)
        .order_by("pk")
    )
    for post_id, user_id, name, grid_id in posts.values_list("pk", "user_id", "holder_name", "area_id"):
        # Someone without a log-in is still ranked, as the post they hold.
        key = user_id or -post_id
        held = people.get(key, (name, Tally()))
        people[key] = (held[0], held[1] + by_id[grid_id])
    return [(key, name, tally) for key, (name, tally) in people.items()]


def ranking(
    scope: Scope,
    period: Period,
    unit: str,
    *,
    weights: dict[str, Decimal],
    now: datetime.datetime | None = None,
    source: str | None = None,
) -> list[Ranked]:
    """Best composite first; units with nothing to score last."""
    by_id = tallies(scope, period, UNIT_COLUMNS[unit], now, source)
    ranked = [
        Ranked(key=key, name=name, tally=tally, rates=tally.rates, composite=tally.composite(weights))
        for key, name, tally in _named(scope, unit, by_id)
    ]
    ranked.sort(key=lambda r: (r.composite is None, -(r.composite or 0), r.name))
    return ranked


# The leader's dashboard -----------------------------------------------------------------------


# A city's, a district's or a street's figures are sums of the days kept by cases.rollup; any
# other scope's are counted from its own cases. Both give the same numbers (tests/cases/test_rollup.py).


def _summed(scope: Scope, period: Period, field: str) -> Counter:
    """The period's day rows' counts of one kind ({"colour:status": n}, {"category id": n}), added up."""
    summed = Counter()
    for counts in rollup.rows(scope, period.start, period.end).values_list(field, flat=True):
        summed.update(counts)
    return summed


def by_colour_and_status(scope: Scope, period: Period) -> dict[tuple[str, str], int]:
    if rollup.serves(scope):
        return {tuple(key.split(":")): n for key, n in _summed(scope, period, "reported").items() if n}
    rows = reported_in(scope, period).values("colour", "status").annotate(n=Count("pk")).order_by()
    return {(row["colour"], row["status"]): row["n"] for row in rows}


def daily(scope: Scope, period: Period) -> dict[str, list[int]]:
    """Reported and closed per day of the period, zeros included."""
    if rollup.serves(scope):
        reported, closed = Counter(), Counter()
        for day, counts, closed_that_day in rollup.rows(scope, period.start, period.end).values_list(
            "day", "reported", "closed"
        ):
            reported[day] += sum(counts.values())
            closed[day] += closed_that_day
    else:
        reported = dict(
            reported_in(scope, period)
            .annotate(day=TruncDate("created_at"))
            .values("day")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("day", "n")
        )
        closed = dict(closed_per_day(scope, period))
    days = period.days
    return {"reported": [reported.get(d, 0) for d in days], "closed": [closed.get(d, 0) for d in days]}


def closed_per_day(scope: Scope, period: Period) -> QuerySet:
    """(day, cases closed that day): from the case_*_closed partial indexes, never a table scan."""
    start, end = period.bounds
    return (
        selectors.cases(scope)
        .filter(status=Status.CLOSED, closed_at__gte=start, closed_at__lt=end)
        .annotate(day=TruncDate("closed_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("day", "n")
    )


def top_categories(scope: Scope, period: Period, limit: int = 10) -> list[tuple[str, int]]:
    if rollup.serves(scope):
        summed = _summed(scope, period, "categories")
        names = dict(Category.objects.filter(pk__in=[int(pk) for pk in summed]).values_list("pk", "name"))
        named = Counter()
        for pk, n in summed.items():
            named[names[int(pk)]] += n
        return sorted(((name, n) for name, n in named.items() if n), key=lambda row: (-row[1], row[0]))[:limit]
    rows = (
        _valid(scope, period).values("category__name").annotate(n=Count("pk")).order_by("-n", "category__name")[:limit]
    )
    return [(row["category__name"], row["n"]) for row in rows]


def overdue_by_department(scope: Scope, now: datetime.datetime | None = None) -> list[tuple[str | None, int]]:
    """Open cases past their deadline right now, by who holds them; None is the community or street."""
    rows = (
        selectors.cases(scope)
        .filter(selectors.overdue_q(now))
        .values("department__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "department__name")
    )
    return [(row["department__name"], row["n"]) for row in rows]
