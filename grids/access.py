"""Who may write places and people: the checks every grids (and orgs) service starts with.

Each returns the capacity the actor acts in, for the audit entry, or raises PermissionDenied;
pages turn that into the same 404 an object outside the scope gets.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.capabilities import Capability
from core.scope import ADMIN, SYSTEM, SYSTEM_CAPACITY, Scope, scope_for


def may_edit_people(scope: Scope, building) -> bool:
    """For a page deciding whether to offer the edit form; the service asks again."""
    return scope.capacity(Capability.EDIT_PEOPLE, at=building) is not None


def require_people_editor(actor, building) -> str:
    """Household cards and residents are kept by a post allowed to edit people at or above the building."""
    capacity = scope_for(actor).capacity(Capability.EDIT_PEOPLE, at=building)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能维护这里的住户和居民"))
    return capacity


def require_unrestricted(actor) -> str:
    """Structure (areas, posts, organisations, members, points) has no page of its own yet, so only a
    superuser (Django admin) or the system (demo loader, commands, test data) writes it. The
    back-office issue widens this along the organisation chain."""
    if not scope_for(actor).unrestricted:
        raise PermissionDenied(_("只有系统管理员可以维护组织结构"))
    return SYSTEM_CAPACITY if actor is SYSTEM else ADMIN
