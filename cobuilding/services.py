"""Writes for co-building units, joint meetings and the four lists.

Each service takes the acting user (`core.scope.SYSTEM` for the demo and commands), refuses one
whose posts do not allow managing co-building at the community concerned (`PermissionDenied`),
and records who did it in the audit trail, in the same transaction as the write.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from cobuilding.models import (
    Agreement,
    CoBuildingUnit,
    JointMeeting,
    Need,
    NeedStatus,
    Rating,
    ServiceProject,
    SharedResource,
    UnitPoints,
)
from core import audit
from core.capabilities import Capability
from core.scope import scope_for
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


@transaction.atomic
def register_unit(*, actor, unit: CoBuildingUnit) -> CoBuildingUnit:
    """Save a unit; a credit code failing its check digit is kept and flagged (pilot-era codes do)."""
    capacity = _authorise(actor, unit.community)
    _require_community(unit.community)
    unit.credit_code = uscc.compact(unit.credit_code or "").upper()
    unit.credit_code_valid = bool(unit.credit_code) and uscc.is_valid(unit.credit_code)
    if unit.credit_code and len(unit.credit_code) != 18:
        raise ValidationError({"credit_code": [_("统一社会信用代码应为18位")]})
    full_clean(unit)
    unit.save()
    _record(actor, capacity, "register_unit", unit, _written(unit))
    return unit


@transaction.atomic
def sign_agreement(*, actor, agreement: Agreement) -> Agreement:
    capacity = _authorise(actor, agreement.community)
    _require_community(agreement.community)
    full_clean(agreement)
    agreement.save()
    _record(actor, capacity, "sign_agreement", agreement, _written(agreement))
    return agreement


@transaction.atomic
def award_unit_points(*, actor, unit: CoBuildingUnit, on: datetime.date, points: int, reason: str) -> UnitPoints:
    capacity = _authorise(actor, unit.community)
    entry = UnitPoints(unit=unit, on=on, points=points, reason=reason.strip())
    full_clean(entry)
    entry.save()
    _record(actor, capacity, "award_unit_points", entry, _written(entry))
    return entry


@transaction.atomic
def correct_unit_points(*, actor, entry: UnitPoints) -> UnitPoints:
    """An entry of the points ledger put right (admin): the same rules as awarding it."""
    capacity = _authorise(actor, entry.unit.community)
    entry.reason = entry.reason.strip()
    full_clean(entry)
    entry.save()
    _record(actor, capacity, "correct_unit_points", entry, _written(entry))
    return entry


@transaction.atomic
def rate(*, actor, rating: Rating) -> Rating:
    """Record one side's yearly rating of the other; each side rates once a year."""
    capacity = _authorise(actor, rating.unit.community)
    full_clean(rating)
    rating.save()
    _record(actor, capacity, "rate", rating, _written(rating))
    return rating


@transaction.atomic
def record_meeting(*, actor, meeting: JointMeeting, units: Iterable[CoBuildingUnit] = ()) -> JointMeeting:
    capacity = _authorise(actor, meeting.area)
    full_clean(meeting)
    meeting.save()
    meeting.units.set(units)
    _record(actor, capacity, "record_meeting", meeting, [*_written(meeting), "units"])
    return meeting


@transaction.atomic
def list_resource(*, actor, resource: SharedResource) -> SharedResource:
    capacity = _authorise(actor, resource.community)
    _require_community(resource.community)
    full_clean(resource)
    resource.save()
    _record(actor, capacity, "list_resource", resource, _written(resource))
    return resource


@transaction.atomic
def raise_need(*, actor, need: Need) -> Need:
    capacity = _authorise(actor, need.community)
    _require_community(need.community)
    need.status = NeedStatus.OPEN
    full_clean(need)
    need.save()
    _record(actor, capacity, "raise_need", need, _written(need))
    return need


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
    full_clean(project)
    project.save()
    _record(actor, capacity, "start_project", project, _written(project))
    return project
