"""The leader's dashboard figures, kept per street and local day (cases.models.CaseDayCount).

As with the area tree's counts (grids.rollup), writers add no deltas. Every write through the
recorder that changes what the figures read (status, colour, category, when it was reported or
closed, where it is) names its case and the fields the case had when locked, and the rows of the
days it touches are counted again from scratch in the writer's transaction: the day it was
reported, and the days it was closed on before and after. A figure cannot drift from what a write
left. The rows are held before they are counted, in key order, so two writers on one street's day
count one after the other, each seeing what the other committed. Writers take the audit chain's
lock before any day row (the recorder records its audit entry just before it counts), so the two
locks are always taken in one order.

The dashboard of a city, a district or a street sums these rows (`serves`); a scope of any other
shape (a community, a department, a mix) counts its own few cases directly. A loader that writes
cases past the services calls `recount_all` (so does `manage.py recount_cases`).

Days are the deployment's local days (TIME_ZONE), as the dashboard's periods are.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.models import Case, CaseDayCount, Status, case_column
from core.scope import Scope

# (the street, or the district for a case in no street; its district; the local day)
Key = tuple[int, int, datetime.date]
# A scope of whole districts (counties) and streets (towns) reads the rows; nothing finer.
SERVED_COLUMNS = frozenset({"district", "street"})
# The case fields the figures read: a write that changes none of them leaves them as they are.
COUNTED_FIELDS = frozenset({"status", "colour", "category_id", "created_at", "closed_at", "street_id", "district_id"})
NOT_VALID = frozenset({Status.REJECTED, Status.MERGED})
CHUNK = 200  # days counted in one grouped query
WHY = "the dashboard's counts, read later only through each reader's scope"


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def _bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=start.tzinfo)
    return start, end


def keys_of(case: Case, before: dict | None = None) -> set[Key]:
    """The days a write of `case` can change the figures of: the day it was reported, and the days
    it was closed on before the write (`before`, its fields as locked) and after. Where it was
    before counts too, should a write ever move it to another street."""
    keys = _days_of(case.street_id, case.district_id, case.created_at, case.closed_at)
    if before:
        keys |= _days_of(before["street_id"], before["district_id"], before["created_at"], before["closed_at"])
    return keys


def _days_of(street_id, district_id, created_at, closed_at) -> set[Key]:
    place = (street_id or district_id, district_id)
    return {(*place, _day(moment)) for moment in (created_at, closed_at) if moment is not None}


def counts_changed(changed: Iterable[str]) -> bool:
    return not COUNTED_FIELDS.isdisjoint(changed)


def _place_q(area_id: int, district_id: int) -> Q:
    if area_id == district_id:
        return Q(district_id=district_id, street__isnull=True)
    return Q(street_id=area_id)


def recount(keys: Iterable[Key]) -> None:
    """Count these days again from the cases and store them, inside the caller's transaction."""
    keys = sorted(set(keys))
    for start in range(0, len(keys), CHUNK):
        _recount(keys[start : start + CHUNK])


def _recount(keys: list[Key]) -> None:
    _hold(keys)
    rows = {key: _empty(key) for key in keys}  # a day whose last case left it is stored as zeros
    _count(*day_queries(keys), rows)
    _store(rows)


def _empty(key: Key) -> CaseDayCount:
    return CaseDayCount(area_id=key[0], district_id=key[1], day=key[2], reported={}, categories={}, closed=0)


def day_queries(keys: list[Key] | None = None):
    """The two grouped queries that count these days (every day there is, for None), whatever
    their number: the cases reported on them by place, day, colour, status and category, and the
    cases closed on them by place and day (their plans: tests/scale/test_explain.py)."""
    if keys is None:
        reported_q, closed_q = Q(), Q(closed_at__isnull=False)
    else:
        reported_q, closed_q = Q(pk__in=[]), Q(pk__in=[])
        for area_id, district_id, day in keys:
            start, end = _bounds(day)
            reported_q |= _place_q(area_id, district_id) & Q(created_at__gte=start, created_at__lt=end)
            closed_q |= _place_q(area_id, district_id) & Q(closed_at__gte=start, closed_at__lt=end)
    tz = timezone.get_default_timezone()
    cases = Case.objects.unscoped(WHY).order_by()
    reported = (
        cases.filter(reported_q)
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values_list("street_id", "district_id", "day", "colour", "status", "category_id")
        .annotate(n=Count("pk"))
    )
    closed = (
        cases.filter(closed_q, status=Status.CLOSED)
        .annotate(day=TruncDate("closed_at", tzinfo=tz))
        .values_list("street_id", "district_id", "day")
        .annotate(n=Count("pk"))
    )
    return reported, closed


def _count(reported, closed, rows: dict[Key, CaseDayCount]) -> None:
    """Add the counted cases (the rows of `day_queries`) to their days' rows."""

    def row_of(street_id, district_id, day) -> CaseDayCount:
        key = (street_id or district_id, district_id, day)
        if key not in rows:
            rows[key] = _empty(key)
        return rows[key]

    for street_id, district_id, day, colour, status, category_id, n in reported:
        row = row_of(street_id, district_id, day)
        row.reported[f"{colour}:{status}"] = row.reported.get(f"{colour}:{status}", 0) + n
        if status not in NOT_VALID:
            row.categories[str(category_id)] = row.categories.get(str(category_id), 0) + n
    for street_id, district_id, day, n in closed:
        row_of(street_id, district_id, day).closed = n


def _store(rows: dict[Key, CaseDayCount]) -> None:
    CaseDayCount.objects.bulk_create(
        list(rows.values()),
        update_conflicts=True,
        unique_fields=["area", "day"],
        update_fields=["reported", "categories", "closed"],
        batch_size=1000,
    )


def _hold(keys: list[Key]) -> None:
    """Hold the days' rows (made first if missing) until the writer's transaction ends, in key
    order: an upsert that finds the row locks it, so a second writer on the same day waits here
    and counts after the first has committed (counting first and storing after, each would count
    without the other's case and the last to store would win, one short)."""
    CaseDayCount.objects.bulk_create(
        [CaseDayCount(area_id=area_id, district_id=district_id, day=day) for area_id, district_id, day in keys],
        update_conflicts=True,
        unique_fields=["area", "day"],
        update_fields=["district"],
    )


def recount_all() -> int:
    """Every day of every street again, from all the cases there are (two grouped queries over the
    table): for a loader that wrote cases past the services. Returns the days stored."""
    CaseDayCount.objects.all().delete()
    rows: dict[Key, CaseDayCount] = {}
    # Streamed: every day there is. A writer's few days are read whole (a server-side cursor is
    # two round trips more, inside the queue on the audit chain's lock).
    _count(*(counted.iterator(chunk_size=5000) for counted in day_queries()), rows)
    _store(rows)
    return len(rows)


def serves(scope: Scope) -> bool:
    """The scope reads whole districts and streets (or everything), in the days the rows are kept
    in (a request in another time zone counts its cases): its figures are sums of rows."""
    if timezone.get_current_timezone() != timezone.get_default_timezone():
        return False
    if scope.unrestricted:
        return True
    return (
        bool(scope.areas)
        and not scope.department_ids
        and all(case_column(area) in SERVED_COLUMNS for area in scope.areas)
    )


def rows(scope: Scope, start: datetime.date, end: datetime.date):
    """The scope's rows for the days from `start` to `end` (for a scope `serves` answers for)."""
    days = CaseDayCount.objects.filter(day__gte=start, day__lte=end)
    if scope.unrestricted:
        return days
    where = Q(pk__in=[])
    for area in scope.areas:
        where |= Q(district_id=area.pk) if case_column(area) == "district" else Q(area_id=area.pk)
    return days.filter(where)
