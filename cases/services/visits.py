"""入户走访: a visit logged at the door, the household's 四清 card kept in the same step, and a case
raised from what was found; and the visit plans (走访计划) the community keeps."""

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import VISIT_RULE_KINDS, Category, Source, Visit, VisitRule
from cases.photos import CleanPhoto
from cases.services.recording import required_text
from cases.services.reporting import report_case
from core import audit
from core.capabilities import Capability
from core.scope import scope_for
from core.scoping import full_clean
from grids import services as grid_services
from grids.access import require_people_editor
from grids.models import Area, Household, KeyGroup

# What a visit may change on the card: the 四清 the worker saw (the address is the back office's).
VISIT_CARD_FIELDS = frozenset({"family_situation", "facilities", "hazards", "conflicts"})


@transaction.atomic
def record_visit(
    *,
    actor,
    household: Household,
    findings: str,
    on: datetime.date | None = None,
    follow_up: bool = False,
    follow_up_note: str = "",
    photo: CleanPhoto | None = None,
    card: dict[str, Any] | None = None,
    case_category: Category | None = None,
    case_description: str = "",
    submission_key: uuid.UUID | None = None,
) -> Visit:
    """Grid workers visit the households of their grids, community staff those of their community.
    The card and last_visited change through the household's own service, and a case (if one is
    raised) through report_case, all in this transaction: a refused case leaves no visit behind.
    The same submission key from the same visitor again is the visit it made, not a second one
    (nor a second case): the household's row is held, so two sent at once wait for each other."""
    capacity = require_people_editor(actor, household.building)
    if submission_key is not None:
        Household.objects.within(scope_for(actor)).lock(household)
        earlier = Visit.objects.unscoped("the visitor's own visit under their own form key")
        earlier = earlier.filter(visitor=actor, submission_key=submission_key).first()
        if earlier is not None:
            return earlier
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError({"on": [_("走访日期不能晚于今天")]})
    findings = required_text(findings, _("请填写走访情况"))
    card = dict(card or {})
    unknown = set(card) - VISIT_CARD_FIELDS
    if unknown:
        raise TypeError(f"not fields a visit keeps: {sorted(unknown)}")
    changes = {name: value for name, value in card.items() if getattr(household, name) != value}
    # A visit logged late for an earlier day does not move the last visit back.
    if household.last_visited is None or on > household.last_visited:
        changes["last_visited"] = on
    if changes:
        grid_services.update_household_card(actor=actor, household=household, **changes)
    case = None
    if case_category is not None:
        case = report_case(
            actor=actor,
            category=case_category,
            area=household.building,
            description=case_description,
            source=Source.GRID_PATROL,
            location_note=str(household),
            photos=[photo] if photo else (),
        )
    visit = Visit(
        household=household,
        visitor=actor,
        visitor_role=capacity,
        on=on,
        findings=findings,
        follow_up=follow_up,
        follow_up_note=follow_up_note.strip() if follow_up else "",
        case=case,
        submission_key=submission_key,
    )
    if photo is not None:
        visit.photo = photo.content
    full_clean(visit, exclude=["household", "visitor", "case"])
    visit.save()
    fields = ["household", "on", "findings", "follow_up", "follow_up_note"]
    if photo is not None:
        fields.append("photo")
    if case is not None:
        fields.append("case")
    audit.record(actor=actor, action="visit.record", target=visit, fields=fields, capacity=capacity)
    return visit


def _require_rule_keeper(actor, area: Area) -> str:
    capacity = scope_for(actor).capacity(Capability.MANAGE_COMMUNITY, at=area)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能维护这里的走访计划"))
    return capacity


@transaction.atomic
def add_visit_rule(*, actor, area: Area, group: KeyGroup | None, every_days: int) -> VisitRule:
    """A community's staff plan visits for their community or one of its grids; one rule in force
    per place and group (end the old one to change the period)."""
    if area.kind not in VISIT_RULE_KINDS:
        raise ValidationError({"area": [_("走访计划须定在社区或网格")]})
    capacity = _require_rule_keeper(actor, area)
    if group is not None and group.sensitive and not scope_for(actor).can_view_sensitive:
        raise PermissionDenied(_("您无权为敏感人群制定走访计划"))
    in_force = VisitRule.objects.unscoped("whether the place already has a rule for the group: a yes or no")
    if in_force.filter(area=area, group=group, ended_on__isnull=True).exists():
        raise ValidationError({"group": [_("该区域已有此人群的走访计划,请先停用")]})
    rule = VisitRule(area=area, group=group, every_days=every_days)
    full_clean(rule, exclude=["area", "group"])
    rule.save()
    audit.record(
        actor=actor, action="visit_rule.add", target=rule, fields=["area", "group", "every_days"], capacity=capacity
    )
    return rule


@transaction.atomic
def end_visit_rule(*, actor, rule: VisitRule, on: datetime.date | None = None) -> VisitRule:
    capacity = _require_rule_keeper(actor, rule.area)
    if rule.ended_on is not None:
        raise ValidationError(_("该走访计划已停用"), code="ended")
    today = timezone.localdate()
    if on is not None and on > today:
        # A rule in force is one not ended: an end to come would stop it today.
        raise ValidationError({"ended_on": [_("停用日期不能晚于今天")]})
    rule.ended_on = on or today
    full_clean(rule, exclude=["area", "group"])
    rule.save(update_fields=["ended_on"])
    audit.record(actor=actor, action="visit_rule.end", target=rule, fields=["ended_on"], capacity=capacity)
    return rule
