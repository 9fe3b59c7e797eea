"""Writes to the party roll: register, edit, transfer (组织关系转接), 双报到, the points ledger and
党员包住户. Kept beside orgs/services.py (which re-exports register_member and award_points) so the
roll's rules read in one place.

Who may: the keeper of party members (Capability.KEEP_PARTY_MEMBERS) at the organisation's seat —
community staff for their community's organisations, street staff their street's, district staff
all. A page offers a form only where `may_keep_members` says so; the service asks again.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.capabilities import Capability
from core.scope import Scope, covers_area, scope_for
from core.scoping import full_clean
from grids.models import Household, Resident
from orgs.models import MemberKind, MemberTransfer, Organization, PartyMember, ServicePoints

MEMBER_FIELDS = ["name", "resident", "organization", "status", "joined", "kind", "work_unit", "reported_on"]
EDITABLE = frozenset({"name", "status", "kind", "joined", "work_unit"})


def may_keep_members(scope: Scope, organization: Organization) -> bool:
    """For a page deciding whether to offer a form; the service asks again."""
    return scope.capacity(Capability.KEEP_PARTY_MEMBERS, at=organization.area) is not None


def require_member_keeper(actor, organization: Organization) -> str:
    capacity = scope_for(actor).capacity(Capability.KEEP_PARTY_MEMBERS, at=organization.area)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能维护这个党组织的党员"))
    return capacity


def _in_roll(member: PartyMember) -> None:
    if member.left_on is not None:
        raise ValidationError(_("该党员已转出本区,不在党员名册中"), code="left")


def _set(member: PartyMember) -> list[str]:
    given = [(name, getattr(member, f"{name}_id", getattr(member, name, None))) for name in MEMBER_FIELDS]
    return [name for name, value in given if value not in (None, "")]


def _check_roll(member: PartyMember, actor) -> None:
    """One person, one roll: a resident already on a roll (any organisation's, in scope or not) is
    moved by a transfer, never registered twice. The message says nothing of where."""
    if not member.resident_id:
        return
    if not scope_for(actor).covers(member.resident.household.building):
        raise ValidationError({"resident": [_("您的辖区内没有这位居民")]}, code="resident_outside")
    # Two keepers registering one person at once: the second waits here, then finds the first.
    Resident.objects.lock(member.resident)
    taken = PartyMember.objects.unscoped("a roll clash says only that the person is on one")
    if taken.filter(resident_id=member.resident_id).exclude(pk=member.pk).exists():
        raise ValidationError(
            {"resident": [_("该居民已在党员名册中,不能同时在两个党组织的名册中;请办理组织关系转接")]},
            code="two_rolls",
        )


def _check_households(actor, households) -> list[Household]:
    households = list(households)
    if not households:
        return households
    ids = {h.pk for h in households}
    inside = Household.objects.within(scope_for(actor)).filter(pk__in=sorted(ids)).count()
    if inside != len(ids):
        raise ValidationError({"households": [_("只能联系您辖区内的住户")]}, code="household_outside")
    return households


@transaction.atomic
def register_member(
    *,
    actor,
    member: PartyMember,
    households: list[Household] = (),
    transferred_from: str = "",
    on: datetime.date | None = None,
) -> PartyMember:
    """Add a party member (an unsaved PartyMember), with the households they look after; one
    arriving from outside the district (转入) names the organisation they come from."""
    capacity = require_member_keeper(actor, member.organization)
    if member.resident_id and not member.name:
        member.name = member.resident.name
    _check_roll(member, actor)
    households = _check_households(actor, households)
    full_clean(member)
    member.save()
    if households:
        member.households.add(*households)
    fields = _set(member) + (["households"] if households else [])
    if transferred_from.strip():
        transfer = MemberTransfer(
            member=member,
            to_organization=member.organization,
            outside=transferred_from.strip(),
            on=on or timezone.localdate(),
            reason=_("从区外转入"),
        )
        full_clean(transfer)
        transfer.save()
        fields.append("transfers")
    audit.record(actor=actor, action="orgs.register_member", target=member, fields=fields, capacity=capacity)
    return member


@transaction.atomic
def update_member(*, actor, member: PartyMember, **changes) -> PartyMember:
    """Name, status, kind, joined and work unit; the organisation changes by a transfer only. What
    changed is read against the stored row (admin sets the new values on the object first)."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    capacity = require_member_keeper(actor, member.organization)
    _in_roll(member)
    stored = PartyMember.objects.reread(member).values(*changes).get()
    changed = [name for name, value in changes.items() if stored[name] != value]
    for name in changed:
        setattr(member, name, changes[name])
    full_clean(member)
    if changed:
        member.save(update_fields=changed)
        audit.record(actor=actor, action="orgs.update_member", target=member, fields=changed, capacity=capacity)
    return member


@transaction.atomic
def transfer_member(
    *,
    actor,
    member: PartyMember,
    to: Organization | None,
    on: datetime.date,
    reason: str,
    outside: str = "",
) -> MemberTransfer:
    """组织关系转接: move the member's roll to another organisation in the district (`to`), or out
    of it (`to=None`, `outside` naming where: the member leaves the roll, never deleted), or back
    in for one who had left. The member is on one roll at every moment: the row moves, it is never
    copied. The keeper of both ends acts (between communities that is the street, between
    streets the district)."""
    locked = PartyMember.objects.reread(member).select_for_update(of=("self",))
    member = locked.select_related("organization__area").get()
    returning = member.left_on is not None
    source = member.organization
    if returning:
        if to is None:
            raise ValidationError({"to": [_("该党员已转出本区,转入须选择本区党组织")]}, code="left")
    else:
        capacity = require_member_keeper(actor, source)
    if to is not None:
        capacity = require_member_keeper(actor, to)
        if to.pk == source.pk and not returning:
            raise ValidationError({"to": [_("转入党组织不能是现所在党组织")]}, code="same_organization")
    outside = outside.strip()
    if to is None and not outside:
        raise ValidationError({"outside": [_("转往区外须写明转往组织")]}, code="no_destination")
    if on < member.joined:
        raise ValidationError({"on": [_("转接日期不能早于入党日期")]}, code="before_joined")
    last = member.transfers.order_by("-on").values_list("on", flat=True).first()
    if last is not None and on < last:
        raise ValidationError({"on": [_("转接日期不能早于上一次转接")]}, code="before_last")
    transfer = MemberTransfer(
        member=member,
        from_organization=None if returning else source,
        to_organization=to,
        outside=outside if (returning or to is None) else "",
        on=on,
        reason=reason.strip(),
    )
    if returning and not transfer.outside:
        transfer.outside = member.left_to
    full_clean(transfer)
    transfer.save()
    if to is None:
        fields = ["left_on", "left_to", "households"]
        member.left_on, member.left_to = on, outside
        # Who has left the district looks after no household here.
        member.households.clear()
    else:
        fields = ["organization"] + (["left_on", "left_to"] if returning else [])
        member.organization, member.left_on, member.left_to = to, None, ""
    full_clean(member)
    member.save(update_fields=["organization", "left_on", "left_to"])
    audit.record(
        actor=actor, action="orgs.transfer_member", target=member, fields=[*fields, "transfers"], capacity=capacity
    )
    return transfer


@transaction.atomic
def report_dual(
    *,
    actor,
    member: PartyMember,
    work_unit: str,
    reported_on: datetime.date,
    co_building_unit=None,
) -> PartyMember:
    """双报到: an in-service member reports to their community (the date) and their unit (its
    name, and the co-building unit it is, when it is one of the community's)."""
    capacity = require_member_keeper(actor, member.organization)
    _in_roll(member)
    if member.kind != MemberKind.IN_SERVICE:
        raise ValidationError(_("只有在职党员办理双报到(管理类型须为在职党员)"), code="not_in_service")
    if reported_on < member.joined:
        raise ValidationError({"reported_on": [_("报到日期不能早于入党日期")]}, code="before_joined")
    if co_building_unit is not None:
        if not covers_area(co_building_unit.community, member.organization.area):
            raise ValidationError({"co_building_unit": [_("共建单位须是本社区的驻区单位")]}, code="unit_elsewhere")
        if co_building_unit.ended_on is not None and co_building_unit.pk != member.co_building_unit_id:
            raise ValidationError({"co_building_unit": [_("该单位已退出共建")]}, code="unit_ended")
    member.work_unit = work_unit.strip()
    member.reported_on = reported_on
    member.co_building_unit = co_building_unit
    full_clean(member)
    member.save(update_fields=["work_unit", "reported_on", "co_building_unit"])
    audit.record(
        actor=actor,
        action="orgs.report_dual",
        target=member,
        fields=["work_unit", "reported_on", "co_building_unit"],
        capacity=capacity,
    )
    return member


@transaction.atomic
def award_points(*, actor, member: PartyMember, on: datetime.date, points: int, reason: str) -> ServicePoints:
    capacity = require_member_keeper(actor, member.organization)
    _in_roll(member)
    entry = ServicePoints(member=member, on=on, points=points, reason=reason.strip())
    full_clean(entry)
    entry.save()
    audit.record(
        actor=actor,
        action="orgs.award_points",
        target=entry,
        fields=["member", "on", "points", "reason"],
        capacity=capacity,
    )
    return entry


@transaction.atomic
def correct_points(*, actor, entry: ServicePoints, reason: str, on: datetime.date | None = None) -> ServicePoints:
    """A wrong entry stays as it was: a counter-entry of the opposite points names it and why."""
    member = entry.member
    capacity = require_member_keeper(actor, member.organization)
    _in_roll(member)
    ServicePoints.objects.select_for_update().get(pk=entry.pk)  # corrected once, even if sent twice at once
    if entry.corrects_id is not None:
        raise ValidationError({"entry": [_("更正记录不能再更正;请另记一笔")]}, code="a_correction")
    if ServicePoints.objects.filter(corrects=entry).exists():
        raise ValidationError({"entry": [_("这笔积分已更正过")]}, code="corrected")
    counter = ServicePoints(
        member=member,
        on=on or timezone.localdate(),
        points=-entry.points,
        reason=_("更正:%(reason)s") % {"reason": reason.strip()},
        corrects=entry,
    )
    full_clean(counter)
    counter.save()
    audit.record(
        actor=actor,
        action="orgs.correct_points",
        target=counter,
        fields=["member", "on", "points", "reason", "corrects"],
        capacity=capacity,
    )
    return counter


@transaction.atomic
def assign_households(*, actor, member: PartyMember, households: list[Household]) -> PartyMember:
    """党员包住户: the member looks after these households (in the actor's scope)."""
    capacity = require_member_keeper(actor, member.organization)
    _in_roll(member)
    households = _check_households(actor, households)
    if not households:
        raise ValidationError({"households": [_("请选择住户")]}, code="none")
    member.households.add(*households)
    audit.record(actor=actor, action="orgs.assign_households", target=member, fields=["households"], capacity=capacity)
    return member


@transaction.atomic
def unassign_households(*, actor, member: PartyMember, households: list[Household]) -> PartyMember:
    capacity = require_member_keeper(actor, member.organization)
    member.households.remove(*households)
    audit.record(
        actor=actor, action="orgs.unassign_households", target=member, fields=["households"], capacity=capacity
    )
    return member
