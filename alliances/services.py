"""Writes for alliances (set up, committee, members, the chair handed over), the joint meetings'
attendance and decisions, and 双报告.

An alliance is kept by who manages co-building at its street or district (MANAGE_COMMUNITY there);
a joint meeting's decisions by who may record the meeting; a member's service records by who keeps
the party roll of their organisation (KEEP_PARTY_MEMBERS). Each write records its audit entry in
the same transaction."""

import datetime
import logging
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import exports, selectors
from alliances.models import (
    ALLIANCE_PLACES,
    Alliance,
    ChairTerm,
    CommitteeMember,
    DualReport,
    JointDecision,
    Membership,
    ServiceActivity,
    previous_half_year,
)
from cases.models import Category
from cases.services.recording import required_text
from cobuilding import services as cobuilding_services
from cobuilding.models import CoBuildingUnit, JointMeeting
from core import audit
from core.capabilities import Capability
from core.scope import SYSTEM, covers_area, scope_for
from core.scoping import full_clean
from grids.models import Area, AreaKind
from gridwork import services as gridwork_services
from gridwork.services import Raise
from orgs.member_services import require_member_keeper
from orgs.models import MemberKind, Organization, PartyMember

logger = logging.getLogger(__name__)


def _require_keeper(actor, area: Area) -> str:
    capacity = scope_for(actor).capacity(Capability.MANAGE_COMMUNITY, at=area)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能维护这个联盟"))
    return capacity


def _lock(alliance: Alliance) -> None:
    Alliance.objects.unscoped("locking the alliance being written, authorised above").select_for_update().get(
        pk=alliance.pk
    )


@transaction.atomic
def create_alliance(*, actor, alliance: Alliance) -> Alliance:
    if alliance.area.kind not in ALLIANCE_PLACES:
        raise ValidationError({"area": [_("联盟须建在街道(乡镇)或区县")]}, code="not_a_street")
    capacity = _require_keeper(actor, alliance.area)
    alliance.name = required_text(alliance.name, _("请填写联盟名称"))
    full_clean(alliance, exclude=["area"])
    alliance.save()
    audit.record(
        actor=actor,
        action="alliances.create",
        target=alliance,
        fields=["name", "area", "founded_on", "chair_term_months", "clause"],
        capacity=capacity,
    )
    return alliance


@transaction.atomic
def appoint_to_committee(*, actor, member: CommitteeMember) -> CommitteeMember:
    """指导委员会: a seat on the alliance's guidance committee."""
    capacity = _require_keeper(actor, member.alliance.area)
    full_clean(member, exclude=["alliance"])
    member.save()
    audit.record(
        actor=actor,
        action="alliances.appoint_to_committee",
        target=member,
        fields=["alliance", "name", "role", "affiliation", "start"],
        capacity=capacity,
    )
    return member


def _check_member_place(alliance: Alliance, unit: CoBuildingUnit | None, organization: Organization | None) -> None:
    place = unit.community if unit is not None else organization.area if organization is not None else None
    if place is None:
        raise ValidationError(_("成员须为一个共建单位或一个党组织"), code="no_member")
    if not covers_area(alliance.area, place):
        raise ValidationError(_("成员须在联盟所在区域内"), code="member_elsewhere")
    if unit is not None and unit.ended_on is not None:
        raise ValidationError({"unit": [_("该单位已退出共建")]}, code="unit_ended")


@transaction.atomic
def admit_member(
    *,
    actor,
    alliance: Alliance,
    joined_on: datetime.date,
    unit: CoBuildingUnit | None = None,
    organization: Organization | None = None,
    rotation_order: int | None = None,
) -> Membership:
    """A unit or a party organisation joins (会员单位); with a place in the rotation, it will chair in turn."""
    capacity = _require_keeper(actor, alliance.area)
    if (unit is None) == (organization is None):
        raise ValidationError(_("成员须为一个共建单位或一个党组织"), code="unit_or_organization")
    _check_member_place(alliance, unit, organization)
    _lock(alliance)
    member = Membership(
        alliance=alliance, unit=unit, organization=organization, joined_on=joined_on, rotation_order=rotation_order
    )
    full_clean(member, exclude=["alliance", "unit", "organization"])
    member.save()
    audit.record(
        actor=actor,
        action="alliances.admit_member",
        target=member,
        fields=["alliance", "unit", "organization", "joined_on", "rotation_order"],
        capacity=capacity,
    )
    return member


@transaction.atomic
def remove_member(*, actor, member: Membership, on: datetime.date) -> Membership:
    """A member leaves; it stays on the record (and on the chair terms it held), out of the rotation."""
    capacity = _require_keeper(actor, member.alliance.area)
    if member.left_on is not None:
        raise ValidationError(_("该成员已退出"), code="left")
    if on < member.joined_on:
        raise ValidationError({"left_on": [_("退出日期不能早于加入日期")]}, code="before_joined")
    member.left_on = on
    member.save(update_fields=["left_on"])
    audit.record(actor=actor, action="alliances.remove_member", target=member, fields=["left_on"], capacity=capacity)
    return member


@transaction.atomic
def hand_over_chair(*, actor, alliance: Alliance, on: datetime.date | None = None) -> ChairTerm:
    """轮值主席交接: when the chair's term has run out, the next member in the rotation takes it for
    one term from the day after (the calendar of terms is kept even when the hand-over is recorded
    late). Refused while the term runs: the rule, not the clerk, says when the chair changes."""
    capacity = _require_keeper(actor, alliance.area)
    _lock(alliance)
    on = on or timezone.localdate()
    fresh = selectors.with_people(Alliance.objects.unscoped("the alliance just locked")).get(pk=alliance.pk)
    due = selectors.chair(fresh, on)
    if due.next_member is None:
        if due.term is not None and not due.due:
            raise ValidationError(
                _("现任轮值主席任期至%(end)s,尚未届满") % {"end": f"{due.term.ends_on:%Y-%m-%d}"}, code="term_running"
            )
        raise ValidationError(_("联盟尚无参加轮值的成员"), code="no_rotation")
    term = ChairTerm(
        alliance=alliance,
        member=due.next_member,
        starts_on=due.next_starts_on,
        ends_on=selectors.term_end(fresh, due.next_starts_on),
        handed_over_by=None if actor is SYSTEM else actor,
    )
    full_clean(term, exclude=["alliance", "member", "handed_over_by"])
    term.save()
    audit.record(
        actor=actor,
        action="alliances.hand_over_chair",
        target=term,
        fields=["alliance", "member", "starts_on", "ends_on"],
        capacity=capacity,
    )
    return term


# Joint meetings: the alliance's, and the three levels' decisions -----------------------------------


@transaction.atomic
def hold_joint_meeting(
    *,
    actor,
    meeting: JointMeeting,
    units: Iterable[CoBuildingUnit] = (),
    committee: Iterable[CommitteeMember] = (),
) -> JointMeeting:
    """A joint meeting recorded through co-building's own service (which authorises it at the
    meeting's place), with the alliance's committee members present. An alliance's meeting is
    held within the alliance's area."""
    if meeting.alliance_id is not None and not covers_area(meeting.alliance.area, meeting.area):
        raise ValidationError({"area": [_("联盟的联席会议须在联盟所在区域召开")]}, code="outside_alliance")
    if meeting.held_on > timezone.localdate():
        raise ValidationError({"held_on": [_("召开日期不能晚于今天")]}, code="future")
    meeting = cobuilding_services.record_meeting(actor=actor, meeting=meeting, units=units)
    return record_committee_attendance(actor=actor, meeting=meeting, committee=committee)


@transaction.atomic
def record_committee_attendance(*, actor, meeting: JointMeeting, committee: Iterable[CommitteeMember]) -> JointMeeting:
    capacity = _require_keeper(actor, meeting.area)
    committee = list(committee)
    allowed = set(selectors.committee_at(meeting).values_list("pk", flat=True))
    if not {c.pk for c in committee} <= allowed:
        raise ValidationError({"committee": [_("出席委员须为该联盟当日在任的指导委员会委员")]}, code="not_on_committee")
    meeting.committee_present.set(committee)
    audit.record(
        actor=actor,
        action="alliances.committee_attendance",
        target=meeting,
        fields=["committee_present"],
        capacity=capacity,
    )
    return meeting


CASE_PLACES = (AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.COMPOUND, AreaKind.BUILDING)


def _place_for(meeting: JointMeeting, place: Area | None) -> Area:
    """Where what a decision raises is: a community's or a compound's meeting, its own place; a
    street's meeting names a community (or a place in one) inside the street."""
    if meeting.area.kind in CASE_PLACES:
        return meeting.area
    if place is None or place.kind not in CASE_PLACES or not covers_area(meeting.area, place):
        raise ValidationError({"place": [_("请选择会议所在区域内的社区、网格或楼栋")]}, code="place")
    return place


def _community_of(place: Area) -> Area:
    if place.kind == AreaKind.COMMUNITY:
        return place
    return place.get_ancestors().get(kind=AreaKind.COMMUNITY)


@transaction.atomic
def decide_joint(
    *,
    actor,
    meeting: JointMeeting,
    text: str,
    raises: str = Raise.NOTHING,
    category: Category | None = None,
    title: str = "",
    unit: CoBuildingUnit | None = None,
    place: Area | None = None,
) -> JointDecision:
    """A decision of a joint meeting, and what it raises through that thing's own service, all or
    nothing (as gridwork.services.decide for a grid meeting)."""
    capacity = _require_keeper(actor, meeting.area)
    text = required_text(text, _("请填写议定事项"))
    decision = JointDecision(meeting=meeting, text=text)
    gridwork_services.raise_from(
        decision,
        actor=actor,
        raises=raises,
        locate=lambda: _place_for(meeting, place),
        community_of=_community_of,
        note=_("党建联席会议 %(date)s") % {"date": f"{meeting.held_on:%Y-%m-%d}"},
        held_on=meeting.held_on,
        category=category,
        title=title,
        unit=unit,
    )
    full_clean(decision, exclude=["meeting", "case", "need", "project"])
    decision.save()
    fields = ["meeting", "text"] + ([raises] if raises else [])
    audit.record(actor=actor, action="alliances.decide", target=decision, fields=fields, capacity=capacity)
    return decision


# 双报告 -----------------------------------------------------------------------------------------


@transaction.atomic
def record_service(*, actor, member: PartyMember, on: datetime.date, activity: str, hours: Decimal) -> ServiceActivity:
    """One activity of an in-service member's 双报到 service, and its hours."""
    capacity = require_member_keeper(actor, member.organization)
    if member.kind != MemberKind.IN_SERVICE or member.left_on is not None:
        raise ValidationError(_("只记录在册的在职党员的服务"), code="not_in_service")
    if on > timezone.localdate():
        raise ValidationError({"on": [_("服务日期不能晚于今天")]}, code="future")
    if member.reported_on is not None and on < member.reported_on:
        raise ValidationError(_("服务日期不能早于报到日期"), code="before_reported")
    row = ServiceActivity(member=member, on=on, activity=required_text(activity, _("请填写服务内容")), hours=hours)
    full_clean(row, exclude=["member"])
    row.save()
    audit.record(
        actor=actor,
        action="alliances.record_service",
        target=row,
        fields=["member", "on", "activity", "hours"],
        capacity=capacity,
    )
    return row


def _require_sender(actor, unit: CoBuildingUnit) -> str:
    capacity = scope_for(actor).capacity(Capability.KEEP_PARTY_MEMBERS, at=unit.community)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能发送这个单位的双报告"))
    return capacity


@transaction.atomic
def send_dual_report(*, actor, unit: CoBuildingUnit, start: datetime.date, end: datetime.date) -> list[DualReport]:
    """双报告: the half-year of the unit's in-service members, as a workbook mailed to the unit's
    contact. Each member's report is recorded once: a second run for the half-year sends only the
    members not yet reported (none, usually), and a mail that fails rolls the records back, so the
    next run sends them again."""
    capacity = _require_sender(actor, unit)
    if not unit.email:
        raise ValidationError(_("该单位未填写联系邮箱"), code="no_email")
    CoBuildingUnit.objects.unscoped("locking the unit being reported to").select_for_update().get(pk=unit.pk)
    rows = [r for r in selectors.unit_half_year(unit, start, end) if r.sent_at is None]
    if not rows:
        return []
    details = selectors.unit_activities(unit, start, end)
    workbook = exports.unit_workbook(unit, start, end, rows, details)
    reports = DualReport.objects.bulk_create(
        [
            DualReport(
                member=r.member,
                unit=unit,
                period_start=start,
                period_end=end,
                activities=r.activities,
                hours=r.hours,
                sent_to=unit.email,
            )
            for r in rows
        ]
    )
    subject = _("%(unit)s在职党员双报告(%(start)s至%(end)s)") % {
        "unit": unit.name,
        "start": f"{start:%Y-%m-%d}",
        "end": f"{end:%Y-%m-%d}",
    }
    body = "\n".join(
        [
            _("%(contact)s:") % {"contact": unit.contact or unit.name},
            _("贵单位在职党员到%(community)s报到服务情况如下,明细见附件。") % {"community": unit.community.name},
            *(
                _("%(name)s:服务%(n)s次,共%(hours)s小时") % {"name": r.member.name, "n": r.activities, "hours": r.hours}
                for r in rows
            ),
        ]
    )
    message = EmailMessage(subject=subject, body=body, to=[unit.email])
    message.attach(exports.file_name(unit, start), workbook, exports.XLSX)
    message.send()
    audit.record(
        actor=actor,
        action="alliances.send_dual_report",
        target=unit,
        fields=["member", "period_start", "activities", "hours", "sent_to"],
        capacity=capacity,
    )
    return reports


def send_due_dual_reports(*, on: datetime.date | None = None) -> int:
    """The half-yearly run (alliances.tasks): every unit with in-service members and a contact
    e-mail gets the half-year just ended. Each unit in its own transaction: one unit's refused mail
    does not hold back the others."""
    start, end = previous_half_year(on or timezone.localdate())
    units = (
        CoBuildingUnit.objects.unscoped("the half-yearly run reports to every unit with members")
        .filter(reported_members__kind=MemberKind.IN_SERVICE, ended_on__isnull=True)
        .exclude(email="")
        .select_related("community")
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for unit in units:
        try:
            sent += len(send_dual_report(actor=SYSTEM, unit=unit, start=start, end=end))
        except Exception:  # recorded nothing for this unit: the next run sends it again
            logger.exception("dual report to unit %s not sent", unit.pk)
    return sent
