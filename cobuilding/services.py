"""Writes for co-building units, joint meetings and the four lists.

Each service takes the acting user (`core.scope.SYSTEM` for the demo and commands), refuses one
whose posts do not allow managing co-building at the community concerned (`PermissionDenied`),
and records who did it in the audit trail, in the same transaction as the write.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from cobuilding.models import (
    Agreement,
    CoBuildingUnit,
    JointMeeting,
    Need,
    NeedDirection,
    NeedStatus,
    PointsRule,
    ProjectStatus,
    Rating,
    ResourceBooking,
    ServiceProject,
    SharedResource,
    UnitPoints,
)
from core import audit
from core.capabilities import Capability
from core.scope import SYSTEM, scope_for
from core.scoping import full_clean
from grids.models import Area, AreaKind


def _authorise(actor, area: Area) -> str:
    """The capacity in which `actor` manages co-building at `area`; refused if none of their posts allows it."""
    capacity = scope_for(actor).capacity(Capability.MANAGE_COMMUNITY, at=area)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能办理这一步"))
    return capacity


def _record(actor, capacity: str, action: str, target: models.Model, fields: Iterable[str]) -> None:
    audit.record(actor=actor, capacity=capacity, action=f"cobuilding.{action}", target=target, fields=fields)


def _written(obj: models.Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if not f.primary_key]


def _require_community(area: Area) -> None:
    if area.kind != AreaKind.COMMUNITY:
        raise ValidationError(_("须为社区"), code="not_a_community")


def _check_credit_code(unit: CoBuildingUnit) -> None:
    unit.credit_code = uscc.compact(unit.credit_code or "").upper()
    unit.credit_code_valid = bool(unit.credit_code) and uscc.is_valid(unit.credit_code)
    if unit.credit_code and len(unit.credit_code) != 18:
        raise ValidationError({"credit_code": [_("统一社会信用代码应为18位")]})


@transaction.atomic
def register_unit(*, actor, unit: CoBuildingUnit) -> CoBuildingUnit:
    """Save a unit; a credit code failing its check digit is kept and flagged (pilot-era codes do)."""
    capacity = _authorise(actor, unit.community)
    _require_community(unit.community)
    _check_credit_code(unit)
    full_clean(unit)
    unit.save()
    _record(actor, capacity, "register_unit", unit, _written(unit))
    return unit


UNIT_EDITABLE = ("name", "kind", "credit_code", "credit_code_valid", "address", "contact", "phone", "email")


@transaction.atomic
def update_unit(*, actor, unit: CoBuildingUnit) -> CoBuildingUnit:
    """Correct a unit's particulars; its community, and its ending, change only by their own steps."""
    before = CoBuildingUnit.objects.reread(unit).select_related("community").get()
    capacity = _authorise(actor, before.community)
    unit.community = before.community
    _check_credit_code(unit)
    full_clean(unit)
    unit.save(update_fields=UNIT_EDITABLE)
    _record(actor, capacity, "update_unit", unit, UNIT_EDITABLE)
    return unit


@transaction.atomic
def end_unit(*, actor, unit: CoBuildingUnit, on: datetime.date, reason: str) -> CoBuildingUnit:
    """A unit leaves the co-building (退出): ended, never deleted, with its agreements in force ended too."""
    capacity = _authorise(actor, unit.community)
    if not reason.strip():
        raise ValidationError({"end_reason": [_("请填写退出原因")]})
    ended = CoBuildingUnit.objects.reread(unit).filter(ended_on__isnull=True).update(ended_on=on, end_reason=reason)
    if not ended:
        raise ValidationError(_("该单位已退出"), code="already_ended")
    unit.refresh_from_db()
    open_agreements = Agreement.objects.unscoped("the unit's own agreements, the unit authorised above").filter(
        unit=unit, ended_on__isnull=True, valid_until__gte=on, signed_on__lte=on
    )
    for agreement in open_agreements:
        agreement.ended_on, agreement.end_reason = on, _("单位退出共建")
        agreement.save(update_fields=["ended_on", "end_reason"])
        _record(actor, capacity, "end_agreement", agreement, ["ended_on", "end_reason"])
    _record(actor, capacity, "end_unit", unit, ["ended_on", "end_reason"])
    return unit


@transaction.atomic
def sign_agreement(*, actor, agreement: Agreement) -> Agreement:
    capacity = _authorise(actor, agreement.community)
    _require_community(agreement.community)
    if agreement.unit.community_id != agreement.community_id:
        raise ValidationError({"unit": [_("该单位不是本社区的共建单位")]})
    if agreement.unit.ended_on is not None:
        raise ValidationError({"unit": [_("该单位已退出共建")]})
    full_clean(agreement)
    agreement.save()
    _record(actor, capacity, "sign_agreement", agreement, _written(agreement))
    return agreement


@transaction.atomic
def end_agreement(*, actor, agreement: Agreement, on: datetime.date, reason: str) -> Agreement:
    """解除: an agreement ended before it runs out; it stays on the unit's page, no longer in force."""
    capacity = _authorise(actor, agreement.community)
    if not reason.strip():
        raise ValidationError({"end_reason": [_("请填写解除原因")]})
    if agreement.ended_on is not None:
        raise ValidationError({"agreement": [_("该协议已解除")]})
    if on < agreement.signed_on:
        raise ValidationError({"ended_on": [_("解除日期不能早于签订日期")]})
    agreement.ended_on, agreement.end_reason = on, reason.strip()
    full_clean(agreement)
    agreement.save(update_fields=["ended_on", "end_reason"])
    _record(actor, capacity, "end_agreement", agreement, ["ended_on", "end_reason"])
    return agreement


def _lock(obj) -> None:
    """Writes that check before they insert (one booking a day, one rating a year, a points total
    under the sharing line, an entry corrected once) wait for each other on the row they hang from."""
    type(obj).objects.lock(obj)


@transaction.atomic
def award_unit_points(*, actor, unit: CoBuildingUnit, on: datetime.date, points: int, reason: str) -> UnitPoints:
    capacity = _authorise(actor, unit.community)
    _lock(unit)
    entry = UnitPoints(unit=unit, on=on, points=points, reason=reason.strip())
    full_clean(entry)
    entry.save()
    _record(actor, capacity, "award_unit_points", entry, _written(entry))
    return entry


@transaction.atomic
def correct_unit_points(*, actor, entry: UnitPoints, points: int, on: datetime.date, reason: str) -> UnitPoints:
    """冲正: put a wrong entry right by a counter-entry, never by editing it. `points` is what the
    entry should have been; the counter-entry carries the difference and names the entry it corrects.
    An entry is corrected once, and a counter-entry is not corrected again (award a new entry)."""
    capacity = _authorise(actor, entry.unit.community)
    _lock(entry.unit)
    if entry.corrects_id is not None:
        raise ValidationError({"entry": [_("更正记录不能再更正")]})
    if UnitPoints.objects.filter(corrects=entry).exists():
        raise ValidationError({"entry": [_("该记录已更正")]})
    if points == entry.points:
        raise ValidationError({"points": [_("更正后的分值与原记录相同")]})
    counter = UnitPoints(unit=entry.unit, on=on, points=points - entry.points, reason=reason.strip(), corrects=entry)
    full_clean(counter)
    counter.save()
    _record(actor, capacity, "correct_unit_points", counter, _written(counter))
    return counter


def unit_points(unit: CoBuildingUnit) -> int | None:
    """The unit's points total, or None while nothing is on its ledger (not scored yet)."""
    found = UnitPoints.objects.filter(unit=unit).aggregate(total=Sum("points"), entries=Count("pk"))
    return found["total"] if found["entries"] else None


def sharing_refusal(unit: CoBuildingUnit, *, total: int | None = None, scored: bool = True, rules=None) -> str:
    """Why `unit` may not list or book a shared resource now (seed 001: "对低于60分的驻区单位不再享受
    区域资源共享"), in words for the page; "" when it may. A page that has read the total and the
    rules already passes them. The rule is about a unit that has been scored: one just registered,
    with nothing on its ledger yet, is not "under 60" but unscored, and shares (a unit scored below
    the line, even by one entry, does not)."""
    if total is None:
        total = unit_points(unit)
        scored = total is not None
    if not scored:
        return ""
    rules = PointsRule.objects.filter(code=LOSES_SHARING) if rules is None else rules
    for rule in rules:
        if rule.code == LOSES_SHARING and rule.applies(total):
            return _(
                "%(unit)s当前积分%(points)s分,%(comparison)s%(threshold)s分,%(consequence)s:"
                "不能发布或预约共享资源,积分回到%(threshold)s分后恢复。"
            ) % {
                "unit": unit.name,
                "points": total,
                "comparison": rule.get_comparison_display(),
                "threshold": rule.threshold,
                "consequence": rule.consequence,
            }
    return ""


LOSES_SHARING = "loses-sharing"  # the PointsRule row of seed 001 (orgs/0004)


@transaction.atomic
def rate(*, actor, rating: Rating) -> Rating:
    """Record one side's yearly rating of the other; each side rates once a year."""
    capacity = _authorise(actor, rating.unit.community)
    _lock(rating.unit)
    full_clean(rating)
    rating.save()
    _record(actor, capacity, "rate", rating, _written(rating))
    return rating


@transaction.atomic
def record_meeting(*, actor, meeting: JointMeeting, units: Iterable[CoBuildingUnit] = ()) -> JointMeeting:
    capacity = _authorise(actor, meeting.area)
    units = list(units)
    _check_attendance(meeting.area, units)
    full_clean(meeting)
    meeting.save()
    meeting.units.set(units)
    _record(actor, capacity, "record_meeting", meeting, [*_written(meeting), "units"])
    return meeting


def _check_attendance(area: Area, units: list[CoBuildingUnit]) -> None:
    """The units present at a meeting are units of the meeting's place (a street's: of its communities)."""
    if not units:
        return
    inside = (
        CoBuildingUnit.objects.unscoped("checking units against the meeting's place, authorised above")
        .filter(
            pk__in=[u.pk for u in units],
            community__tree_id=area.tree_id,
            community__lft__gte=area.lft,
            community__rght__lte=area.rght,
        )
        .count()
    )
    if inside != len({u.pk for u in units}):
        raise ValidationError({"units": [_("参会单位须为会议所在区域的共建单位")]})


@transaction.atomic
def list_resource(*, actor, resource: SharedResource) -> SharedResource:
    capacity = _authorise(actor, resource.community)
    _require_community(resource.community)
    if resource.unit is not None:
        if resource.unit.community_id != resource.community_id:
            raise ValidationError({"unit": [_("该单位不是本社区的共建单位")]})
        if refusal := sharing_refusal(resource.unit):
            raise ValidationError({"unit": [refusal]})
    full_clean(resource)
    resource.save()
    _record(actor, capacity, "list_resource", resource, _written(resource))
    return resource


@transaction.atomic
def book_resource(*, actor, booking: ResourceBooking) -> ResourceBooking:
    """A unit books a shared resource for a day: one booking a day, a unit of the resource's own
    community, and not while its points are under the sharing line."""
    capacity = _authorise(actor, booking.resource.community)
    unit = booking.unit
    if unit.community_id != booking.resource.community_id:
        raise ValidationError({"unit": [_("该单位不是本社区的共建单位")]})
    if unit.ended_on is not None:
        raise ValidationError({"unit": [_("该单位已退出共建")]})
    _lock(booking.resource)  # one booking a day
    _lock(unit)  # its points, read below, while a deduction is being written
    if refusal := sharing_refusal(unit):
        raise ValidationError({"unit": [refusal]})
    full_clean(booking)
    booking.save()
    _record(actor, capacity, "book_resource", booking, _written(booking))
    return booking


@transaction.atomic
def cancel_booking(*, actor, booking: ResourceBooking, reason: str) -> ResourceBooking:
    """取消预约: a booking is called off, never deleted; its day is free to book again. A day
    that has passed is a record of use, not a plan, and is not cancelled."""
    capacity = _authorise(actor, booking.resource.community)
    if not reason.strip():
        raise ValidationError({"cancel_reason": [_("请填写取消原因")]})
    _lock(booking.resource)  # the lock a booking of the same day waits on
    booking = ResourceBooking.objects.reread(booking).select_related("resource", "unit").get()
    if booking.cancelled_at is not None:
        raise ValidationError(_("该预约已取消"), code="already_cancelled")
    if booking.on < timezone.localdate():
        raise ValidationError(_("该预约的使用日期已过,不能取消"), code="day_passed")
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = None if actor is SYSTEM else actor
    booking.cancel_reason = reason.strip()
    full_clean(booking)
    booking.save(update_fields=BOOKING_CANCELLED)
    _record(actor, capacity, "cancel_booking", booking, BOOKING_CANCELLED)
    return booking


BOOKING_CANCELLED = ("cancelled_at", "cancelled_by", "cancel_reason")


@transaction.atomic
def raise_need(*, actor, need: Need) -> Need:
    capacity = _authorise(actor, need.community)
    _require_community(need.community)
    _check_raiser(need)
    need.status = NeedStatus.OPEN
    full_clean(need)
    need.save()
    _record(actor, capacity, "raise_need", need, _written(need))
    return need


def _check_raiser(need: Need) -> None:
    """A community's need names no unit; a unit's need names a current unit of that community."""
    if need.direction == NeedDirection.COMMUNITY:
        need.raised_by = None
        return
    if need.raised_by is None:
        raise ValidationError({"raised_by": [_("请选择提出需求的单位")]})
    if need.raised_by.community_id != need.community_id:
        raise ValidationError({"raised_by": [_("该单位不是本社区的共建单位")]})
    if need.raised_by.ended_on is not None:
        raise ValidationError({"raised_by": [_("该单位已退出共建")]})


NEED_EDITABLE = ("community", "title", "description", "raised_on")


@transaction.atomic
def update_need(*, actor, need: Need) -> Need:
    """Correct what a need says (admin); its claim and completion change only by claiming and completing."""
    before = Need.objects.reread(need).select_related("community").get()
    capacity = _authorise(actor, before.community)
    if need.community_id != before.community_id:
        _authorise(actor, need.community)
        _require_community(need.community)
    full_clean(need)
    need.save(update_fields=NEED_EDITABLE)
    _record(actor, capacity, "update_need", need, NEED_EDITABLE)
    return need


@transaction.atomic
def claim_need(*, actor, need: Need, unit: CoBuildingUnit, on: datetime.date) -> Need:
    """双向认领: a unit takes on an open need. Two claims at once: the second finds it taken."""
    capacity = _authorise(actor, need.community)
    if need.direction != NeedDirection.COMMUNITY:
        raise ValidationError(_("单位提出的需求由社区回应,不由单位认领"), code="unit_need")
    if unit.community_id != need.community_id:
        raise ValidationError({"unit": [_("该单位不是本社区的共建单位")]})
    claimed = (
        Need.objects.reread(need)
        .filter(status=NeedStatus.OPEN)
        .update(status=NeedStatus.CLAIMED, claimed_by=unit, claimed_on=on)
    )
    if not claimed:
        raise ValidationError(_("该需求已被认领"), code="already_claimed")
    need.refresh_from_db()
    _record(actor, capacity, "claim_need", need, ["status", "claimed_by", "claimed_on"])
    return need


@transaction.atomic
def answer_need(*, actor, need: Need, on: datetime.date, answer: str) -> Need:
    """The community takes on a unit's own need (双向需求清单, the other direction of claiming):
    from then on it is the community's to complete, like a claimed one."""
    capacity = _authorise(actor, need.community)
    if need.direction != NeedDirection.UNIT:
        raise ValidationError(_("社区需求由共建单位认领"), code="community_need")
    if not answer.strip():
        raise ValidationError({"answer": [_("请填写社区的回应")]})
    answered = (
        Need.objects.reread(need)
        .filter(status=NeedStatus.OPEN)
        .update(status=NeedStatus.CLAIMED, claimed_on=on, answer=answer.strip())
    )
    if not answered:
        raise ValidationError(_("该需求已有回应"), code="already_answered")
    need.refresh_from_db()
    _record(actor, capacity, "answer_need", need, ["status", "claimed_on", "answer"])
    return need


@transaction.atomic
def complete_need(*, actor, need: Need, on: datetime.date, result: str) -> Need:
    capacity = _authorise(actor, need.community)
    if not result.strip():
        raise ValidationError({"result": [_("请填写完成情况")]})
    done = (
        Need.objects.reread(need)
        .filter(status=NeedStatus.CLAIMED)
        .update(status=NeedStatus.DONE, done_on=on, result=result.strip())
    )
    if not done:
        raise ValidationError(_("只有已认领的需求才能办结"), code="not_claimed")
    need.refresh_from_db()
    _record(actor, capacity, "complete_need", need, ["status", "done_on", "result"])
    return need


@transaction.atomic
def start_project(*, actor, project: ServiceProject) -> ServiceProject:
    capacity = _authorise(actor, project.community)
    _require_community(project.community)
    if project.unit.community_id != project.community_id:
        raise ValidationError({"unit": [_("该单位不是本社区的共建单位")]})
    if project.need is not None and project.need.community_id != project.community_id:
        raise ValidationError({"need": [_("该需求不是本社区的需求")]})
    full_clean(project)
    project.save()
    _record(actor, capacity, "start_project", project, _written(project))
    return project


@transaction.atomic
def begin_project(*, actor, project: ServiceProject, on: datetime.date) -> ServiceProject:
    """A planned service project starts (实施中) on the day it really began."""
    capacity = _authorise(actor, project.community)
    started = (
        ServiceProject.objects.reread(project)
        .filter(status=ProjectStatus.PLANNED)
        .update(status=ProjectStatus.ONGOING, starts_on=on)
    )
    if not started:
        raise ValidationError(_("只有计划中的项目才能开始实施"), code="not_planned")
    project.refresh_from_db()
    _record(actor, capacity, "begin_project", project, ["status", "starts_on"])
    return project


@transaction.atomic
def finish_project(*, actor, project: ServiceProject, on: datetime.date, outcome: str) -> ServiceProject:
    capacity = _authorise(actor, project.community)
    if not outcome.strip():
        raise ValidationError({"outcome": [_("请填写实施成效")]})
    if on < project.starts_on:
        raise ValidationError({"finished_on": [_("完成日期不能早于开始日期")]})
    finished = (
        ServiceProject.objects.reread(project)
        .filter(status=ProjectStatus.ONGOING)
        .update(status=ProjectStatus.DONE, finished_on=on, outcome=outcome.strip())
    )
    if not finished:
        raise ValidationError(_("只有实施中的项目才能完成"), code="not_ongoing")
    project.refresh_from_db()
    _record(actor, capacity, "finish_project", project, ["status", "finished_on", "outcome"])
    return project
