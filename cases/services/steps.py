"""The community's and the street's steps: accept, reject, merge, whistle, escalate, dispatch and
the decision on an extension. Each locks the case in a status its row of the workflow table
allows, finds the actor's capacity from that row, and records through the one recorder."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import deadlines
from cases.models import (
    COLOUR_OF,
    ENDED,
    NEXT_LEVEL,
    Action,
    Case,
    CaseEvent,
    Importance,
    Level,
    Status,
    TimeLimit,
    Urgency,
)
from cases.services.recording import CaseConflict, begin, record, required_text
from orgs.models import Department


def start_dispatch_clock(case: Case, at: datetime.datetime, limit: TimeLimit | None = None) -> dict:
    """The level the case waits at has `dispatch_hours` to send it on (of `limit`, the case's own
    time limit, read here if not given); returns the event's data on the deadline it replaces, so
    a moved deadline is always told in the timeline."""
    before = case.dispatch_due
    due = deadlines.dispatch_due(limit or deadlines.limit_for(case.category, case.colour), at)
    case.dispatch_due, case.dispatch_remind_at = due.at, due.remind_at
    data = {"dispatch_due": due.at.isoformat()}
    if before and case.status == Status.WHISTLED:
        data["dispatch_due_was"] = before.isoformat()
        if before <= at:
            data["passed"] = ["dispatch_due"]
    return data


def start_resolution_clock(case: Case, at: datetime.datetime) -> None:
    limit = deadlines.limit_for(case.category, case.colour)
    calendar = deadlines.work_calendar()
    due = deadlines.resolution_due(limit, at, calendar)
    case.resolution_due, case.resolution_remind_at = due.at, due.remind_at
    case.due_provisional = due.provisional


@transaction.atomic
def accept_case(*, actor, case: Case, note: str = "", at: datetime.datetime | None = None) -> Case:
    """The community takes the case on and handles it itself (小事不出社区)."""
    at = at or timezone.now()
    case, role = begin("accept", case, actor)
    case.accepted_at = at
    start_resolution_clock(case, at)
    record(case, action=Action.ACCEPT, actor=actor, role=role, to_status=Status.ACCEPTED, at=at, note=note)
    return case


@transaction.atomic
def reject_case(*, actor, case: Case, reason: str, at: datetime.datetime | None = None) -> Case:
    at = at or timezone.now()
    reason = required_text(reason, _("请填写不予受理的理由"))
    case, role = begin("reject", case, actor)
    case.closed_at = at
    record(case, action=Action.REJECT, actor=actor, role=role, to_status=Status.REJECTED, at=at, note=reason)
    return case


@transaction.atomic
def merge_case(*, actor, case: Case, into: Case, at: datetime.datetime | None = None) -> Case:
    """A duplicate of an open case at the same place and of the same category is folded into it.
    `into` was read through the caller's scope (the page's and the API's choices)."""
    at = at or timezone.now()
    case, role = begin("merge", case, actor)
    into = Case.objects.reread(into).select_for_update(of=("self",)).get()
    if (
        into.pk == case.pk
        or into.status in ENDED
        or into.area_id != case.area_id
        or into.category_id != case.category_id
    ):
        raise ValidationError(_("只能合并到同一地点、同一类别且尚未办结的案件"), code="bad_merge")
    case.merged_into = into
    case.closed_at = at
    record(
        case,
        action=Action.MERGE,
        actor=actor,
        role=role,
        to_status=Status.MERGED,
        at=at,
        note=_("与%(number)s重复") % {"number": into.number},
        data={"into": into.number},
    )
    return case


def lift(case: Case, at: datetime.datetime, limit: TimeLimit | None = None) -> tuple[str, dict]:
    """One level up, on the case in memory: returns the status it moves to and the event's data,
    for the caller to record. The caller holds the case's lock."""
    next_level = NEXT_LEVEL[case.level]
    from_level = case.level
    case.level = next_level
    # A case still with the community goes to the street to be dispatched; one already with a
    # department stays there, now watched from the level above.
    to_status = Status.WHISTLED if case.status in (Status.REPORTED, Status.ACCEPTED) else case.status
    if case.status == Status.REPORTED:
        case.accepted_at = at
    data = {"from_level": from_level, "to_level": next_level}
    if to_status == Status.WHISTLED:
        data |= start_dispatch_clock(case, at, limit)
    return to_status, data


def move_up(case: Case, *, action: str, actor, role: str, note: str, at: datetime.datetime) -> Case:
    """One level up, recorded. The caller holds the case's lock."""
    to_status, data = lift(case, at)
    record(case, action=action, actor=actor, role=role, to_status=to_status, at=at, note=note, data=data)
    return case


@transaction.atomic
def whistle_case(*, actor, case: Case, note: str, at: datetime.datetime | None = None) -> Case:
    """吹哨: the community calls the street in for what it cannot solve alone."""
    at = at or timezone.now()
    note = required_text(note, _("请说明吹哨的原因"))
    case, role = begin("whistle", case, actor)
    return move_up(case, action=Action.WHISTLE, actor=actor, role=role, note=note, at=at)


def _below_the_district(case: Case) -> None:
    if case.level == Level.DISTRICT:
        raise ValidationError(_("案件已在区级,不能再升级"), code="top_level")


@transaction.atomic
def escalate_case(*, actor, case: Case, reason: str, at: datetime.datetime | None = None) -> Case:
    """One level up (社区 → 街道 → 区), by staff of the level the case is at."""
    at = at or timezone.now()
    reason = required_text(reason, _("请说明升级的原因"))
    case, role = begin("escalate", case, actor, check=_below_the_district)
    return move_up(case, action=Action.ESCALATE, actor=actor, role=role, note=reason, at=at)


def _covers(department: Department, case: Case) -> bool:
    return case.area.get_ancestors(include_self=True).filter(pk=department.jurisdiction_id).exists()


@transaction.atomic
def dispatch_case(
    *,
    actor,
    case: Case,
    department: Department,
    assisting: Iterable[Department] = (),
    note: str = "",
    at: datetime.datetime | None = None,
) -> Case:
    """The street sends the case to a lead department (and any assisting ones); the clocks start."""
    at = at or timezone.now()
    case, role = begin("dispatch", case, actor)
    if not _covers(department, case):
        raise ValidationError({"department": [_("%(dept)s不负责该地点") % {"dept": department}]})
    assisting = [d for d in assisting if d.pk != department.pk]
    # An assisting department's officers read the case: one of another district never may.
    strangers = [d for d in assisting if not _covers(d, case)]
    if strangers:
        names = "、".join(str(d) for d in strangers)
        raise ValidationError({"assisting": [_("%(dept)s不负责该地点") % {"dept": names}]})
    limit = deadlines.limit_for(case.category, case.colour)
    calendar = deadlines.work_calendar()
    response = deadlines.response_due(limit, at, calendar)
    resolution = deadlines.resolution_due(limit, at, calendar)
    case.department = department
    case.dispatched_at = at
    case.signed_at = None
    case.response_due, case.response_remind_at = response.at, response.remind_at
    case.resolution_due, case.resolution_remind_at = resolution.at, resolution.remind_at
    case.due_provisional = response.provisional or resolution.provisional
    case.assisting.set(assisting)  # before the event is recorded: it tells them
    record(
        case,
        action=Action.DISPATCH,
        actor=actor,
        role=role,
        to_status=Status.DISPATCHED,
        at=at,
        note=note,
        data={"assisting": [d.name for d in assisting]},
    )
    return case


@transaction.atomic
def decide_extension(*, actor, case: Case, approve: bool, note: str = "", at: datetime.datetime | None = None) -> Case:
    at = at or timezone.now()
    case, role = begin("decide-extension", case, actor)
    if not case.extension_days:
        raise CaseConflict(_("该案件没有待审批的延期申请"), code="conflict")
    days = case.extension_days
    data = {"days": days}
    if approve:
        due = deadlines.extended(case.resolution_due, days, at, deadlines.work_calendar())
        data["from"], data["to"] = case.resolution_due.isoformat(), due.at.isoformat()
        case.resolution_due, case.resolution_remind_at = due.at, due.remind_at
        case.due_provisional = case.due_provisional or due.provisional
    case.extension_days, case.extension_reason = None, ""
    record(
        case,
        action=Action.APPROVE_EXTENSION if approve else Action.REFUSE_EXTENSION,
        actor=actor,
        role=role,
        to_status=case.status,
        at=at,
        note=note,
        data=data,
    )
    return case


def _clock_started(case: Case) -> dict[str, datetime.datetime]:
    """When each clock the case runs against now started: what a new colour recomputes from."""
    if case.status == Status.REPORTED:
        return {"response_due": case.created_at}
    if case.status == Status.ACCEPTED:
        return {"resolution_due": case.accepted_at or case.created_at}
    arrived = (
        CaseEvent.objects.filter(
            case=case, to_status=Status.WHISTLED, action__in=[Action.WHISTLE, Action.ESCALATE, Action.RETURN]
        )
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )
    return {"dispatch_due": arrived or case.accepted_at or case.created_at}


@transaction.atomic
def correct_case(
    *, actor, case: Case, importance: str, urgency: str, reason: str, at: datetime.datetime | None = None
) -> Case:
    """调整等级 at intake or dispatch: a new importance or urgency, so a new colour, and the running
    deadline recomputed from when its clock started. The event names every deadline it moved, old
    and new, and which of the old ones had already passed."""
    at = at or timezone.now()
    reason = required_text(reason, _("请说明调整等级的理由"))
    if importance not in Importance.values or urgency not in Urgency.values:
        raise ValidationError(_("重要程度或紧急程度无效"), code="invalid")
    case, role = begin("correct", case, actor)
    if (case.importance, case.urgency) == (importance, urgency):
        raise ValidationError(_("重要程度和紧急程度没有变化"), code="unchanged")
    data = {"from": [case.importance, case.urgency, case.colour]}
    case.importance, case.urgency, case.colour = importance, urgency, COLOUR_OF[(importance, urgency)]
    data["to"] = [importance, urgency, case.colour]
    limit = deadlines.limit_for(case.category, case.colour)
    moved, passed = {}, []
    for which, start in _clock_started(case).items():
        if which == "dispatch_due":
            due = deadlines.dispatch_due(limit, start)
        else:
            compute = deadlines.response_due if which == "response_due" else deadlines.resolution_due
            due = compute(limit, start, deadlines.work_calendar())
            case.due_provisional = due.provisional
        old = getattr(case, which)
        if old and old <= at:
            passed.append(which)
        moved[which] = [old.isoformat() if old else None, due.at.isoformat()]
        setattr(case, which, due.at)
        setattr(case, which.replace("_due", "_remind_at"), due.remind_at)
    data["deadlines"], data["passed"] = moved, passed
    # Not a move: the case stays where it is, and its last action (a return, say) still tells why.
    case.save()
    record(
        case,
        action=Action.CORRECT,
        actor=actor,
        role=role,
        to_status=case.status,
        at=at,
        note=reason,
        data=data,
        moves=False,
    )
    return case
