"""Writes for co-building units, joint meetings and the four lists."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from grids.models import Area, AreaKind
from orgs.cobuilding import (
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


def _require_community(area: Area) -> None:
    if area.kind != AreaKind.COMMUNITY:
        raise ValidationError(_("须为社区"), code="not_a_community")


@transaction.atomic
def register_unit(*, unit: CoBuildingUnit) -> CoBuildingUnit:
    """Save a unit; a credit code failing its check digit is kept and flagged (pilot-era codes do)."""
    _require_community(unit.community)
    unit.credit_code = uscc.compact(unit.credit_code or "").upper()
    unit.credit_code_valid = bool(unit.credit_code) and uscc.is_valid(unit.credit_code)
    if unit.credit_code and len(unit.credit_code) != 18:
        raise ValidationError({"credit_code": [_("统一社会信用代码应为18位")]})
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def sign_agreement(*, agreement: Agreement) -> Agreement:
    _require_community(agreement.community)
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def award_unit_points(*, unit: CoBuildingUnit, on: datetime.date, points: int, reason: str) -> UnitPoints:
    entry = UnitPoints(unit=unit, on=on, points=points, reason=reason.strip())
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def rate(*, rating: Rating) -> Rating:
    """Record one side's yearly rating of the other; each side rates once a year."""
    rating.full_clean()
    rating.save()
    return rating


@transaction.atomic
def record_meeting(*, meeting: JointMeeting, units: list[CoBuildingUnit] = ()) -> JointMeeting:
    meeting.full_clean()
    meeting.save()
    meeting.units.set(units)
    return meeting


@transaction.atomic
def list_resource(*, resource: SharedResource) -> SharedResource:
    _require_community(resource.community)
    resource.full_clean()
    resource.save()
    return resource


@transaction.atomic
def raise_need(*, need: Need) -> Need:
    _require_community(need.community)
    need.status = NeedStatus.OPEN
    need.full_clean()
    need.save()
    return need


@transaction.atomic
def claim_need(*, need: Need, unit: CoBuildingUnit, on: datetime.date) -> Need:
    """双向认领: a unit takes on an open need. Two claims at once: the second finds it taken."""
    claimed = Need.objects.filter(pk=need.pk, status=NeedStatus.OPEN).update(
        status=NeedStatus.CLAIMED, claimed_by=unit, claimed_on=on
    )
    if not claimed:
        raise ValidationError(_("该需求已被认领"), code="already_claimed")
    need.refresh_from_db()
    return need


@transaction.atomic
def complete_need(*, need: Need, on: datetime.date, result: str) -> Need:
    if not result.strip():
        raise ValidationError({"result": [_("请填写完成情况")]})
    done = Need.objects.filter(pk=need.pk, status=NeedStatus.CLAIMED).update(
        status=NeedStatus.DONE, done_on=on, result=result.strip()
    )
    if not done:
        raise ValidationError(_("只有已认领的需求才能办结"), code="not_claimed")
    need.refresh_from_db()
    return need


@transaction.atomic
def start_project(*, project: ServiceProject) -> ServiceProject:
    _require_community(project.community)
    project.full_clean()
    project.save()
    return project
