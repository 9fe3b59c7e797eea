"""迁入/迁出, the end of a resident and the change of 户主: the household's history, kept.

Nobody is deleted: moving out, a death or a departure sets the resident's end, and a move writes a
Move row on the household, so its page still shows who lived there after they have gone.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.blind_index import blind_index
from core.identity import parse_citizen_id
from core.scoping import full_clean
from grids.access import require_people_editor
from grids.models import Household, Move, MoveDirection, Relation, Resident, ResidentEnd, ResidentTag
from grids.rollup import recount_buildings
from grids.services import DUPLICATE_ID_MESSAGE, RESIDENT_FIELDS, _save_unique_id, build_resident, check_one_head


@transaction.atomic
def move_in(*, actor, household: Household, on: datetime.date, citizen_id: str, **person: Any) -> Resident:
    """迁入: someone new is registered; someone who moved out or left elsewhere comes back as themselves."""
    capacity = require_people_editor(actor, household.building)
    try:
        number = parse_citizen_id(citizen_id).number
    except ValidationError as exc:
        raise ValidationError({"citizen_id": exc.messages}) from None
    known = (
        Resident.objects.unscoped("an ID match says only whether the person may move in, never where they were")
        .select_for_update()
        .filter(citizen_id_hash=blind_index(number))
        .first()
    )
    if known is None:
        resident = build_resident(actor=actor, household=household, citizen_id=number, **person)
        _save_unique_id(resident)
    elif known.ended_on is None or known.end_reason == ResidentEnd.DIED:
        raise ValidationError({"citizen_id": [DUPLICATE_ID_MESSAGE]})
    else:
        fresh = build_resident(actor=actor, household=household, citizen_id=number, **person)
        for name in ("household", "name", "phone", "phone_hash", "residence_status", "relation"):
            setattr(known, name, getattr(fresh, name))
        known.ended_on, known.end_reason = None, ""
        check_one_head(known)
        known.save()
        resident = known
    Move.objects.create(household=household, resident=resident, direction=MoveDirection.IN, on=on)
    recount_buildings([household.building_id])  # where they were, they had ended: counted out already
    fields = [name for name in RESIDENT_FIELDS if getattr(resident, name, None) not in (None, "")]
    audit.record(actor=actor, action="grids.move_in", target=resident, fields=[*fields, "moves"], capacity=capacity)
    return resident


@transaction.atomic
def end_resident(
    *, actor, resident: Resident, on: datetime.date, reason: str, new_head: Resident | None = None
) -> Resident:
    """迁出, 死亡 or 离开. A 户主 who leaves others behind names who heads the household now."""
    capacity = require_people_editor(actor, resident.household.building)
    resident = Resident.objects.reread(resident).select_for_update().select_related("household__building").get()
    if resident.ended_on is not None:
        raise ValidationError(_("该居民已注销"), code="already_ended")
    if reason not in ResidentEnd.values:
        raise ValidationError({"reason": [_("请选择注销原因")]})
    others = resident.household.residents.living().exclude(pk=resident.pk)
    fields = ["ended_on", "end_reason"]
    heads_others = resident.relation == Relation.HEAD and others.exists()
    if heads_others and new_head is None:
        raise ValidationError({"new_head": [_("户主注销前请指定同户在住的新户主")]}, code="needs_new_head")
    if new_head is not None and not others.filter(pk=new_head.pk).exists():
        raise ValidationError({"new_head": [_("新户主须是本户在住居民")]}, code="new_head_not_living_here")
    resident.ended_on, resident.end_reason = on, reason
    full_clean(resident, exclude=["citizen_id", "citizen_id_hash"], validate_constraints=False)
    resident.save(update_fields=fields)
    if resident.relation == Relation.HEAD and new_head is not None:
        Resident.objects.reread(new_head).update(relation=Relation.HEAD)
        fields.append("relation")
    if reason == ResidentEnd.MOVED_OUT:
        Move.objects.create(household=resident.household, resident=resident, direction=MoveDirection.OUT, on=on)
        fields.append("moves")
    recount_buildings([resident.household.building_id])
    audit.record(actor=actor, action=f"grids.end_resident.{reason}", target=resident, fields=fields, capacity=capacity)
    return resident


@transaction.atomic
def end_resident_tag(*, actor, tag: ResidentTag, until: datetime.date) -> ResidentTag:
    """A key-group tag ends on a date (the reason it was kept no longer holds); it stays on record."""
    capacity = require_people_editor(actor, tag.resident.household.building)
    tag.until = until
    full_clean(tag)
    tag.save(update_fields=["until"])
    recount_buildings([tag.resident.household.building_id])
    audit.record(actor=actor, action="grids.end_resident_tag", target=tag, fields=["until"], capacity=capacity)
    return tag


@transaction.atomic
def change_head(*, actor, household: Household, new_head: Resident, old_head_relation: str) -> Household:
    """户主变更: the old 户主 takes the relation given, the new one becomes 户主, in one step."""
    capacity = require_people_editor(actor, household.building)
    # Two head changes at once would both pass the checks below and one would break the constraint.
    household = Household.objects.reread(household).select_for_update().get()
    living = household.residents.living()
    if not living.filter(pk=new_head.pk).exists():
        raise ValidationError({"new_head": [_("新户主须是本户在住居民")]})
    if old_head_relation not in Relation.values or old_head_relation == Relation.HEAD:
        raise ValidationError({"old_head_relation": [_("请选择原户主与新户主的关系")]})
    living.filter(relation=Relation.HEAD).exclude(pk=new_head.pk).update(relation=old_head_relation)
    living.filter(pk=new_head.pk).update(relation=Relation.HEAD)
    audit.record(actor=actor, action="grids.change_head", target=household, fields=["relation"], capacity=capacity)
    return household
