"""What a user may see, computed once per request from their active posts.

Every selector filters through a Scope; an object outside it is reported exactly like one
that does not exist (404).
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404

from grids.models import Area
from orgs.models import Post, Role


@dataclass(frozen=True)
class Scope:
    unrestricted: bool = False
    # The topmost areas of the user's posts; nested ones are dropped as already covered.
    areas: tuple[Area, ...] = ()
    department_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = frozenset()
    posts: tuple[Post, ...] = field(default=(), repr=False)
    user: object = field(default=None, repr=False, compare=False)

    @property
    def can_view_sensitive(self) -> bool:
        # Asked only where something sensitive could be shown: it costs two queries, once per request.
        return self.user is not None and self.user.has_perm("grids.view_sensitive")

    @property
    def can_edit_people(self) -> bool:
        """Keeping household cards and residents current is grid and community work (seed 002, 004)."""
        return self.unrestricted or bool(self.roles & EDITOR_ROLES)

    @property
    def can_manage_community(self) -> bool:
        """Recording needs, claims and meetings is the community's and the street's work."""
        return self.unrestricted or bool(self.roles & MANAGER_ROLES)

    @property
    def can_run_budgets(self) -> bool:
        """Budget runs and new-unit costs are the finance office's work."""
        return self.unrestricted or Role.FINANCE_OFFICER in self.roles

    @property
    def can_plan(self) -> bool:
        """Re-division what-ifs: the finance office and street staff."""
        return self.can_run_budgets or Role.STREET_STAFF in self.roles

    @property
    def has_areas(self) -> bool:
        return self.unrestricted or bool(self.areas)

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


EDITOR_ROLES = frozenset(
    {
        Role.GRID_WORKER,
        Role.GRID_WORKER_PART_TIME,
        Role.GRID_GROUP_LEADER,
        Role.GRID_CHIEF,
        Role.COMMUNITY_STAFF,
        Role.COMMITTEE_MEMBER,
    }
)

MANAGER_ROLES = frozenset({Role.GRID_CHIEF, Role.COMMUNITY_STAFF, Role.COMMITTEE_MEMBER, Role.STREET_STAFF})

_CACHE_ATTR = "_gridgov_scope"


def area_scope_or_404(user) -> Scope:
    """The scope of someone who works with places (not, say, a department officer), or a 404."""
    scope = scope_for(user)
    if not scope.has_areas:
        raise Http404
    return scope


def scope_for(user) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _compute(user)
    setattr(user, _CACHE_ATTR, scope)
    return scope


def _compute(user) -> Scope:
    if user.is_superuser:
        return Scope(unrestricted=True, user=user)
    posts = tuple(Post.objects.active().filter(user=user).select_related("area", "department"))
    areas = sorted((p.area for p in posts if p.area_id), key=lambda a: (a.tree_id, a.lft))
    topmost: list[Area] = []
    for area in areas:
        last = topmost[-1] if topmost else None
        if last and last.tree_id == area.tree_id and last.lft <= area.lft <= last.rght:
            continue
        topmost.append(area)
    return Scope(
        areas=tuple(topmost),
        department_ids=frozenset(p.department_id for p in posts if p.department_id),
        roles=frozenset(Role(p.role) for p in posts),
        posts=posts,
        user=user,
    )
