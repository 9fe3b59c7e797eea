"""What still holds a place, and merging a grid or a building into a neighbour (合并).

A place is referenced from every floor above: posts and party organisations (orgs), cases and
door plates (cases), meetings (cobuilding), budget runs and scenarios (funding). grids imports
none of them, so it finds the references through Django's own relation registry
(`Area._meta.related_objects`) and names each holder by its model's Chinese verbose name.

A merge moves what grids owns itself (child places, households, export records, earlier merge
records) and sends `area_merging`; each room above moves its own rows in a receiver it connects
in its AppConfig.ready() and returns {what: how many}. Whatever is still left pointing at the
place afterwards (a room that connected no receiver) refuses the merge, named, and the whole
transaction rolls back.

Decisions (issue 14):
- Only a grid into a grid of the same community, or a building into a building of the same
  parent (grid or compound): neighbours. Streets, communities and compounds are not merged.
- Households keep unit, floor and room; a room already registered in the target is refused and
  named. Each moved household is listed on the AreaMerge record (its history: where it came from).
- Child buildings keep their codes (codes stay unique; they no longer share the new grid's prefix).
- The merge is one audit entry on the place merged into, its fields `what=count`; the counts are
  also kept on the AreaMerge record.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.scope import forget
from grids.access import require_place_keeper
from grids.holders import describe, holders
from grids.import_models import PeopleExport
from grids.models import Area, AreaKind, AreaMerge, Household
from grids.rollup import recount_buildings
from grids.services import _lock_tree

# Sent inside the merge's transaction, after grids moved its own rows and before the place goes.
# Receivers take (sender, *, area, into, actor, capacity, on, **kwargs), move what their room
# holds of `area` to `into`, may refuse with a ValidationError naming the field "into", and
# return a dict {what: count} for the record.
area_merging = Signal()

MERGEABLE = {AreaKind.GRID, AreaKind.BUILDING}


def _check(area: Area, into: Area) -> None:
    if area.kind not in MERGEABLE:
        raise ValidationError({"into": [_("只能合并网格或楼栋")]}, code="not_mergeable")
    if into.pk == area.pk:
        raise ValidationError({"into": [_("不能合并到自身")]}, code="into_itself")
    if into.kind != area.kind:
        raise ValidationError({"into": [_("只能合并到同类区域")]}, code="other_kind")
    if into.parent_id != area.parent_id:
        raise ValidationError({"into": [_("只能合并到同一上级下的相邻区域")]}, code="not_a_neighbour")


def _move_households(area: Area, into: Area) -> list[Household]:
    moving = list(Household.objects.unscoped("the households of a building in hand").filter(building=area))
    taken = set(
        Household.objects.unscoped("which rooms the target building has")
        .filter(building=into)
        .values_list("unit", "room")
    )
    clashes = [h for h in moving if (h.unit, h.room) in taken]
    if clashes:
        rooms = "、".join(f"{h.unit}单元{h.room}" if h.unit else h.room for h in clashes)
        raise ValidationError(
            {"into": [_("%(into)s已登记这些房号:%(rooms)s") % {"into": into.name, "rooms": rooms}]},
            code="room_clash",
        )
    try:
        with transaction.atomic():
            Household.objects.unscoped("the households being moved").filter(building=area).update(building=into)
    except IntegrityError:  # a room registered there since the check (registering takes no tree lock)
        raise ValidationError(
            {"into": [_("%(into)s已登记相同房号") % {"into": into.name}]}, code="room_clash"
        ) from None
    return moving


def _move_children(area: Area, into: Area) -> int:
    children = list(area.get_children())
    for child in children:
        # django-mptt moves from the positions in hand: re-read both after every shift.
        child.refresh_from_db()
        into.refresh_from_db()
        child.move_to(into, "last-child")
    return len(children)


@transaction.atomic
def merge_area(*, actor, area: Area, into: Area, on: datetime.date | None = None) -> AreaMerge:
    """合并到…: move everything the place holds into a neighbour of the same kind, then remove it.
    Who may: whoever keeps the place and the neighbour (grids.access.require_place_keeper)."""
    capacity = require_place_keeper(actor, area.kind, area)
    require_place_keeper(actor, into.kind, into)
    _check(area, into)
    on = on or timezone.localdate()
    _lock_tree(area.tree_id)
    area.refresh_from_db()
    into.refresh_from_db()
    _check(area, into)  # again, as the tree stands under the lock
    counts: dict[str, int] = {}
    moved = _move_households(area, into)
    counts["households"] = len(moved)
    if moved:
        # The place merged goes, and its count row with it: emptied first, so its community's
        # sum does not count its households twice meanwhile.
        recount_buildings([area.pk, into.pk])
    counts["children"] = _move_children(area, into)
    area.refresh_from_db()
    counts["exports"] = PeopleExport._base_manager.filter(area=area).update(area=into)
    AreaMerge.objects.unscoped("earlier merges into the place").filter(into=area).update(into=into)
    for _receiver, answer in area_merging.send(
        sender=Area, area=area, into=into, actor=actor, capacity=capacity, on=on
    ):
        for what, count in (answer or {}).items():
            counts[what] = counts.get(what, 0) + count
    held = holders(area)
    if held:
        raise ValidationError(
            {"into": [_("合并后仍有%(holders)s未能迁移,未合并") % {"holders": describe(held)}]}, code="left_behind"
        )
    record = AreaMerge.objects.create(
        kind=area.kind, name=area.name, code=area.code, into=into, into_name=into.name, on=on, counts=counts
    )
    record.households.set(moved)
    area.delete()
    audit.record(
        actor=actor,
        action="grids.merge_area",
        target=into,
        fields=[f"{what}={count}" for what, count in counts.items() if count],
        capacity=capacity,
    )
    forget(actor)  # the tree moved under the scope cached on them
    return record
