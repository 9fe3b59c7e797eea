"""The grid meeting's page (who came, the minutes, each decision and what it raised) and the
meetings due (例会到期). Thin: scope → selector → template."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.scope import area_scope_or_404
from gridwork import selectors
from gridwork.backoffice import MEETINGS


@login_required
def meeting_detail(request, pk: int):
    scope = area_scope_or_404(request.scope)
    meeting = selectors.get_meeting(scope, pk)
    return render(
        request, "gridwork/meeting_detail.html", {"meeting": meeting, "links": MEETINGS.links(scope, meeting)}
    )


@login_required
def meetings_due(request):
    """例会到期: the caller's grids (and communities) a meeting rule says are due one, most overdue first."""
    rows = selectors.due(area_scope_or_404(request.scope))
    return render(request, "gridwork/due.html", {"rows": rows})
