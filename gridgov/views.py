from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from gridgov.scope import scope_for
from grids import selectors
from orgs.models import Department, Role

FIELD_ROLES = {Role.GRID_WORKER, Role.GRID_WORKER_PART_TIME, Role.SUNK_STAFF, Role.BUILDING_HEAD, Role.UNIT_HEAD}


@login_required
def home(request):
    """One page, arranged for the user's posts: a grid worker sees their grids first."""
    scope = scope_for(request.user)
    context = {"scope": scope, "posts": scope.posts, "field_worker": bool(scope.roles & FIELD_ROLES)}
    if context["field_worker"]:
        context["grids"] = selectors.grids_of(scope)
    elif scope.has_areas:
        context["roots"] = selectors.tree_roots(scope)
    if scope.department_ids:
        context["departments"] = Department.objects.filter(pk__in=scope.department_ids).select_related("jurisdiction")
    return render(request, "home.html", context)
