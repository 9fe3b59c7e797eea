"""What a user may see and do: the `Scope` value, computed once per request.

The ground floor only holds the value and asks for it; the app where posts live (orgs) computes
it and registers itself as the provider when the apps load (`set_provider`), so places, cases
and funding can ask for an actor's scope without importing the structure that decides it.

An object outside the scope is reported exactly like one that does not exist (404).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

# The capacity recorded for a superuser acting on a page or in admin, and for the system's own work.
ADMIN = "admin"
SYSTEM_CAPACITY = "system"


class System:
    """The actor of work nobody in particular does: the deadline sweep, the demo loader, commands."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"

    def has_perm(self, perm: str) -> bool:
        return True


SYSTEM = System()


@dataclass(frozen=True)
class Scope:
    unrestricted: bool = False
    # The topmost areas of the user's posts; nested ones are dropped as already covered. Each has
    # the tree fields of an Area (tree_id, lft, rght); the ground floor needs nothing else of it.
    areas: tuple[Any, ...] = ()
    department_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = frozenset()
    # What the user's posts allow (core.capabilities), the union over all of them.
    capabilities: frozenset[str] = frozenset()
    # Active posts, each with .role, .area (or None) and .department_id; and per role what it allows.
    posts: tuple[Any, ...] = field(default=(), repr=False)
    role_capabilities: Mapping[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    user: object = field(default=None, repr=False, compare=False)

    def may(self, capability: str) -> bool:
        return self.unrestricted or capability in self.capabilities

    def require(self, capability: str) -> None:
        """For a service: refuse an actor whose posts do not allow this at all."""
        if not self.may(capability):
            raise PermissionDenied(_("您的岗位不能办理这一步"))

    def capacity(self, capability: str, *, at: Any = None, department_id: int | None = None) -> str | None:
        """The role in which the user may do `capability` at area `at` (a post at or above it) or for
        `department_id` (a post in that department); "admin" for a superuser; None if no post allows it."""
        if self.unrestricted:
            return SYSTEM_CAPACITY if self.user is SYSTEM else ADMIN
        for post in self.posts:
            if capability not in self.role_capabilities.get(post.role, ()):
                continue
            if at is not None and post.area_id and covers_area(post.area, at):
                return post.role
            if department_id is not None and post.department_id == department_id:
                return post.role
        return None

    @property
    def can_view_sensitive(self) -> bool:
        # Asked only where something sensitive could be shown: it costs two queries, once per request.
        return self.user is not None and self.user.has_perm("grids.view_sensitive")

    @property
    def has_areas(self) -> bool:
        return self.unrestricted or bool(self.areas)

    @property
    def tree_ids(self) -> frozenset[int]:
        return frozenset(area.tree_id for area in self.areas)

    def covers(self, area: Any) -> bool:
        """The area lies in the scope (the caller has it in hand, so no query)."""
        return self.unrestricted or any(covers_area(top, area) for top in self.areas)

    def area_q(self, prefix: str = "") -> Q:
        """Rows whose area (reached through `prefix`, e.g. "building__") lies in the scope."""
        if self.unrestricted:
            return Q()
        if not self.areas:
            return Q(pk__in=[])
        q = Q()
        for area in self.areas:
            q |= Q(
                **{
                    f"{prefix}tree_id": area.tree_id,
                    f"{prefix}lft__gte": area.lft,
                    f"{prefix}lft__lte": area.rght,
                }
            )
        return q

    def area_or_above_q(self, prefix: str = "") -> Q:
        """Rows whose area lies in the scope or above one of its places: what a place's staff read
        of the street or district they are in (its alliance, its property assessment), while
        writing there stays the street's."""
        if self.unrestricted:
            return Q()
        q = self.area_q(prefix)
        for area in self.areas:
            q |= Q(
                **{
                    f"{prefix}tree_id": area.tree_id,
                    f"{prefix}lft__lte": area.lft,
                    f"{prefix}rght__gte": area.rght,
                }
            )
        return q


def covers_area(top: Any, area: Any) -> bool:
    """`area` is `top` or lies under it (nested sets: no query)."""
    return top.tree_id == area.tree_id and top.lft <= area.lft <= top.rght


SYSTEM_SCOPE = Scope(unrestricted=True, user=SYSTEM)
NOBODY = Scope()

_provider: Callable[[Any], Scope] | None = None
_CACHE_ATTR = "_gridgov_scope"


def set_provider(provider: Callable[[Any], Scope]) -> None:
    """Called once by the app that computes scopes from posts, when the apps are ready."""
    global _provider
    _provider = provider


def scope_for(user) -> Scope:
    """The user's scope, computed once and kept on the user object for the rest of the request."""
    if user is SYSTEM:
        return SYSTEM_SCOPE
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if _provider is None:
        raise RuntimeError("no scope provider registered: is the app that computes scopes installed?")
    scope = _provider(user)
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget(user) -> None:
    """Drop the cached scope after the user's posts change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def area_scope_or_404(scope: Scope) -> Scope:
    """The scope of someone who works with places (not, say, a department officer), or a 404."""
    if not scope.has_areas:
        raise Http404
    return scope
