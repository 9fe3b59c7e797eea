"""Reads of alliances, joint meetings' decisions and 双报告, always through the caller's scope; the
rotating chair computed from the rule; the half-year's service records per member and per unit."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import (
    Alliance,
    ChairTerm,
    CommitteeMember,
    DualReport,
    JointDecision,
    Membership,
    ServiceActivity,
    add_months,
)
from cobuilding.models import CoBuildingUnit, JointMeeting
from core.scope import Scope
from orgs.models import MemberKind, PartyMember

# The alliance and its chair ----------------------------------------------------------------------


def alliances(scope: Scope) -> QuerySet[Alliance]:
    return Alliance.objects.within(scope).select_related("area")


def with_people(queryset: QuerySet[Alliance]) -> QuerySet[Alliance]:
    """Committee, members and chair terms in three queries however many alliances (all the alliance's own)."""
    committee = CommitteeMember.objects.unscoped("the alliances' own committee").order_by("end", "role", "name")
    members = Membership.objects.unscoped("the alliances' own members").select_related(
        "unit__community", "organization"
    )
    terms = ChairTerm.objects.unscoped("the alliances' own chair terms").select_related(
        "member__unit", "member__organization"
    )
    return queryset.prefetch_related(
        Prefetch("committee", queryset=committee),
        Prefetch("members", queryset=members.order_by("left_on", "rotation_order", "id")),
        Prefetch("chair_terms", queryset=terms.order_by("-starts_on")),
    )


def get_alliance(scope: Scope, pk: int) -> Alliance:
    alliance = with_people(alliances(scope)).filter(pk=pk).first()
    if alliance is None:
        raise Http404
    return alliance


def term_end(alliance: Alliance, starts_on: datetime.date) -> datetime.date:
    return add_months(starts_on, alliance.chair_term_months) - datetime.timedelta(days=1)


def rotation(alliance: Alliance, on: datetime.date) -> list[Membership]:
    """The members in the rotation on the day, in their order (from the prefetched members when there)."""
    return [
        m
        for m in sorted(alliance.members.all(), key=lambda m: m.rotation_order or 0)
        if m.rotation_order is not None and m.joined_on <= on and (m.left_on is None or m.left_on > on)
    ]


def current_term(alliance: Alliance, on: datetime.date) -> ChairTerm | None:
    """The last term handed over that has begun by the day (the prefetched terms, newest first)."""
    return next((t for t in alliance.chair_terms.all() if t.starts_on <= on), None)


@dataclass(frozen=True)
class Chair:
    term: ChairTerm | None  # who holds the chair as recorded
    due: bool  # the term has run out (or none was ever handed over): a hand-over is owed
    next_member: Membership | None  # who the rule says takes the chair next
    next_starts_on: datetime.date | None


def chair(alliance: Alliance, on: datetime.date | None = None) -> Chair:
    """The rotation rule applied: after a term ends, the next member in the rotation order (round
    again after the last; one that has left is skipped) takes the chair the day after."""
    on = on or timezone.localdate()
    term = current_term(alliance, on)
    order = rotation(alliance, on)
    if not order:
        return Chair(term, False, None, None)
    if term is None:
        return Chair(None, True, order[0], max(on, alliance.founded_on))
    if term.ends_on >= on:
        return Chair(term, False, None, None)
    after = term.member.rotation_order or 0
    following = [m for m in order if (m.rotation_order or 0) > after] or order
    return Chair(term, True, following[0], term.ends_on + datetime.timedelta(days=1))


def chairs_due(scope: Scope, on: datetime.date | None = None) -> list[tuple[Alliance, Chair]]:
    """The alliances the caller may keep whose chair is owed a hand-over (for the workbench)."""
    on = on or timezone.localdate()
    kept = with_people(alliances(scope).filter(scope.area_q("area__"), ended_on__isnull=True))
    found = [(a, chair(a, on)) for a in kept]
    return [(a, c) for a, c in found if c.due]


# Joint meetings -----------------------------------------------------------------------------------


def meetings(scope: Scope) -> QuerySet[JointMeeting]:
    return JointMeeting.objects.within(scope).select_related("area", "alliance")


def with_attendance_and_decisions(queryset: QuerySet[JointMeeting]) -> QuerySet[JointMeeting]:
    """Units and committee present and what was decided, in three queries however many meetings
    (the meetings are in scope)."""
    decisions = JointDecision.objects.unscoped("the meetings' own decisions").select_related("case", "need", "project")
    committee = CommitteeMember.objects.unscoped("the meetings' own committee attendance").order_by("role", "name")
    return queryset.prefetch_related(
        "units",
        Prefetch("committee_present", queryset=committee),
        Prefetch("decision_rows", queryset=decisions),
    )


def get_meeting(scope: Scope, pk: int) -> JointMeeting:
    meeting = with_attendance_and_decisions(meetings(scope)).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def committee_at(meeting: JointMeeting) -> QuerySet[CommitteeMember]:
    """Who of the alliance's committee may be recorded present: in office on the day (the meeting is in scope)."""
    if meeting.alliance_id is None:
        return CommitteeMember.objects.none()
    on = meeting.held_on
    rows = CommitteeMember.objects.unscoped("the committee of the meeting's alliance")
    return rows.filter(Q(end__isnull=True) | Q(end__gte=on), alliance_id=meeting.alliance_id, start__lte=on)


def decision_origin(scope: Scope, obj) -> list[tuple[str, str, str]]:
    """core.origins: the joint meeting's decision a case, need or project was raised by, if the
    caller may see the meeting."""
    if not scope.has_areas:
        return []
    field = {"Case": "case", "Need": "need", "ServiceProject": "project"}[type(obj).__name__]
    decision = JointDecision.objects.within(scope).filter(**{field: obj}).select_related("meeting").first()
    if decision is None:
        return []
    meeting = decision.meeting
    return [(_("来自党建联席会议议定事项"), str(meeting), reverse("alliances:meeting", args=[meeting.pk]))]


# 双报告 -----------------------------------------------------------------------------------------


def in_service_members(scope: Scope) -> QuerySet[PartyMember]:
    return PartyMember.objects.within(scope).filter(kind=MemberKind.IN_SERVICE, left_on__isnull=True)


def get_member(scope: Scope, pk: int) -> PartyMember:
    member = in_service_members(scope).select_related("organization__area", "co_building_unit").filter(pk=pk).first()
    if member is None:
        raise Http404
    return member


def activities(member: PartyMember, start: datetime.date, end: datetime.date) -> QuerySet[ServiceActivity]:
    rows = ServiceActivity.objects.unscoped("the member's own activities (the member is in scope)")
    return rows.filter(member=member, on__gte=start, on__lte=end).order_by("on", "id")


def service_activities(scope: Scope) -> QuerySet[ServiceActivity]:
    return ServiceActivity.objects.within(scope)


def dual_reports(scope: Scope) -> QuerySet[DualReport]:
    return DualReport.objects.within(scope)


def get_unit(scope: Scope, pk: int) -> CoBuildingUnit:
    unit = CoBuildingUnit.objects.within(scope).select_related("community").filter(pk=pk).first()
    if unit is None:
        raise Http404
    return unit


@dataclass(frozen=True)
class MemberHalfYear:
    member: PartyMember
    activities: int
    hours: Decimal
    sent_at: datetime.datetime | None


def unit_half_year(unit: CoBuildingUnit, start: datetime.date, end: datetime.date) -> list[MemberHalfYear]:
    """The unit's in-service members (who reported to the community through it) and their half-year,
    in one query; whether it was sent in a second (the unit is in scope)."""
    within = Q(service_activities__on__gte=start, service_activities__on__lte=end)
    members = (
        PartyMember.objects.unscoped("the members who reported through a unit in scope")
        .filter(co_building_unit=unit, kind=MemberKind.IN_SERVICE, left_on__isnull=True)
        .select_related("organization")
        .annotate(
            n=Count("service_activities", filter=within),
            total=Coalesce(Sum("service_activities__hours", filter=within), Decimal("0")),
        )
        .order_by("name", "pk")
    )
    rows = list(members)
    sent = dict(
        DualReport.objects.unscoped("the unit's own reports")
        .filter(unit=unit, period_start=start)
        .values_list("member_id", "sent_at")
    )
    return [MemberHalfYear(m, m.n, m.total, sent.get(m.pk)) for m in rows]


def unit_activities(unit: CoBuildingUnit, start: datetime.date, end: datetime.date) -> dict[int, list]:
    """Each of the unit's members' activities in the half-year, in one query (the unit is in scope)."""
    rows = ServiceActivity.objects.unscoped("the activities of the members who reported through a unit in scope")
    found: dict[int, list] = {}
    for activity in rows.filter(member__co_building_unit=unit, on__gte=start, on__lte=end).order_by("on", "id"):
        found.setdefault(activity.member_id, []).append(activity)
    return found


def reports_due(scope: Scope, start: datetime.date) -> int:
    """In-service members in scope with a unit whose report for the half-year has not been sent."""
    return (
        in_service_members(scope)
        .filter(co_building_unit__isnull=False)
        .exclude(dual_reports__period_start=start)
        .count()
    )
