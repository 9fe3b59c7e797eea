"""Reads of grid meetings and their rules, always through the caller's scope, and which meetings
are due (例会到期): each place a rule covers, N months after its last meeting."""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.scope import Scope
from grids import selectors as grid_selectors
from grids.models import Area, AreaKind
from gridwork.models import Decision, GridMeeting, MeetingKind, MeetingRule
from orgs.models import Post


def grid_posts_q(grid: Area, on: datetime.date) -> Q:
    """The grid's people on the day: posts held at the grid or a place in it (楼栋长 at a building,
    sunk staff at the grid), and the committee of a party organisation seated in it."""
    inside = {"tree_id": grid.tree_id, "lft__gte": grid.lft, "lft__lte": grid.rght}
    at_place = Q(**{f"area__{k}": v for k, v in inside.items()})
    at_org = Q(**{f"organization__area__{k}": v for k, v in inside.items()})
    return (at_place | at_org) & Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))


def meetings(scope: Scope) -> QuerySet[GridMeeting]:
    return GridMeeting.objects.within(scope).select_related("grid__parent", "convener")


def with_people_and_decisions(meetings: QuerySet[GridMeeting]) -> QuerySet[GridMeeting]:
    """Who came and what was decided, in two queries however many meetings (the meetings are in scope)."""
    attendees = Post.objects.unscoped("the meetings' own attendees").order_by("role", "slot", "pk")
    decisions = Decision.objects.unscoped("the meetings' own decisions").select_related("case", "need", "project")
    return meetings.prefetch_related(
        Prefetch("attendees", queryset=attendees), Prefetch("decisions", queryset=decisions)
    )


def get_meeting(scope: Scope, pk: int) -> GridMeeting:
    meeting = with_people_and_decisions(meetings(scope)).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def grid_people(grid: Area, on: datetime.date) -> QuerySet[Post]:
    """Who may be recorded present: the grid's posts that day (the meeting's grid is in scope)."""
    posts = Post.objects.unscoped("the posts of a grid the caller's meeting is at")
    return posts.filter(grid_posts_q(grid, on)).order_by("role", "slot", "holder_name")


def decision_origin(scope: Scope, obj) -> list[tuple[str, str, str]]:
    """core.origins: the meeting decision a case, need or project was raised by, if the caller may
    see the meeting (a department officer sees the case, not the grid's meeting)."""
    if not scope.has_areas:  # a department's officer: no meetings to see, no query to ask
        return []
    field = {"Case": "case", "Need": "need", "ServiceProject": "project"}[type(obj).__name__]
    decision = Decision.objects.within(scope).filter(**{field: obj}).select_related("meeting").first()
    if decision is None:
        return []
    meeting = decision.meeting
    return [(_("来自网格例会议定事项"), str(meeting), reverse("gridwork:meeting", args=[meeting.pk]))]


def plate_link(scope: Scope, area: Area) -> dict:
    """For a grid's page (grids.panels): its 挂牌上岗 plate, which anyone who sees the grid may print."""
    if area.kind != AreaKind.GRID:
        return {}
    return {"grid_plate_url": reverse("gridwork:grid_plate", args=[area.pk])}


# 例会制度 and 例会到期 ----------------------------------------------------------------------------


def rules(scope: Scope) -> QuerySet[MeetingRule]:
    return MeetingRule.objects.within(scope).select_related("area")


def get_rule(scope: Scope, pk: int) -> MeetingRule:
    rule = rules(scope).filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day N months on, or the month's last day when it has none (31 Jan + 1 → 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Due:
    place: Area
    kind: str
    last: datetime.date | None
    due_on: datetime.date
    overdue: bool

    @property
    def kind_label(self) -> str:
        return MeetingKind(self.kind).label


def _covering(rules_in_force: list[MeetingRule], place: Area, kind: str) -> MeetingRule | None:
    """The most specific rule over the place: a grid's own before its community's."""
    found = [
        r
        for r in rules_in_force
        if r.kind == kind and r.area.tree_id == place.tree_id and r.area.lft <= place.lft <= r.area.rght
    ]
    return max(found, key=lambda r: r.area.lft, default=None)


def due(scope: Scope, on: datetime.date | None = None, *, kind: str | None = None) -> list[Due]:
    """The caller's places whose meeting falls due on or before `on`, most overdue first: three
    queries however many grids, rules and meetings (the rules; the places with their last meeting)."""
    on = on or timezone.localdate()
    in_force = list(rules(scope).filter(ended_on__isnull=True, starts_on__lte=on))
    if kind is not None:
        in_force = [r for r in in_force if r.kind == kind]
    found = []
    places = grid_selectors.areas(scope)
    wanted = {r.kind for r in in_force}
    if MeetingKind.GRID in wanted:
        grids = places.filter(kind=AreaKind.GRID).annotate(last=Max("grid_meetings__held_on"))
        found += [(g, MeetingKind.GRID) for g in grids]
    if MeetingKind.COMMUNITY_JOINT in wanted:
        joint = Q(joint_meetings__level="community")
        communities = places.filter(kind=AreaKind.COMMUNITY).annotate(last=Max("joint_meetings__held_on", filter=joint))
        found += [(c, MeetingKind.COMMUNITY_JOINT) for c in communities]
    rows = []
    for place, place_kind in found:
        rule = _covering(in_force, place, place_kind)
        if rule is None:
            continue
        since = place.last if place.last and place.last >= rule.starts_on else rule.starts_on
        due_on = add_months(since, rule.every_months)
        if due_on <= on:
            rows.append(Due(place, place_kind, place.last, due_on, due_on < on))
    return sorted(rows, key=lambda d: (d.due_on, d.place.tree_id, d.place.lft))


def due_count(scope: Scope, *, kind: str) -> dict:
    rows = due(scope, kind=kind)
    return {
        "count": len(rows),
        "overdue": sum(d.overdue for d in rows),
        "oldest": min((d.due_on for d in rows), default=None),
    }
