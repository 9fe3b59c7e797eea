"""A user's scope, computed from their active posts: registered with the ground floor as its provider."""

from core.scope import Scope
from orgs.capabilities import OF_ROLE
from orgs.models import Post, Role


def compute(user) -> Scope:
    if user.is_superuser:
        return Scope(unrestricted=True, user=user)
    posts = tuple(
        Post.objects.unscoped("a user's own posts decide their scope")
        .active()
        .filter(user=user)
        .select_related("area", "department")
    )
    areas = sorted((p.area for p in posts if p.area_id), key=lambda a: (a.tree_id, a.lft))
    topmost = []
    for area in areas:
        last = topmost[-1] if topmost else None
        if last and last.tree_id == area.tree_id and last.lft <= area.lft <= last.rght:
            continue
        topmost.append(area)
    roles = frozenset(Role(p.role) for p in posts)
    return Scope(
        areas=tuple(topmost),
        department_ids=frozenset(p.department_id for p in posts if p.department_id),
        roles=roles,
        capabilities=frozenset().union(*(OF_ROLE[role] for role in roles)),
        posts=posts,
        role_capabilities=OF_ROLE,
        user=user,
    )
