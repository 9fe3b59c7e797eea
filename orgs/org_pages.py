"""The back office's pages for party organisations and their committees, declared with core.backoffice.

The detail page is the organisation's own (orgs:organization); these add the list, creating one
under the right parent kind, its name and term, the areas it covers and its committee. Who may
keep an organisation follows the org chain (orgs.services.org_keeper_capacity); who may appoint
its committee, the chain of posts (orgs.services.appointer_capacity).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.backoffice import Action, Column, ObjectPages
from core.capabilities import Capability
from grids import selectors as grid_selectors
from grids.models import AreaKind
from orgs import forms, selectors, services
from orgs.filters import OrganizationFilter
from orgs.models import ORGANIZATION_ROLES, Organization, Post

SEAT_KINDS = [AreaKind.STREET, AreaKind.TOWN, AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.COMPOUND, AreaKind.BUILDING]


def _rows(scope):
    return selectors.organizations(scope).select_related("area", "parent").order_by("tree_id", "lft")


def _kept_places(scope):
    """The areas the user may seat (or cover with) an organisation at: strictly below the place of
    a post that keeps party organisations."""
    found = grid_selectors.areas(scope).filter(kind__in=SEAT_KINDS).order_by("tree_id", "lft")
    if scope.unrestricted:
        return found
    below = Q(pk__in=[])
    for held in scope.posts:
        if held.area_id and Capability.KEEP_PARTY_ORGS in scope.role_capabilities.get(held.role, ()):
            area = held.area
            below |= Q(tree_id=area.tree_id, lft__gt=area.lft, lft__lt=area.rght)
    return found.filter(below)


def _may_keep(scope, organization: Organization) -> bool:
    return services.org_keeper_capacity(scope, organization.area) is not None


def _may_appoint(scope, organization: Organization) -> bool:
    return services.appointer_capacity(scope, organization.area) is not None


def _create(*, actor, obj, data) -> Organization:
    return services.create_organization(actor=actor, **data)


def _edit(*, actor, obj, data) -> Organization:
    return services.update_organization(actor=actor, organization=obj, **data)


def _cover(*, actor, obj, data) -> Organization:
    services.cover(actor=actor, organization=obj, areas=list(data["areas"]))
    return obj


def _appoint(*, actor, obj, data) -> Organization:
    user = data.pop("username")
    services.appoint(actor=actor, post=Post(user=user, organization=obj, **data))
    return obj


def _end_post(*, actor, obj, data) -> Organization:
    services.end_post(actor=actor, post=data["post"], end=data["end"])
    return obj


def _committee_posts(organization: Organization):
    # The organisation was read through the scope; its posts go with it.
    return organization.posts.active().filter(role__in=sorted(ORGANIZATION_ROLES)).order_by("role", "holder_name")


ORGANIZATIONS = ObjectPages(
    namespace="orgs",
    name="organization",
    prefix="orgs",
    list_path="orgs/list/",
    title=_("党组织维护"),
    rows=_rows,
    get=selectors.get_organization,
    detail_route="orgs:organization",
    filterset=OrganizationFilter,
    columns=[
        Column(_("名称"), lambda o: o.name),
        Column(_("类型"), lambda o: o.get_kind_display()),
        Column(_("所在区域"), lambda o: o.area.name),
        Column(_("上级党组织"), lambda o: o.parent.name if o.parent else ""),
        Column(_("本届任期止"), lambda o: o.term_end),
    ],
    create=Action(
        "new",
        _("新建党组织"),
        forms.OrganizationForm,
        perform=_create,
        allowed=lambda scope, obj: scope.may(Capability.KEEP_PARTY_ORGS),
        form_kwargs=lambda scope, obj: {"parents": _rows(scope), "areas": _kept_places(scope)},
        done=_("党组织已建立"),
    ),
    actions=[
        Action(
            "edit",
            _("修改名称与任期"),
            forms.OrganizationEditForm,
            perform=_edit,
            allowed=_may_keep,
            initial=lambda o: {"name": o.name, "term_start": o.term_start, "term_end": o.term_end},
        ),
        Action(
            "cover",
            _("包片覆盖"),
            forms.CoverForm,
            perform=_cover,
            allowed=_may_keep,
            form_kwargs=lambda scope, obj: {"areas": _kept_places(scope)},
            done=_("已添加覆盖区域"),
        ),
        Action(
            "appoint",
            _("任命班子成员"),
            forms.CommitteeAppointForm,
            perform=_appoint,
            allowed=_may_appoint,
            done=_("已任命"),
        ),
        Action(
            "end_post",
            _("班子成员离任"),
            forms.CommitteeEndForm,
            perform=_end_post,
            allowed=_may_appoint,
            form_kwargs=lambda scope, obj: {"posts": _committee_posts(obj)},
            done=_("已离任"),
        ),
    ],
)
