"""Every write to places and people. Pages, admin, commands and tasks call these, nothing else."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.blind_index import blind_index
from core.capabilities import Capability
from core.identity import normalize_phone, parse_citizen_id
from core.models import Result
from core.scope import scope_for
from core.scoping import full_clean
from grids.access import require_people_editor, require_place_keeper, require_unrestricted
from grids.holders import refuse_if_held
from grids.models import (
    PARENT_KINDS,
    ROOT_KINDS,
    Area,
    AreaKind,
    City,
    Household,
    HouseholdTag,
    KeyGroup,
    Relation,
    Resident,
    ResidentTag,
    SensitiveAccess,
)
from grids.rollup import buildings_of_group, communities_of, recount_buildings, recount_communities, recount_under

MPTT_FIELDS = ["lft", "rght", "tree_id", "level"]


def _check_parent(kind: str, parent: Area | None) -> None:
    if kind in ROOT_KINDS:
        if parent is not None:
            raise ValidationError(_("区、县、县级市是顶级区域,不能有上级"), code="root_with_parent")
        return
    if parent is None or parent.kind not in PARENT_KINDS[kind]:
        allowed = "、".join(str(AreaKind(k).label) for k in PARENT_KINDS[kind])
        raise ValidationError(
            _("%(kind)s的上级必须是%(allowed)s"),
            code="bad_parent",
            params={"kind": AreaKind(kind).label, "allowed": allowed},
        )


def _lock_tree(tree_id: int) -> None:
    # django-mptt shifts lft/rght across the whole tree on insert and move; one writer per
    # district tree at a time keeps it valid. (SQLite serialises writers already.)
    Area.objects.unscoped("a lock on the district's root, read for nothing else").select_for_update().filter(
        tree_id=tree_id, parent__isnull=True
    ).values_list("pk").first()


@transaction.atomic
def create_area(
    *,
    actor,
    kind: str,
    name: str,
    code: str,
    parent: Area | None = None,
    city: City | None = None,
    declared_households: int | None = None,
    address: str = "",
    units: int | None = None,
    floors: int | None = None,
) -> Area:
    """Grids, compounds and buildings by the community's staff, streets and communities by the
    district's, districts by the admin (grids.access.require_place_keeper)."""
    _check_parent(kind, parent)
    capacity = require_place_keeper(actor, kind, parent)
    if kind in ROOT_KINDS:
        if city is None:
            raise ValidationError(_("区、县、县级市必须指定所属城市"), code="root_without_city")
        City.objects.select_for_update().filter(pk=city.pk).first()  # one new tree_id at a time
    else:
        _lock_tree(parent.tree_id)
        parent.refresh_from_db()
    area = Area(
        kind=kind,
        name=name,
        code=code,
        parent=parent,
        city=city if kind in ROOT_KINDS else None,
        declared_households=declared_households if kind == AreaKind.COMMUNITY else None,
        address=address,
        units=units if kind == AreaKind.BUILDING else None,
        floors=floors if kind == AreaKind.BUILDING else None,
    )
    full_clean(area, exclude=MPTT_FIELDS)
    area.save()
    written = ["kind", "name", "code", "parent", "city", "declared_households", "address", "units", "floors"]
    fields = [name for name in written if getattr(area, name) not in (None, "")]
    audit.record(actor=actor, action="grids.create_area", target=area, fields=fields, capacity=capacity)
    return area


@transaction.atomic
def update_area(
    *,
    actor,
    area: Area,
    name: str,
    address: str = "",
    declared_households: int | None = None,
    units: int | None = None,
    floors: int | None = None,
) -> Area:
    """Changes what an area is called and declares; never its place in the tree (see move_area).
    Who may: as create_area, at the area itself. A building's units and floors are kept as they
    are unless given."""
    capacity = require_place_keeper(actor, area.kind, area)
    area.name = name
    area.address = address
    if area.kind == AreaKind.COMMUNITY:
        area.declared_households = declared_households
    fields = ["name", "address", "declared_households"]
    if area.kind == AreaKind.BUILDING:
        for field, value in (("units", units), ("floors", floors)):
            if value is not None:
                setattr(area, field, value)
                fields.append(field)
    full_clean(area, exclude=MPTT_FIELDS)
    Area.objects.reread(area).update(**{field: getattr(area, field) for field in fields})
    audit.record(actor=actor, action="grids.update_area", target=area, fields=fields, capacity=capacity)
    return area


@transaction.atomic
def move_area(*, actor, area: Area, new_parent: Area) -> Area:
    """Re-hang a street, community, grid or building under another parent of the right kind
    (redraw): the actor must keep the area where it is and where it goes."""
    capacity = require_place_keeper(actor, area.kind, area)
    _check_parent(area.kind, new_parent)
    require_place_keeper(actor, area.kind, new_parent)
    if new_parent.tree_id != area.tree_id:
        raise ValidationError(_("不能跨区县移动区域"), code="cross_tree_move")
    _lock_tree(area.tree_id)
    area.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.is_descendant_of(area, include_self=True):
        raise ValidationError(_("不能移动到自身的下级"), code="cycle")
    left = communities_of([area.pk])
    area.move_to(new_parent, "last-child")
    # A grid or a building taken to another community takes its counts from one sum to the other.
    recount_communities([*left, *communities_of([area.pk])])
    audit.record(actor=actor, action="grids.move_area", target=area, fields=["parent"], capacity=capacity)
    return area


@transaction.atomic
def recount_areas(*, actor, area: Area | None = None) -> int:
    """Count the tree's figures again for every building under `area`, or everywhere: for operators,
    after rows were written past the services (a restore, a repair by hand). Returns the buildings."""
    capacity = require_unrestricted(actor)
    counted = recount_under(area)
    fields = [f"buildings={counted}"]
    audit.record(actor=actor, action="grids.recount_areas", target=area, fields=fields, capacity=capacity)
    return counted


HOLDS_SOMETHING_MESSAGE = gettext_lazy("该区域下仍有下级区域、住户、岗位或其他记录,不能删除")


@transaction.atomic
def remove_area(*, actor, area: Area) -> None:
    """Only an empty place goes: one that still holds anything (a child, a household, a post, a
    case, a door plate …), whatever room the holder lives in, is refused with the holders named
    (grids.holders); such a place can be merged into a neighbour instead (grids.merging)."""
    capacity = require_place_keeper(actor, area.kind, area)
    _lock_tree(area.tree_id)
    area.refresh_from_db()
    refuse_if_held(area)
    audit.record(actor=actor, action="grids.remove_area", target=area, fields=["kind", "name"], capacity=capacity)
    try:
        with transaction.atomic():
            area.delete()
    except ProtectedError:  # a holder that appeared since the count
        raise ValidationError(HOLDS_SOMETHING_MESSAGE, code="holds_something") from None


def _preorder_parents(nodes: list[Area]) -> None:
    """build_tree_nodes returns nodes in pre-order without parents; the last node one level up is the parent."""
    last_at_level: dict[int, Area] = {}
    for node in nodes:
        if node.level > nodes[0].level:
            node.parent = last_at_level[node.level - 1]
        last_at_level[node.level] = node


@transaction.atomic
def bulk_create_subtree(
    *, actor, data: dict[str, Any], parent: Area | None = None, city: City | None = None
) -> list[Area]:
    """Insert a nested dict of areas in one pass: lft/rght computed up front, one INSERT per level.

    django-mptt's build_tree_nodes plus bulk_create; rebuild() was 16x slower when measured.
    `data` is {"kind", "name", "code", ..., "children": [...]}. One audit entry for the whole
    subtree, on its top node. Structure: see grids.access.require_unrestricted for who may, for now.
    """
    capacity = require_unrestricted(actor)
    fields: set[str] = set()

    def check(node: dict[str, Any], node_parent_kind: str | None) -> None:
        kind = node["kind"]
        fields.update(name for name in node if name != "children")
        if node_parent_kind is None:
            _check_parent(kind, parent)
        elif node_parent_kind not in PARENT_KINDS.get(kind, ()):
            _check_parent(kind, Area(kind=node_parent_kind))
        for child in node.get("children", ()):
            check(child, kind)

    check(data, None)
    if parent is None:
        if city is None:
            raise ValidationError(_("区、县、县级市必须指定所属城市"), code="root_without_city")
        City.objects.select_for_update().filter(pk=city.pk).first()
        data = {**data, "city": city}
    else:
        _lock_tree(parent.tree_id)
        parent.refresh_from_db()
    nodes = Area.tree.build_tree_nodes(data, target=parent)
    if parent is not None:
        nodes[0].parent = parent
    _preorder_parents(nodes)
    by_level: dict[int, list[Area]] = {}
    for node in nodes:
        by_level.setdefault(node.level, []).append(node)
    for level in sorted(by_level):
        Area.objects.bulk_create(by_level[level])
    fields.update(["parent"] if parent is not None else ["city"])
    audit.record(actor=actor, action="grids.bulk_create_subtree", target=nodes[0], fields=fields, capacity=capacity)
    return nodes


CARD_FIELDS = frozenset(
    {"unit", "floor", "room", "occupancy", "family_situation", "facilities", "hazards", "conflicts", "last_visited"}
)


@transaction.atomic
def register_household(*, actor, building: Area, floor: int, room: str, **card: Any) -> Household:
    capacity = require_people_editor(actor, building)
    household = Household(building=building, floor=floor, room=room)
    _save_card(household, card)
    recount_buildings([building.pk])
    fields = ["building", "floor", "room", *card]
    audit.record(actor=actor, action="grids.register_household", target=household, fields=fields, capacity=capacity)
    return household


@transaction.atomic
def update_household_card(*, actor, household: Household, **changes: Any) -> Household:
    """Update the 四清 card (and the address within the building) after a visit."""
    capacity = require_people_editor(actor, household.building)
    _save_card(household, changes)
    if "occupancy" in changes:
        recount_buildings([household.building_id])  # the workbench counts households by occupancy
    audit.record(actor=actor, action="grids.update_household_card", target=household, fields=changes, capacity=capacity)
    return household


def _save_card(household: Household, changes: dict[str, Any]) -> Household:
    unknown = set(changes) - CARD_FIELDS
    if unknown:
        raise TypeError(f"not household card fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(household, name, value)
    full_clean(household)
    household.save()
    return household


def _identity_fields(citizen_id: str, phone: str) -> dict[str, Any]:
    errors = {}
    try:
        parsed = parse_citizen_id(citizen_id)
    except ValidationError as exc:
        errors["citizen_id"] = exc.messages
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return {
        "citizen_id": parsed.number,
        "citizen_id_hash": blind_index(parsed.number),
        "phone": phone,
        "phone_hash": blind_index(phone) if phone else "",
    }


RESIDENT_FIELDS = ["household", "name", "citizen_id", "phone", "residence_status", "relation"]


def build_resident(
    *,
    actor,
    household: Household,
    name: str,
    citizen_id: str,
    residence_status: str,
    relation: str,
    phone: str = "",
) -> Resident:
    """A validated, unsaved Resident, once the actor may register people at the household.

    It writes nothing, so it records nothing: register_resident saves one and records it, and a bulk
    loader that saves many records one entry for the lot (action "grids.register_residents").
    """
    require_people_editor(actor, household.building)
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("姓名不能为空")]})
    resident = Resident(
        household=household,
        name=name,
        residence_status=residence_status,
        relation=relation,
        **_identity_fields(citizen_id, phone),
    )
    check_one_head(resident)
    full_clean(resident, exclude=["citizen_id_hash"])
    return resident


SECOND_HEAD_MESSAGE = gettext_lazy("该户已有户主,请通过“变更户主”更换")


def check_one_head(resident: Resident) -> None:
    """A 户主 joins a household only where nobody living there is one (the constraint's own words
    would name no field)."""
    if resident.relation != Relation.HEAD or resident.ended_on is not None:
        return
    heads = (
        Resident.objects.unscoped("the resident's own household")
        .living()
        .filter(household_id=resident.household_id, relation=Relation.HEAD)
    )
    if heads.exclude(pk=resident.pk).exists():
        raise ValidationError({"relation": [SECOND_HEAD_MESSAGE]}, code="second_head")


# Says nothing of where the person is registered: that may be outside the caller's scope.
DUPLICATE_ID_MESSAGE = gettext_lazy("该身份证号已登记,请勿重复录入")


@transaction.atomic
def register_resident(*, actor, **kwargs: Any) -> Resident:
    resident = build_resident(actor=actor, **kwargs)
    _save_unique_id(resident)
    recount_buildings([resident.household.building_id])
    capacity = require_people_editor(actor, resident.household.building)
    fields = [name for name in RESIDENT_FIELDS if getattr(resident, name, None) not in (None, "")]
    audit.record(actor=actor, action="grids.register_resident", target=resident, fields=fields, capacity=capacity)
    return resident


def _save_unique_id(resident: Resident, **save_kwargs: Any) -> None:
    try:
        with transaction.atomic():
            resident.save(**save_kwargs)
    except IntegrityError:
        taken = Resident.objects.unscoped("says only that the ID is taken, never where").filter(
            citizen_id_hash=resident.citizen_id_hash
        )
        if taken.exclude(pk=resident.pk).exists():
            raise ValidationError({"citizen_id": [DUPLICATE_ID_MESSAGE]}) from None
        check_one_head(resident)  # a 户主 registered at the same moment by someone else
        raise


@transaction.atomic
def update_resident(
    *, actor, resident: Resident, name: str, phone: str, residence_status: str, relation: str
) -> Resident:
    """Everything but the ID number, which only correct_citizen_id changes."""
    capacity = require_people_editor(actor, resident.household.building)
    if resident.relation == Relation.HEAD and relation != Relation.HEAD and resident.ended_on is None:
        raise ValidationError({"relation": [_("户主请通过“变更户主”更换")]}, code="head_needs_successor")
    phone = normalize_phone(phone)
    resident.name = name.strip()
    resident.phone = phone
    resident.phone_hash = blind_index(phone) if phone else ""
    resident.residence_status = residence_status
    resident.relation = relation
    check_one_head(resident)
    full_clean(resident, exclude=["citizen_id", "citizen_id_hash"])
    fields = ["name", "phone", "residence_status", "relation"]
    resident.save(update_fields=[*fields, "phone_hash"])
    audit.record(actor=actor, action="grids.update_resident", target=resident, fields=fields, capacity=capacity)
    return resident


@transaction.atomic
def correct_citizen_id(*, actor, resident: Resident, citizen_id: str) -> Resident:
    """Fix a mistyped ID number: birth date and sex follow it, being read from it."""
    capacity = require_people_editor(actor, resident.household.building)
    parsed = parse_citizen_id(citizen_id)
    resident.citizen_id = parsed.number
    resident.citizen_id_hash = blind_index(parsed.number)
    _save_unique_id(resident, update_fields=["citizen_id", "citizen_id_hash"])
    audit.record(
        actor=actor, action="grids.correct_citizen_id", target=resident, fields=["citizen_id"], capacity=capacity
    )
    return resident


@transaction.atomic
def tag_resident(
    *,
    actor,
    resident: Resident,
    group: KeyGroup,
    since: datetime.date,
    until: datetime.date | None = None,
    legal_basis: str = "",
    note: str = "",
) -> ResidentTag:
    capacity = require_people_editor(actor, resident.household.building)
    _check_sensitive(actor, group)
    tag = ResidentTag(resident=resident, group=group, since=since, until=until, legal_basis=legal_basis, note=note)
    full_clean(tag)
    tag.save()
    recount_buildings([resident.household.building_id])
    audit.record(actor=actor, action="grids.tag_resident", target=tag, fields=_tag_fields(tag), capacity=capacity)
    return tag


def _check_sensitive(actor, group: KeyGroup) -> None:
    # A sensitive group is shown only in a logged reveal, so only who may reveal may set it.
    if group.sensitive and not actor.has_perm("grids.view_sensitive"):
        raise ValidationError({"group": [_("标记敏感人群需要查看敏感信息的权限")]}, code="sensitive_group")


def _tag_fields(tag) -> list[str]:
    return [name for name in ("group", "since", "until", "legal_basis", "note") if getattr(tag, name) not in (None, "")]


@transaction.atomic
def tag_household(
    *,
    actor,
    household: Household,
    group: KeyGroup,
    since: datetime.date,
    until: datetime.date | None = None,
    legal_basis: str = "",
    note: str = "",
) -> HouseholdTag:
    capacity = require_people_editor(actor, household.building)
    _check_sensitive(actor, group)
    tag = HouseholdTag(household=household, group=group, since=since, until=until, legal_basis=legal_basis, note=note)
    full_clean(tag)
    tag.save()
    audit.record(actor=actor, action="grids.tag_household", target=tag, fields=_tag_fields(tag), capacity=capacity)
    return tag


KEY_GROUP_FIELDS = ["code", "name", "applies_to", "sensitive", "default_legal_basis", "order"]


def save_key_group(*, actor, group: KeyGroup) -> KeyGroup:
    """Add or change a key group. The `sensitive` flag decides whether a group's members show on
    every list and home page or only behind a logged reveal, so its direction is the action's name
    (grids.mark_key_group_sensitive: off → on; grids.unmark_key_group_sensitive: on → off).

    A refusal is recorded too; it stays recorded unless the caller's own transaction rolls back."""
    before = KeyGroup.objects.filter(pk=group.pk).values(*KEY_GROUP_FIELDS).first() if group.pk else None
    changed = [name for name in KEY_GROUP_FIELDS if before is None or before[name] != getattr(group, name)]
    if before is None:
        action = "grids.create_key_group"
    elif "sensitive" in changed:
        action = "grids.mark_key_group_sensitive" if group.sensitive else "grids.unmark_key_group_sensitive"
    else:
        action = "grids.update_key_group"
    try:
        capacity = require_unrestricted(actor)
    except PermissionDenied:
        audit.record(
            actor=actor, action=action, target=group if before else None, fields=changed, result=Result.REFUSED
        )
        raise
    with transaction.atomic():
        full_clean(group)
        group.save()
        if before is not None and "sensitive" in changed:
            recount_buildings(buildings_of_group(group))  # its residents enter or leave the counts
        audit.record(actor=actor, action=action, target=group, fields=changed, capacity=capacity)
    return group


@transaction.atomic
def record_sensitive_access(*, actor, residents: Iterable[Resident], reason: str) -> list[SensitiveAccess]:
    """Log that `actor` saw these residents unmasked; the caller shows them only after this returns.

    Needs the grids.view_sensitive permission and every resident inside the actor's scope.
    """
    residents = list(residents)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": [_("请写明查看事由(至少4个字)")]})
    if not actor.has_perm("grids.view_sensitive"):
        raise ValidationError(_("您没有查看敏感信息的权限"), code="forbidden")
    scope = scope_for(actor)
    if not all(scope.covers(resident.household.building) for resident in residents):
        raise PermissionDenied(_("不在您的辖区内"))
    accesses = SensitiveAccess.objects.bulk_create(
        [SensitiveAccess(user=actor, resident=resident, reason=reason) for resident in residents]
    )
    # The permission, not a post, allows this; a post there (if any) names the capacity.
    at = residents[0].household.building if residents else None
    capacity = (scope.capacity(Capability.EDIT_PEOPLE, at=at) if at is not None else None) or "grids.view_sensitive"
    audit.record(
        actor=actor,
        action="grids.reveal_resident",
        target=residents[0] if len(residents) == 1 else None,
        fields=["citizen_id", "phone", "tags"],
        capacity=capacity,
    )
    return accesses
