"""The workbench (工作台): the home page as the to-dos of the user's posts, a panel per kind of work.

Each panel is declared once below: who gets it (a capability their posts allow; a superuser, who
has no posts, keeps the area tree instead) and how it is read — one grouped query a panel,
however much is waiting. An item is a count that links to the list it counts, oldest first. A new
kind of work is one more entry in PANELS with its builder, or one more item of a panel (the grid
worker's visits due, their grid meetings due); nothing else changes.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from alliances import selectors as alliance_selectors
from alliances.models import previous_half_year
from appraisal import selectors as appraisal_selectors
from cases import queues, visits
from cobuilding import selectors as cobuilding_selectors
from core.capabilities import Capability
from core.scope import Scope
from estates import selectors as estate_selectors
from funding import selectors as funding_selectors
from grids import selectors as grid_selectors
from gridwork import selectors as meeting_selectors
from gridwork.models import MeetingKind
from hall import selectors as hall_selectors
from orgs.capabilities import GRID_WORKERS


@dataclass(frozen=True)
class Item:
    title: Promise | str
    count: int
    url: str
    overdue: int = 0
    # The oldest's time and how to read it: "since" it has waited, or "due" (time left, or overdue).
    oldest: datetime.datetime | datetime.date | None = None
    shows: str = "since"
    testid: str = ""

    @property
    def past_due(self) -> bool:
        return self.shows == "due" and self.oldest is not None and self.oldest < timezone.now()


@dataclass(frozen=True)
class Panel:
    key: str
    title: Promise
    items: list[Item] = field(default_factory=list)
    # Big buttons first (the grid worker's phone): (label, url, count or None, test id).
    buttons: list[tuple] = field(default_factory=list)
    figures: list[tuple] = field(default_factory=list)  # (label, value, red) for a leader's glance
    link: tuple | None = None  # (label, url): where the panel leads on


def _queue_items(scope: Scope, user, slugs: list[str]) -> list[Item]:
    now = timezone.now()
    read = queues.counts(scope, slugs, user, now)
    items = []
    for slug in slugs:
        queue, row = queues.QUEUES[slug], read[slug]
        items.append(
            Item(
                queue.title,
                row["count"],
                reverse("cases:queue", args=[slug]),
                overdue=row["overdue"],
                oldest=row["oldest"],
                shows=queue.shows,
                testid=f"todo-{slug}",
            )
        )
    return items


def _mine(scope: Scope, capability: Capability) -> bool:
    return capability in scope.capabilities


def _meetings_due(scope: Scope, kind: str, title, testid: str) -> Item:
    due = meeting_selectors.due_count(scope, kind=kind)
    return Item(
        title, due["count"], reverse("gridwork:due"), overdue=due["overdue"], oldest=due["oldest"], testid=testid
    )


def community(scope, user) -> Panel:
    """The community's cases, and its 党建联席会议 when the meeting rule says one is due."""
    slugs = ["triage", "late"] + (["verify"] if _mine(scope, Capability.VERIFY_CASE) else [])
    items = _queue_items(scope, user, slugs)
    items.append(_meetings_due(scope, MeetingKind.COMMUNITY_JOINT, _("联席会议到期"), "todo-joint-meetings-due"))
    if _mine(scope, Capability.MANAGE_COMMUNITY):
        items.append(_training_short(scope))
    return Panel("community", _("社区待办"), items)


def _training_short(scope: Scope) -> Item:
    """Grid workers with fewer training sessions this year than the rule asks (seed 003)."""
    _rule, short = appraisal_selectors.short_of_training(scope)
    return Item(_("网格员培训不足"), len(short), reverse("appraisal:training_due"), testid="todo-training-short")


def people(scope, user) -> Panel:
    expiring = grid_selectors.expiring_counts(scope)
    item = Item(
        _("重点人群标记 30 天内到期"),
        expiring["count"],
        reverse("grids:expiring_tags"),
        oldest=expiring["soonest"],
        shows="until",
        testid="todo-expiring-tags",
    )
    return Panel("people", _("居民"), [item])


# (title, which needs by (direction, status), the list's filter, test id): the 双向需求清单's to-dos.
NEED_TODOS = [
    (_("社区需求待认领"), [("community", "open")], "direction=community&status=open", "todo-needs-claim"),
    (_("单位需求待回应"), [("unit", "open")], "direction=unit&status=open", "todo-needs-answer"),
    (_("已认领待办结"), [("community", "claimed"), ("unit", "claimed")], "status=claimed", "todo-needs-finish"),
]


def needs(scope, user) -> Panel:
    waiting = cobuilding_selectors.needs_waiting(scope)
    items = []
    for title, keys, query, testid in NEED_TODOS:
        rows = [waiting[key] for key in keys if key in waiting]
        oldest = min((row["oldest"] for row in rows), default=None)
        url = f"{reverse('cobuilding:need_list')}?{query}"
        items.append(Item(title, sum(row["count"] for row in rows), url, oldest=oldest, testid=testid))
    return Panel("needs", _("共建需求"), items)


def service_hall(scope, user) -> Panel:
    """便民服务: the station's open requests, and those handed to the user, by their deadlines."""
    read = hall_selectors.to_dos(scope, user)
    url = reverse("hall:request_list")
    items = [
        Item(_("便民服务待办"), read["open"]["count"], f"{url}?open=true", overdue=read["open"]["overdue"],
             oldest=read["open"]["oldest"], shows="due", testid="todo-service-open"),
        Item(_("交我办理"), read["mine"]["count"], f"{url}?open=true&mine=true", overdue=read["mine"]["overdue"],
             oldest=read["mine"]["oldest"], shows="due", testid="todo-service-mine"),
    ]  # fmt: skip
    overdue = Item(
        _("便民服务超期"), read["open"]["overdue"], f"{url}?open=true&overdue=true", testid="todo-service-overdue"
    )
    return Panel("hall", _("便民服务"), [*items, overdue], link=(_("便民服务统计"), reverse("hall:stats")))


def alliances(scope, user) -> Panel:
    """区域化党建: the alliances whose chair's term has run out (a hand-over owed), and the in-service
    members whose 双报告 for the half-year just ended has not gone to their unit."""
    items = []
    if _mine(scope, Capability.MANAGE_COMMUNITY):
        due = alliance_selectors.chairs_due(scope)
        oldest = min((chair.next_starts_on for _alliance, chair in due), default=None)
        url = reverse("alliances:alliance_list")
        items.append(Item(_("轮值主席待交接"), len(due), url, oldest=oldest, testid="todo-chair-hand-over"))
    if _mine(scope, Capability.KEEP_PARTY_MEMBERS):
        start, _end = previous_half_year(timezone.localdate())
        count = alliance_selectors.reports_due(scope, start)
        url = reverse("alliances:service_list")
        items.append(Item(_("双报告待发送"), count, url, testid="todo-dual-reports"))
    return Panel("alliances", _("区域化党建"), items)


def street(scope, user) -> Panel:
    return Panel(
        "street",
        _("派遣待办"),
        _queue_items(scope, user, ["dispatch", "extensions", "escalated"]),
        link=(_("街道派遣台"), reverse("cases:board")),
    )


def officer(scope, user) -> Panel:
    """The department's to-dos, and its year so far as its annual assessment will read it (seed 002)."""
    own = min(scope.department_ids)
    link = (_("部门年度考核"), reverse("appraisal:department_assessment", args=[own]))
    return Panel("officer", _("部门待办"), _queue_items(scope, user, ["to-sign", "working", "rework"]), link=link)


def _visits_due(scope: Scope) -> Item:
    due = visits.overdue_count(scope)
    return Item(
        _("走访到期"), due["count"], reverse("cases:visits_due"), oldest=due["oldest"], testid="todo-visits-due"
    )


def field_work(scope, user) -> Panel:
    """The grid worker's phone: report and verify as big buttons, then their own open reports and
    the households their visit plans say are due."""
    slugs = [s for s, c in (("verify", Capability.VERIFY_CASE), ("my-open", Capability.REPORT_CASE)) if _mine(scope, c)]
    items = _queue_items(scope, user, slugs)
    if _mine(scope, Capability.EDIT_PEOPLE):
        items.append(_visits_due(scope))
        items.append(_meetings_due(scope, MeetingKind.GRID, _("网格例会到期"), "todo-grid-meetings-due"))
    buttons = []
    if _mine(scope, Capability.REPORT_CASE):
        buttons.append((_("上报事件"), reverse("cases:new"), None, "report-button"))
    for item in items:
        if item.testid == "todo-verify":
            buttons.append((item.title, item.url, item.count, "verify-button"))
    # A grid worker's own year: their figures so far and the records behind them.
    own = (_("我的年度考核"), reverse("appraisal:worker", args=[user.pk])) if scope.roles & GRID_WORKERS else None
    return Panel("field", _("网格工作"), [i for i in items if i.testid != "todo-verify"], buttons=buttons, link=own)


def leader(scope, user) -> Panel:
    figures = queues.today(scope)
    return Panel(
        "leader",
        _("今日概况"),
        figures=[
            (_("今日上报"), figures["reported"], False),
            (_("今日办结"), figures["closed"], False),
            (_("在办"), figures["open"], False),
            (_("超期"), figures["overdue"], figures["overdue"] > 0),
            (_("红色在办"), figures["red"], figures["red"] > 0),
        ],
        link=(_("指挥看板"), reverse("cases:dashboard")),
    )


def finance(scope, user) -> Panel:
    running = funding_selectors.runs_in_progress(scope)
    item = Item(
        _("进行中的测算"),
        running["count"],
        reverse("funding:runs") + "?" + urlencode({"status": "active"}),
        oldest=running["oldest"],
        testid="todo-runs",
    )
    return Panel("finance", _("经费测算"), [item], link=(_("经费测算"), reverse("funding:runs")))


def property_service(scope, user) -> Panel:
    """整改: the compounds whose property company is under rectification, by the nearest deadline."""
    due = estate_selectors.rectifications_due(scope)
    oldest = due["oldest"]
    if oldest is not None:  # due by the end of its day
        oldest = datetime.datetime.combine(oldest, datetime.time(23, 59, 59), tzinfo=timezone.get_current_timezone())
    item = Item(
        _("物业整改到期"),
        due["count"],
        reverse("estates:assessment_list"),
        overdue=due["overdue"],
        oldest=oldest,
        shows="due",
        testid="todo-property-rectifications",
    )
    return Panel("property", _("物业服务"), [item], link=(_("物业考核"), reverse("estates:round_list")))


# (who gets the panel: a capability their posts allow, and what else must hold; the builder)
PANELS: list[tuple[Callable[[Scope], bool], Callable[[Scope, object], Panel]]] = [
    (
        lambda s: (
            _mine(s, Capability.FIELD_WORK)
            and s.has_areas
            and (_mine(s, Capability.REPORT_CASE) or _mine(s, Capability.VERIFY_CASE))
        ),
        field_work,
    ),
    (lambda s: _mine(s, Capability.HANDLE_IN_COMMUNITY) and s.has_areas, community),
    (lambda s: _mine(s, Capability.HANDLE_IN_COMMUNITY) and s.has_areas, people),
    (lambda s: _mine(s, Capability.HANDLE_IN_COMMUNITY) and s.has_areas, needs),
    (lambda s: _mine(s, Capability.HANDLE_IN_COMMUNITY) and s.has_areas, service_hall),
    (
        lambda s: (_mine(s, Capability.MANAGE_COMMUNITY) or _mine(s, Capability.KEEP_PARTY_MEMBERS)) and s.has_areas,
        alliances,
    ),
    (lambda s: _mine(s, Capability.DISPATCH_FOR_STREET) and s.has_areas, street),
    (lambda s: _mine(s, Capability.MANAGE_COMMUNITY) and s.has_areas, property_service),
    (lambda s: _mine(s, Capability.WORK_FOR_DEPARTMENT) and bool(s.department_ids), officer),
    # The dashboard it links to is a case page: it opens to a scope with places or departments.
    (lambda s: _mine(s, Capability.VIEW_DASHBOARD) and (s.has_areas or bool(s.department_ids)), leader),
    (lambda s: _mine(s, Capability.RUN_BUDGETS) and s.has_areas, finance),
]


def panels(scope: Scope, user) -> list[Panel]:
    return [build(scope, user) for applies, build in PANELS if applies(scope)]
