"""Who may write places and people: the checks every grids (and orgs) service starts with.

Each returns the capacity the actor acts in, for the audit entry, or raises PermissionDenied;
pages turn that into the same 404 an object outside the scope gets.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.capabilities import Capability
from core.scope import ADMIN, SYSTEM, SYSTEM_CAPACITY, Scope, scope_for
from grids.models import AreaKind


def may_edit_people(scope: Scope, building) -> bool:
    """For a page deciding whether to offer the edit form; the service asks again."""
    return scope.capacity(Capability.EDIT_PEOPLE, at=building) is not None


def require_people_editor(actor, building) -> str:
    """Household cards and residents are kept by a post allowed to edit people at or above the building."""
    capacity = scope_for(actor).capacity(Capability.EDIT_PEOPLE, at=building)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能维护这里的住户和居民"))
    return capacity


# Which capability keeps which kind of place (see orgs.capabilities for the roles).
PLACE_KEEPING = {
    AreaKind.GRID: Capability.KEEP_GRIDS,
    AreaKind.COMPOUND: Capability.KEEP_GRIDS,
    AreaKind.BUILDING: Capability.KEEP_GRIDS,
    AreaKind.STREET: Capability.KEEP_STREETS,
    AreaKind.TOWN: Capability.KEEP_STREETS,
    AreaKind.COMMUNITY: Capability.KEEP_STREETS,
}


def may_keep_place(scope: Scope, kind: str, at) -> bool:
    """For a page deciding whether to offer the form; the service asks again."""
    return kind in PLACE_KEEPING and scope.capacity(PLACE_KEEPING[kind], at=at) is not None


def require_place_keeper(actor, kind: str, at) -> str:
    """A grid, compound or building is kept by a post allowed to at `at` (its parent when it is
    new, itself after); streets, towns and communities by the district's; districts by the admin."""
    if kind not in PLACE_KEEPING:
        return require_unrestricted(actor)
    capacity = scope_for(actor).capacity(PLACE_KEEPING[kind], at=at)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能维护这一级区域"))
    return capacity


def require_unrestricted(actor) -> str:
    """What no post keeps (districts, departments, key groups, a whole subtree at once): only a
    superuser (Django admin) or the system (demo loader, commands, test data) writes it."""
    if not scope_for(actor).unrestricted:
        raise PermissionDenied(_("只有系统管理员可以维护组织结构"))
    return SYSTEM_CAPACITY if actor is SYSTEM else ADMIN
