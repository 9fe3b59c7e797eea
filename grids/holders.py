"""What still holds a place: every row of any room that points at it, found without importing the rooms.

grids is the ground floor of places; posts, cases, door plates, meetings and budgets refer to an
area from the floors above. Django's relation registry (`Area._meta.related_objects`) knows them
all once the apps are loaded, so a removal (grids.services.remove_area) and a merge
(grids.merging) ask it, and name each holder by its model's Chinese verbose name.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.deletion import CASCADE, PROTECT
from django.utils.translation import gettext as _

from grids.models import Area, AreaShape, BuildingCount, BuildingGroupCount, CommunityCount, CommunityGroupCount

# Only what stops a deletion holds a place: PROTECT refuses it, CASCADE would silently take rows
# (door plates, routing rules, a scenario's list of communities) with it. SET_NULL lets go.
HOLDING = (PROTECT, CASCADE)
# Counts of what a place holds (grids.rollup) and where it is: not holders, they go with it.
DERIVED = (BuildingCount, BuildingGroupCount, CommunityCount, CommunityGroupCount, AreaShape)


def _relations():
    """(label, model, field names) for every model that may point at an area, grouped by model."""
    m2m = [rel for rel in Area._meta.related_objects if rel.many_to_many]
    throughs = {rel.through for rel in m2m}
    grouped: dict[type, list[str]] = {}
    for rel in Area._meta.related_objects:
        if rel.many_to_many or rel.related_model in {*throughs, *DERIVED} or rel.on_delete not in HOLDING:
            continue
        grouped.setdefault(rel.related_model, []).append(rel.field.name)
    found = []
    for model, names in grouped.items():
        label = _("下级区域") if model is Area else str(model._meta.verbose_name)
        found.append((label, model, names))
    for rel in m2m:
        # An organisation's covered areas, a scenario's communities: counted on the link table.
        link = next(f.name for f in rel.through._meta.fields if f.related_model is Area)
        owner = rel.related_model._meta.verbose_name
        found.append((f"{owner}({rel.field.verbose_name})", rel.through, [link]))
    return found


def holders(area: Area) -> list[tuple[str, int]]:
    """What still points at the place, as (Chinese name, how many), in a stable order."""
    held = []
    for label, model, names in _relations():
        q = Q()
        for name in names:
            q |= Q(**{name: area})
        # The base manager: every row counts, whoever's scope it is in (only the count is shown).
        count = model._base_manager.filter(q).count()
        if count:
            held.append((label, count))
    return sorted(held)


def describe(held: list[tuple[str, int]]) -> str:
    return "、".join(f"{label} {count}" for label, count in held)


def refuse_if_held(area: Area) -> None:
    held = holders(area)
    if held:
        raise ValidationError(
            _("该区域仍有%(holders)s,不能删除;可合并到相邻区域") % {"holders": describe(held)},
            code="holds_something",
        )
