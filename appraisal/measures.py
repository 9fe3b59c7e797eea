"""The measures of the yearly evaluation (seed 003: 重点考核事件办理、便民服务、群众评价和重大维稳信息、
安全隐患的排查化解等情况), each a function (worker ids, year) → {worker id: (figure, records)}.

A worker is an account holding a grid worker post. The figure is what the scheme weighs (a count,
or a rate from 0 to 1); the records are the rows behind it, for the page that lists them, built
only when read (`lazy`): the ranking reads a hundred workers' figures and none of their records.
Each function reads its whole set of workers in a fixed number of queries, so a street's ranking
costs what one worker's page does. The records are read without the caller's scope: the caller's
scope chose the workers (appraisal.selectors), and every record listed links to its own page,
which asks the scope again.

A scheme names measures by code; a code the registry lacks counts nothing. A measure of another
room on this floor (the service hall's 便民服务) is registered from the floor above (gridgov.apps)."""

import bisect
import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from appraisal.models import Answer, EvaluationRound
from appraisal.years import bounds, days_counted
from cases.models import Case, CaseEvent, Category, Rating, Status, Visit, VisitRule
from cases.models.case import Action
from grids.models import Household, HouseholdTag, ResidentTag
from orgs.capabilities import GRID_WORKERS
from orgs.models import Post

Result = dict[int, tuple[Decimal, QuerySet]]
ZERO = Decimal(0)


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    rate: bool  # a share from 0 to 1 (shown as a percentage), or a count
    compute: Callable[[list[int], int], Result]
    link: Callable[[object], tuple[str, str]]  # a record → (what it is, its page)


REGISTRY: dict[str, Measure] = {}


def register(code: str, label, *, rate: bool = False, link: Callable[[object], tuple[str, str]]):
    def wrap(compute):
        REGISTRY[code] = Measure(code, label, rate, compute, link)
        return compute

    return wrap


def _case_link(case: Case) -> tuple[str, str]:
    return f"{case.number} {case.category}", reverse("cases:detail", args=[case.pk])


def _event_link(event: CaseEvent) -> tuple[str, str]:
    return f"{event.case.number} {event.at:%Y-%m-%d}", reverse("cases:detail", args=[event.case_id])


def _visit_link(visit: Visit) -> tuple[str, str]:
    return f"{visit.on:%Y-%m-%d} {visit.household}", reverse("grids:household", args=[visit.household_id])


def _round_link(round: EvaluationRound) -> tuple[str, str]:
    return str(round), reverse("appraisal:round", args=[round.pk])


def lazy(build: Callable[[], QuerySet]) -> QuerySet:
    """A worker's records, built on first use: cloning and filtering a queryset per worker and
    measure was most of the ranking's Python time, for querysets it never reads."""
    return SimpleLazyObject(build)


def _counted(rows: QuerySet, field: str, ids: Iterable[int]) -> Result:
    """Counts of `rows` per worker (one grouped query) and each worker's rows."""
    # COUNT(*), not COUNT(id): the id is in no index, so counting it reads every row from the heap.
    counts = dict(rows.values_list(field).annotate(n=Count("*")).values_list(field, "n").order_by())
    return {w: (Decimal(counts.get(w, 0)), lazy(lambda w=w: rows.filter(**{field: w}))) for w in ids}


def _cases_reported(ids: list[int], year: int) -> QuerySet:
    start, end = bounds(year)
    why = "the cases the evaluated workers reported: the workers come from the caller's scope"
    return (
        Case.objects.unscoped(why)
        .filter(reporter_id__in=ids, created_at__gte=start, created_at__lt=end)
        .exclude(status__in=[Status.REJECTED, Status.MERGED])  # not a find: refused, or another's
        .select_related("category")
        .order_by("created_at", "pk")
    )


def _under(code: str) -> Q:
    root = Category.objects.filter(code=code).first()
    if root is None:
        return Q(pk__in=[])
    return Q(category__tree_id=root.tree_id, category__lft__gte=root.lft, category__lft__lte=root.rght)


@register("cases_reported", _("上报事件"), link=_case_link)
def cases_reported(ids: list[int], year: int) -> Result:
    """事件办理: the cases the worker reported in the year that were taken up (not refused or merged)."""
    return _counted(_cases_reported(ids, year), "reporter_id", ids)


@register("cases_verified", _("核查事件"), link=_event_link)
def cases_verified(ids: list[int], year: int) -> Result:
    """事件办理: the fixes the worker checked on site and passed in the year."""
    start, end = bounds(year)
    events = (
        CaseEvent.objects.filter(actor_id__in=ids, action=Action.VERIFY_PASS, at__gte=start, at__lt=end)
        .select_related("case")
        .order_by("at", "pk")
    )
    return _counted(events, "actor_id", ids)


@register("stability", _("涉稳信息"), link=_case_link)
def stability(ids: list[int], year: int) -> Result:
    """重大维稳信息: the cases of the 涉稳信息 category tree the worker reported."""
    return _counted(_cases_reported(ids, year).filter(_under("stability")), "reporter_id", ids)


@register("hazards", _("安全隐患"), link=_case_link)
def hazards(ids: list[int], year: int) -> Result:
    """安全隐患的排查: the cases of the 安全隐患 category tree the worker reported."""
    return _counted(_cases_reported(ids, year).filter(_under("safety")), "reporter_id", ids)


@register("residents", _("群众评价满意率"), rate=True, link=_round_link)
def residents(ids: list[int], year: int) -> Result:
    """群众评价: of the ratings residents gave the worker's posts in the rounds whose period ends in
    the year, the share 满意 or 基本满意. The records are the rounds (their pages give the counts),
    never the ballots."""
    in_year = Q(round__period_end__year=year)
    why = "the ratings of the evaluated workers' posts, counted: the workers come from the caller's scope"
    rows = (
        Answer.objects.unscoped(why)
        .filter(in_year, post__user_id__in=ids)
        .values_list("post__user_id", "rating")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total, good = defaultdict(int), defaultdict(int)
    for worker, rating, n in rows:
        total[worker] += n
        if rating in (Rating.SATISFIED, Rating.BASIC):
            good[worker] += n
    rounds = EvaluationRound.objects.unscoped("the rounds that rated the evaluated workers")
    found = {}
    for w in ids:
        value = Decimal(good[w]) / Decimal(total[w]) if total[w] else ZERO
        records = lazy(
            lambda w=w: rounds.filter(period_end__year=year, evaluated__user_id=w).distinct().order_by("period_end")
        )
        found[w] = (value, records)
    return found


@register("visits", _("走访完成率"), rate=True, link=_visit_link)
def visits(ids: list[int], year: int) -> Result:
    """定期走访 against the plan: the worker's visits in the year over the visits the plans in force
    asked of their grids' households in the days of the year gone so far (a household due every
    N days asks ⌈days ÷ N⌉, its shortest plan counting), capped at 1. No plan asked anything: 0."""
    why = "the evaluated workers' visits: the workers come from the caller's scope"
    made = Visit.objects.unscoped(why).filter(visitor_id__in=ids, on__year=year).select_related("household__building")
    counts = dict(made.values_list("visitor_id").annotate(n=Count("pk")).values_list("visitor_id", "n").order_by())
    planned = _planned(ids, year)
    found = {}
    for w in ids:
        asked = planned.get(w, 0)
        value = min(Decimal(1), Decimal(counts.get(w, 0)) / Decimal(asked)) if asked else ZERO
        records = lazy(lambda w=w: made.filter(visitor_id=w).order_by("on", "pk"))
        found[w] = (value.quantize(Decimal("0.0001")), records)
    return found


def _planned(ids: list[int], year: int) -> dict[int, int]:
    """Visits the plans asked of each worker's grids in the year: five queries for any number of
    workers (their grids, the plans, the households, the two kinds of key-group tag)."""
    days = days_counted(year)
    if days <= 0:
        return {}
    first, last = datetime.date(year, 1, 1), datetime.date(year, 1, 1) + datetime.timedelta(days=days - 1)
    posts = Post.objects.unscoped("the evaluated workers' grids").filter(
        Q(end__isnull=True) | Q(end__gte=first), user_id__in=ids, role__in=GRID_WORKERS, start__lte=last
    )
    grids = defaultdict(set)
    for user_id, tree_id, lft, rght in posts.values_list("user_id", "area__tree_id", "area__lft", "area__rght"):
        if tree_id is not None:
            grids[user_id].add((tree_id, lft, rght))
    places = {g for found in grids.values() for g in found}
    if not places:
        return {}
    rules = list(
        VisitRule.objects.unscoped("the plans over the evaluated workers' grids")
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first), created_at__date__lte=last)
        .values_list("area__tree_id", "area__lft", "area__rght", "group_id", "every_days")
    )
    if not rules:
        return {}
    inside = Q()
    for tree_id, lft, rght in places:
        inside |= Q(building__tree_id=tree_id, building__lft__gte=lft, building__lft__lte=rght)
    households = Household.objects.unscoped("the households of the evaluated workers' grids").filter(inside)
    homes = list(households.values_list("pk", "building__tree_id", "building__lft"))
    ids_in = households.values("pk")
    groups = defaultdict(set)
    for household, group in (
        HouseholdTag.objects.active(last).filter(household__in=ids_in).values_list("household_id", "group_id")
    ):
        groups[household].add(group)
    for household, group in (
        ResidentTag.objects.active(last)
        .filter(resident__household__in=ids_in, resident__ended_on__isnull=True)
        .values_list("resident__household_id", "group_id")
    ):
        groups[household].add(group)
    # Grids do not nest: a household's grid is the one, in its tree, that starts at or before it.
    starts = defaultdict(list)
    for tree_id, lft, rght in sorted(places):
        starts[tree_id].append((lft, rght))
    asked = defaultdict(int)  # grid → visits asked of its households
    for pk, tree_id, lft in homes:
        every = [
            n
            for r_tree, r_lft, r_rght, group, n in rules
            if r_tree == tree_id and r_lft <= lft <= r_rght and (group is None or group in groups[pk])
        ]
        row = starts[tree_id]
        at = bisect.bisect_right(row, (lft, math.inf)) - 1
        if every and at >= 0 and row[at][0] <= lft <= row[at][1]:
            asked[(tree_id, *row[at])] += math.ceil(days / min(every))
    return {user_id: sum(asked[g] for g in found) for user_id, found in grids.items()}
