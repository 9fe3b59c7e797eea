"""The back office's pages for places, households and residents, declared with core.backoffice."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.backoffice import Action, Column, ObjectPages
from core.capabilities import Capability
from grids import forms, merging, moves, selectors, services
from grids.access import PLACE_KEEPING, may_edit_people, may_keep_place
from grids.filters import HouseholdFilter, PlaceFilter, ResidentFilter
from grids.models import PARENT_KINDS, Area, AreaKind, KeyGroup, Resident

KEPT_KINDS = [AreaKind.STREET, AreaKind.TOWN, AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.COMPOUND, AreaKind.BUILDING]
CODE_WIDTH = {AreaKind.GRID: 2, AreaKind.COMPOUND: 2, AreaKind.BUILDING: 3, AreaKind.COMMUNITY: 3}


# Places ----------------------------------------------------------------------------------------


def _keepable_kinds(scope) -> list[str]:
    return [k for k in KEPT_KINDS if scope.unrestricted or scope.may(PLACE_KEEPING[k])]


def _parents(scope):
    parent_kinds = sorted({p for k in _keepable_kinds(scope) for p in PARENT_KINDS[k]})
    return selectors.areas(scope).filter(kind__in=parent_kinds)


def _create_place(*, actor, obj, data) -> Area:
    parent = data["parent"]
    width = CODE_WIDTH.get(data["kind"], 3)
    return services.create_area(
        actor=actor,
        kind=data["kind"],
        name=data["name"],
        code=parent.code + data["code"].zfill(width),
        parent=parent,
        address=data["address"],
    )


def _remove_place(*, actor, obj, data) -> None:
    services.remove_area(actor=actor, area=obj)


def _merge_place(*, actor, obj, data) -> Area:
    return merging.merge_area(actor=actor, area=obj, into=data["into"]).into


def _may_merge(scope, obj) -> bool:
    return obj.kind in merging.MERGEABLE and may_keep_place(scope, obj.kind, obj)


def _neighbours(scope, obj):
    """Only neighbours the user keeps too: the same kind under the same parent, in their scope."""
    return selectors.areas(scope).filter(kind=obj.kind, parent_id=obj.parent_id).exclude(pk=obj.pk)


PLACES = ObjectPages(
    namespace="grids",
    name="place",
    prefix="places",
    title=_("区域维护"),
    rows=lambda scope: selectors.areas(scope).filter(kind__in=KEPT_KINDS).select_related("parent"),
    get=selectors.get_area,
    detail_route="grids:area",
    filterset=PlaceFilter,
    columns=[
        Column(_("名称"), lambda a: a.name),
        Column(_("类型"), lambda a: a.get_kind_display()),
        Column(_("编码"), lambda a: a.code),
        Column(_("上级"), lambda a: a.parent.name if a.parent else ""),
    ],
    create=Action(
        "new",
        _("新建区域"),
        forms.PlaceForm,
        perform=_create_place,
        allowed=lambda scope, obj: bool(_keepable_kinds(scope)),
        form_kwargs=lambda scope, obj: {"kinds": _keepable_kinds(scope), "parents": _parents(scope)},
        done=_("区域已建立"),
    ),
    actions=[
        Action(
            "edit",
            _("更名"),
            forms.PlaceEditForm,
            perform=lambda *, actor, obj, data: services.update_area(actor=actor, area=obj, **data),
            allowed=lambda scope, obj: may_keep_place(scope, obj.kind, obj),
            initial=lambda a: {"name": a.name, "address": a.address, "declared_households": a.declared_households},
        ),
        Action(
            "move",
            _("调整上级"),
            forms.PlaceMoveForm,
            perform=lambda *, actor, obj, data: services.move_area(
                actor=actor, area=obj, new_parent=data["new_parent"]
            ),
            allowed=lambda scope, obj: obj.kind in PARENT_KINDS and may_keep_place(scope, obj.kind, obj),
            form_kwargs=lambda scope, obj: {
                "parents": selectors.areas(scope).filter(kind__in=PARENT_KINDS[obj.kind], tree_id=obj.tree_id)
            },
            done=_("已调整上级"),
        ),
        Action(
            "remove",
            _("删除"),
            forms.ConfirmForm,
            perform=_remove_place,
            allowed=lambda scope, obj: may_keep_place(scope, obj.kind, obj),
            done=_("区域已删除"),
        ),
        Action(
            "merge",
            _("合并到…"),
            forms.PlaceMergeForm,
            perform=_merge_place,
            allowed=_may_merge,
            form_kwargs=lambda scope, obj: {"neighbours": _neighbours(scope, obj)},
            done=_("已合并"),
        ),
    ],
)


# Households ------------------------------------------------------------------------------------


def _living_count():
    living = (
        Resident.objects.filter(household=OuterRef("pk"), ended_on__isnull=True)
        .order_by()
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(living, output_field=IntegerField()), Value(0))


def _buildings(scope):
    return selectors.areas(scope).filter(kind=AreaKind.BUILDING)


def _move_in(*, actor, obj, data):
    moves.move_in(actor=actor, household=obj, **data)
    return obj


HOUSEHOLDS = ObjectPages(
    namespace="grids",
    name="household",
    prefix="households",
    title=_("住户"),
    rows=lambda scope: (
        selectors.households(scope)
        .select_related("building")
        .annotate(living=_living_count())
        .order_by("building__tree_id", "building__lft", "unit", "floor", "room")
    ),
    get=selectors.get_household,
    detail_route="grids:household",
    filterset=HouseholdFilter,
    columns=[
        Column(_("住户"), str),
        Column(_("楼层"), lambda h: h.floor),
        Column(_("居住状态"), lambda h: h.get_occupancy_display()),
        Column(_("在住人数"), lambda h: h.living),
    ],
    create=Action(
        "new",
        _("登记住户"),
        forms.HouseholdForm,
        perform=lambda *, actor, obj, data: services.register_household(actor=actor, **data),
        allowed=lambda scope, obj: scope.may(Capability.EDIT_PEOPLE),
        form_kwargs=lambda scope, obj: {"buildings": _buildings(scope)},
        done=_("住户已登记"),
    ),
    actions=[
        Action(
            "move_in",
            _("迁入"),
            forms.MoveInForm,
            perform=_move_in,
            allowed=lambda scope, obj: may_edit_people(scope, obj.building),
            done=_("已办理迁入"),
        ),
        Action(
            "head",
            _("变更户主"),
            forms.ChangeHeadForm,
            perform=lambda *, actor, obj, data: moves.change_head(actor=actor, household=obj, **data),
            allowed=lambda scope, obj: may_edit_people(scope, obj.building),
            form_kwargs=lambda scope, obj: {"living": obj.residents.living().exclude(relation="head")},
            done=_("户主已变更"),
        ),
    ],
)


# Residents -------------------------------------------------------------------------------------


def _edit_resident(*, actor, obj, data):
    phone = data["phone"] or obj.phone or ""
    return services.update_resident(actor=actor, resident=obj, **{**data, "phone": phone})


def _open_tags(scope, resident):
    tags = resident.tags.active().select_related("group")
    return tags if scope.can_view_sensitive else tags.filter(group__sensitive=False)


def _key_groups(scope):
    groups = KeyGroup.objects.filter(applies_to="resident")
    return groups if scope.can_view_sensitive else groups.filter(sensitive=False)


RESIDENTS = ObjectPages(
    namespace="grids",
    name="resident",
    prefix="residents",
    list_path="residents/list/",  # residents/ is the search
    title=_("居民"),
    rows=lambda scope: selectors.residents(scope).select_related("household__building").order_by("household_id", "id"),
    get=selectors.get_resident,
    detail_route="grids:resident",
    filterset=ResidentFilter,
    columns=[
        Column(_("姓名"), lambda r: r.name),
        Column(_("住户"), lambda r: str(r.household)),
        Column(_("与户主关系"), lambda r: r.get_relation_display()),
        Column(_("居住类型"), lambda r: r.get_residence_status_display()),
        Column(_("注销"), lambda r: f"{r.get_end_reason_display()} {r.ended_on}" if r.ended_on else ""),
    ],
    actions=[
        Action(
            "edit",
            _("修改"),
            forms.ResidentEditForm,
            perform=_edit_resident,
            allowed=lambda scope, obj: obj.ended_on is None and may_edit_people(scope, obj.household.building),
            initial=lambda r: {"name": r.name, "residence_status": r.residence_status, "relation": r.relation},
        ),
        Action(
            "end",
            _("迁出或注销"),
            forms.EndResidentForm,
            perform=lambda *, actor, obj, data: moves.end_resident(actor=actor, resident=obj, **data),
            allowed=lambda scope, obj: obj.ended_on is None and may_edit_people(scope, obj.household.building),
            form_kwargs=lambda scope, obj: {"housemates": obj.household.residents.living().exclude(pk=obj.pk)},
            done=_("已注销"),
        ),
        Action(
            "tag",
            _("标记重点人群"),
            forms.TagForm,
            perform=lambda *, actor, obj, data: services.tag_resident(actor=actor, resident=obj, **data).resident,
            allowed=lambda scope, obj: obj.ended_on is None and may_edit_people(scope, obj.household.building),
            form_kwargs=lambda scope, obj: {"groups": _key_groups(scope)},
            done=_("已标记"),
        ),
        Action(
            "untag",
            _("结束重点人群标记"),
            forms.EndTagForm,
            perform=lambda *, actor, obj, data: moves.end_resident_tag(actor=actor, **data).resident,
            allowed=lambda scope, obj: may_edit_people(scope, obj.household.building),
            form_kwargs=lambda scope, obj: {"tags": _open_tags(scope, obj)},
            done=_("标记已结束"),
        ),
    ],
)

PAGES = [PLACES, HOUSEHOLDS, RESIDENTS]
