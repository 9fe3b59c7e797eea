from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.capabilities import Capability
from core.passwords import note_password_changed
from core.sessions import end_sessions
from gridgov import workbench
from grids import selectors
from grids.models import Occupancy
from orgs import selectors as org_selectors


@login_required
def home(request):
    """The workbench: the to-dos of the user's posts, a panel each, then their places."""
    scope = request.scope
    context = {
        "scope": scope,
        "panels": workbench.panels(scope, request.user),
        "posts": scope.posts,
        # What the posts allow, not "may" (which a superuser passes): a superuser's home is the tree.
        "field_worker": Capability.FIELD_WORK in scope.capabilities,
    }
    if context["field_worker"]:
        context["grids"] = selectors.grids_of(scope)
    elif scope.has_areas:
        context["roots"] = selectors.tree_roots(scope)
    if scope.has_areas:
        context["key_groups"] = selectors.key_group_breakdown(scope)
        occupancy = selectors.occupancy_breakdown(scope)
        context["occupancy"] = [(label, occupancy.get(value, 0)) for value, label in Occupancy.choices]
        # Bars are scaled to the largest row of each panel.
        context["key_groups_max"] = max((row["count"] for row in context["key_groups"]), default=1)
        context["occupancy_max"] = max(max(occupancy.values(), default=0), 1)
    if scope.department_ids:
        context["departments"] = org_selectors.departments_of(scope)
    return render(request, "home.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page (it keeps this session valid); a changed password also ends every other one."""

    def form_valid(self, form):
        response = super().form_valid(form)
        note_password_changed(self.request.user)
        end_sessions(self.request.user, keep=self.request.session.session_key)
        return response
