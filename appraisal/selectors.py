"""Reads of evaluation rounds, training and the yearly evaluation, always through the caller's scope.

The workers a caller sees are the accounts holding a grid worker post at a place in the scope (a
grid worker: themself only, their colleague's figures are not theirs to read). The yearly figures
are computed on every read from the records, so a corrected record moves the score at once."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal.measures import REGISTRY, Measure
from appraisal.models import Answer, EvaluationRound, Scheme, SchemeMeasure, Training, TrainingRule
from cases import metrics
from cases.models import Metric, Rating
from cases.models.case import Action
from core.capabilities import Capability
from core.scope import Scope
from grids.models import Area, Household
from orgs.capabilities import GRID_WORKERS
from orgs.models import Department, Post, Role

CENT = Decimal("0.01")
# The station's staff a round may name (一委一站一居: the station's head, its window clerks, its staff).
STATION_ROLES = (Role.STATION_HEAD, Role.WINDOW_STAFF, Role.COMMUNITY_STAFF)


def reads_all_workers(scope: Scope) -> bool:
    """Community staff and street staff, leaders and the admin read every worker in their places."""
    return scope.may(Capability.MANAGE_COMMUNITY) or scope.may(Capability.VIEW_DASHBOARD)


# Rounds ------------------------------------------------------------------------------------------


def rounds(scope: Scope) -> QuerySet[EvaluationRound]:
    return EvaluationRound.objects.within(scope).select_related("community")


def get_round(scope: Scope, pk: int) -> EvaluationRound:
    found = rounds(scope).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass
class PersonResult:
    post: Post
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def satisfied_rate(self) -> Decimal | None:
        if not self.total:
            return None
        good = self.counts[Rating.SATISFIED] + self.counts[Rating.BASIC]
        return (Decimal(good) * 100 / self.total).quantize(Decimal("0.1"))


def results(round: EvaluationRound) -> list[PersonResult]:
    """Per person evaluated: how many said 满意, 基本满意, 不满意 (two queries); never who."""
    counts = defaultdict(lambda: dict.fromkeys(Rating.values, 0))
    rows = Answer.objects.unscoped("the round in hand's own tallies").filter(round=round)
    for post_id, rating, n in rows.values_list("post_id", "rating").annotate(n=Count("pk")).order_by():
        counts[post_id][rating] = n
    people = round.evaluated.order_by("role", "slot", "holder_name", "pk")
    return [PersonResult(post, counts[post.pk]) for post in people]


def ballots_cast(round: EvaluationRound) -> int:
    return round.ballots.count()


def published_round(pk: int) -> EvaluationRound:
    """三报告 for the residents: a published report is public, whoever asks."""
    found = (
        EvaluationRound.objects.unscoped("a published report is public")
        .select_related("community")
        .filter(pk=pk, report_published_at__isnull=False)
        .first()
    )
    if found is None:
        raise Http404
    return found


def evaluable_posts(community: Area, on: datetime.date) -> QuerySet[Post]:
    """Who a round may name: the station's staff at the community and its grid workers, in post that day."""
    inside = Q(area__tree_id=community.tree_id, area__lft__gte=community.lft, area__lft__lte=community.rght)
    station = Q(area=community, role__in=STATION_ROLES)
    return (
        Post.objects.unscoped("the posts of a community the caller keeps")
        .filter(inside & (station | Q(role__in=GRID_WORKERS)), start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .select_related("area")
        .order_by("role", "area__lft", "slot", "holder_name")
    )


# Training ----------------------------------------------------------------------------------------


def trainings(scope: Scope) -> QuerySet[Training]:
    return Training.objects.within(scope).select_related("worker", "grid")


def get_training(scope: Scope, pk: int) -> Training:
    found = trainings(scope).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def rule_in_force() -> TrainingRule | None:
    return TrainingRule.objects.filter(ended_on__isnull=True).first()


@dataclass(frozen=True)
class Worker:
    user_id: int
    name: str
    grid: Area  # their first grid worker post's (A before B)


def workers(scope: Scope, year: int) -> list[Worker]:
    """The accounts holding a grid worker post in the scope at some time in the year, by place."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    posts = (
        Post.objects.within(scope)
        # The place again, outside the scope's OR (a post's area or its organisation's): alone, that
        # OR sent the planner through every post with a log-in in the city (7 ms for a community).
        .filter(scope.area_q("area__"), role__in=GRID_WORKERS, user__isnull=False, area__isnull=False, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gte=first))
        .select_related("area__parent__parent")
        .order_by("area__tree_id", "area__lft", "slot", "pk")
    )
    if not reads_all_workers(scope):
        posts = posts.filter(user=scope.user)
    found = {}
    for post in posts:
        found.setdefault(post.user_id, Worker(post.user_id, post.holder_name, post.area))
    return list(found.values())


@dataclass(frozen=True)
class Short:
    worker: Worker
    sessions: int
    required: int


def short_of_training(scope: Scope, year: int | None = None) -> tuple[TrainingRule | None, list[Short]]:
    """Workers with fewer sessions in the year than the rule asks (exactly the number passes)."""
    year = year or timezone.localdate().year
    rule = rule_in_force()
    if rule is None:
        return None, []
    people = workers(scope, year)
    why = "the sessions of the workers the caller's scope holds, counted"
    counted = dict(
        Training.objects.unscoped(why)
        .filter(worker_id__in=[w.user_id for w in people], held_on__year=year)
        .values_list("worker_id")
        .annotate(n=Count("pk"))
        .values_list("worker_id", "n")
        .order_by()
    )
    short = [Short(w, counted.get(w.user_id, 0), rule.min_sessions) for w in people]
    return rule, [s for s in short if s.sessions < rule.min_sessions]


# The yearly evaluation ---------------------------------------------------------------------------


def scheme_for(year: int) -> Scheme | None:
    return Scheme.objects.filter(year_from__lte=year).prefetch_related("measures").first()


@dataclass
class Figure:
    measure: Measure
    line: SchemeMeasure
    value: Decimal
    records: QuerySet

    @property
    def points(self) -> Decimal:
        share = min(Decimal(1), self.value / self.line.full_at)
        return (self.line.weight * share).quantize(CENT, ROUND_HALF_UP)

    @property
    def shown(self) -> str:
        if self.measure.rate:
            return f"{(self.value * 100).quantize(Decimal('0.1'))}%"
        return str(self.value.normalize())


@dataclass
class Yearly:
    worker: Worker
    figures: list[Figure] = field(default_factory=list)
    rank_in_community: int = 0
    rank_in_street: int = 0

    @property
    def total(self) -> Decimal:
        return sum((f.points for f in self.figures), Decimal(0))

    @property
    def community(self) -> Area | None:
        return self.worker.grid.parent

    @property
    def street(self) -> Area | None:
        return self.community.parent if self.community else None


def grade(scheme: Scheme, total: Decimal) -> str:
    if total >= scheme.excellent_from:
        return _("优秀")
    if total >= scheme.good_from:
        return _("良好")
    if total >= scheme.pass_from:
        return _("合格")
    return _("不合格")


def _ranked(rows: list[Yearly], key, attr: str) -> None:
    """Competition ranking (1, 1, 3) by total within each group."""
    groups = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    for group in groups.values():
        group.sort(key=lambda r: -r.total)
        for i, row in enumerate(group):
            same = i and group[i - 1].total == row.total
            setattr(row, attr, getattr(group[i - 1], attr) if same else i + 1)


def yearly(scope: Scope, year: int, *, only: int | None = None) -> tuple[Scheme | None, list[Yearly]]:
    """Each worker's figures, points and ranks for the year, highest total first: a query for the
    workers, one for the scheme and its lines, and each measure's own few, however many workers."""
    scheme = scheme_for(year)
    people = workers(scope, year)
    if scheme is None or not people:
        return scheme, []
    ids = [w.user_id for w in people]
    rows = {w.user_id: Yearly(w) for w in people}
    for line in scheme.measures.all():
        measure = REGISTRY.get(line.measure)
        if measure is None:
            continue
        for user_id, (value, records) in measure.compute(ids, year).items():
            rows[user_id].figures.append(Figure(measure, line, value, records))
    found = list(rows.values())
    _ranked(found, lambda r: r.community and r.community.pk, "rank_in_community")
    _ranked(found, lambda r: r.street and r.street.pk, "rank_in_street")
    found.sort(key=lambda r: (-r.total, r.worker.name, r.worker.user_id))
    if only is not None:
        found = [r for r in found if r.worker.user_id == only]
    return scheme, found


def worker_year(scope: Scope, user_id: int, year: int) -> tuple[Scheme, Yearly]:
    """One worker's page, ranked among the caller's workers; 404 outside the caller's scope."""
    scheme, rows = yearly(scope, year)
    row = next((r for r in rows if r.worker.user_id == user_id), None)
    if scheme is None or row is None:
        raise Http404
    return scheme, row


@dataclass(frozen=True)
class AssessmentLine:
    """网格工作: the community's line in its annual assessment (seed 002: 将网格化工作纳入年度绩效考核体系)."""

    community: Area
    workers: int
    average: Decimal
    grades: dict[str, int]
    sums: list[tuple[str, str]]  # each measure's figure over the community's workers
    clause: str = ""  # the scheme's, which every figure of the line is scored under


def assessment(scope: Scope, community: Area, year: int) -> AssessmentLine:
    scheme, rows = yearly(scope, year)
    rows = [r for r in rows if r.community and r.community.pk == community.pk]
    grades = defaultdict(int)
    for r in rows:
        grades[grade(scheme, r.total)] += 1
    average = sum((r.total for r in rows), Decimal(0)) / len(rows) if rows else Decimal(0)
    average = average.quantize(CENT, ROUND_HALF_UP)
    sums = []
    for line in scheme.measures.all() if scheme and rows else []:
        values = [f.value for r in rows for f in r.figures if f.line.pk == line.pk]
        if not values:
            continue
        measure = REGISTRY[line.measure]
        if measure.rate:
            shown = f"{(sum(values) / len(values) * 100).quantize(Decimal('0.1'))}%"
        else:
            shown = str(sum(values).normalize())
        sums.append((str(measure.label), shown))
    return AssessmentLine(community, len(rows), average, dict(grades), sums, scheme.clause if scheme else "")


# A department's line: its 街道吹哨、部门报到 work -------------------------------------------------

ASSESSMENT_CLAUSE = gettext_lazy("种子文件002:将网格化工作纳入年度绩效考核体系,定期开展督查和通报")
WHISTLE_CLAUSE = gettext_lazy("种子文件000:健全“街道吹哨、部门报到”机制,解决群众身边揪心事")
TIME_LIMIT_CLAUSE = gettext_lazy("种子文件002:推行党员定期走访、挂牌上岗、限时办结、快速处置等工作机制")
PAY_CLAUSE = gettext_lazy("种子文件003:实现居民“点单”、街道社区“吹哨”、部门“买单”")
RATING_CLAUSE = gettext_lazy("种子文件003:重点考核事件办理、便民服务、群众评价")
# The department's own steps counted from its case records.
STEPS = [Action.RETURN, Action.REQUEST_EXTENSION]


@dataclass(frozen=True)
class LineFigure:
    key: str
    label: str
    value: int | Decimal | None  # a count, or a rate from 0 to 1 (None: nothing to count)
    clause: Promise  # the source document's words the figure answers to
    rate: bool = False

    @property
    def shown(self) -> str:
        if self.value is None:
            return "—"
        return f"{metrics.points(self.value)}%" if self.rate else str(self.value)


@dataclass(frozen=True)
class DepartmentLine:
    """部门报到: a department's line in the annual assessment (seed 002), figure by figure."""

    department: Department
    year: int
    figures: list[LineFigure]
    clause = ASSESSMENT_CLAUSE  # the line's own: the department's work enters the assessment

    def figure(self, key: str) -> LineFigure:
        return next(f for f in self.figures if f.key == key)


def may_read_department(scope: Scope, department: Department) -> bool:
    """Its own officers (and staff sunk into the grids for it), and the street's or district's
    dispatchers and the leaders whose place covers its jurisdiction: whoever answers for its work.
    A community's staff, a grid worker or a neighbouring department have no say in it."""
    if scope.unrestricted or department.pk in scope.department_ids:
        return True
    at = department.jurisdiction
    return any(scope.capacity(c, at=at) for c in (Capability.DISPATCH_FOR_STREET, Capability.VIEW_DASHBOARD))


def readable_departments(scope: Scope) -> list[Department]:
    """The departments whose line the caller may read, by name (one query)."""
    found = Department.objects.within(scope).select_related("jurisdiction").order_by("name", "pk")
    return [d for d in found if may_read_department(scope, d)]


def get_department(scope: Scope, pk: int) -> Department:
    found = Department.objects.within(scope).select_related("jurisdiction").filter(pk=pk).first()
    if found is None or not may_read_department(scope, found):
        raise Http404
    return found


def department_assessment(scope: Scope, department: Department, year: int) -> DepartmentLine:
    """The department's whistle-and-report year: the cases reported in the calendar year (local
    days, 1 January to 31 December, Asia/Shanghai) that it leads now, rejected and merged reports
    left out, as the ranking page counts them (cases.metrics), and the returns and extensions it
    asked for on that year's cases. A case it returned is no longer its case: it counts once, as
    returned. Two grouped queries of its own cases, however many cases."""
    period = metrics.Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    tally = metrics.tallies(scope, period, "department", only=department.pk).get(department.pk, metrics.Tally())
    steps = metrics.department_steps(scope, period, department.pk, STEPS)
    rates = tally.rates
    figures = [
        LineFigure("assigned", _("承办案件"), tally.reported, WHISTLE_CLAUSE),
        LineFigure("due", _("应办结(已办结或已过办结期限)"), tally.due, TIME_LIMIT_CLAUSE),
        LineFigure("closed", _("办结"), tally.closed, TIME_LIMIT_CLAUSE),
        LineFigure("on_time", _("按期办结"), tally.on_time, TIME_LIMIT_CLAUSE),
        LineFigure("on_time_rate", _("按期办结率"), rates[Metric.ON_TIME], TIME_LIMIT_CLAUSE, rate=True),
        LineFigure("closed_late", _("逾期办结"), tally.closed - tally.on_time, TIME_LIMIT_CLAUSE),
        LineFigure("overdue_open", _("超期未办结"), tally.due - tally.closed, TIME_LIMIT_CLAUSE),
        LineFigure("returned", _("退回街道"), steps[Action.RETURN], PAY_CLAUSE),
        LineFigure("extensions", _("申请延期"), steps[Action.REQUEST_EXTENSION], TIME_LIMIT_CLAUSE),
        LineFigure("rated", _("群众评价"), tally.rated, RATING_CLAUSE),
        LineFigure("satisfaction", _("群众满意率"), rates[Metric.SATISFACTION], RATING_CLAUSE, rate=True),
    ]
    return DepartmentLine(department, year, figures)


def named_by_link(round_id: int, household_id: int) -> tuple[EvaluationRound, Household]:
    """The round and the household a one-time link names (appraisal.services.read_link_token): the
    signed token is the resident's authority, who has no log-in, so both are read without a scope.
    Http404 if either is gone."""
    why = "the signed link is the authority"
    round = EvaluationRound.objects.unscoped(why).select_related("community").filter(pk=round_id).first()
    household = Household.objects.unscoped(why).select_related("building").filter(pk=household_id).first()
    if round is None or household is None:
        raise Http404
    return round, household


def round_at_plate(plate, pk: int) -> EvaluationRound:
    """A round of the community the QR plate's building is in, for its public ballot; Http404 for
    another community's round."""
    building = plate.building
    return get_object_or_404(
        EvaluationRound.objects.unscoped("the plate's community's open rounds are public").select_related("community"),
        pk=pk,
        community__tree_id=building.tree_id,
        community__lft__lte=building.lft,
        community__rght__gte=building.lft,
    )


def households_at_plate(plate) -> QuerySet[Household]:
    """The plate's building's households, by unit, floor and room, for the ballot's picker."""
    rows = Household.objects.unscoped("the households of the plate's building")
    return rows.filter(building=plate.building).order_by("unit", "floor", "room")
