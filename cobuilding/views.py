"""Pages of co-building: units, the four lists of a community (with claiming and completing a
need), joint meetings. Each resolves the caller's scope, calls a selector or service, responds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cobuilding import selectors, services
from cobuilding.backoffice import MEETINGS, UNITS
from cobuilding.forms import ClaimForm, CompleteForm
from core.capabilities import Capability
from core.scope import Scope, area_scope_or_404
from grids import selectors as grid_selectors
from grids.models import AreaKind


def _community(scope: Scope, pk: int):
    area = grid_selectors.get_area(scope, pk)
    if area.kind != AreaKind.COMMUNITY:
        raise Http404
    return area


@login_required
def unit_detail(request, pk: int):
    scope = area_scope_or_404(request.scope)
    unit = selectors.get_unit(scope, pk)
    today = timezone.localdate()
    rules = selectors.points_rules()
    return render(
        request,
        "cobuilding/unit_detail.html",
        {
            "unit": unit,
            "standing": selectors.standing(unit.point_total, rules),
            "agreements": [(a, a.in_force(today)) for a in unit.agreements.all()],
            "links": UNITS.links(scope, unit),
            # Seed 001: under 60 points a unit neither lists nor books shared resources; say so here.
            "sharing_refusal": services.sharing_refusal(
                unit, total=unit.point_total, scored=bool(unit.points.all()), rules=rules
            ),
        },
    )


@login_required
def community_lists(request, pk: int):
    scope = area_scope_or_404(request.scope)
    community = _community(scope, pk)
    # Rendered once and repeated under each open need: one query however many needs are open.
    claim_select = ClaimForm(scope=scope, community=community, auto_id=False)["unit"].as_widget(
        attrs={"aria-label": _("认领单位")}
    )
    return render(
        request,
        "cobuilding/community_lists.html",
        {
            "community": community,
            **selectors.community_lists(scope, community),
            "can_manage": scope.capacity(Capability.MANAGE_COMMUNITY, at=community) is not None,
            "claim_select": claim_select,
        },
    )


def _need_action(request, pk: int, form, act):
    """Claim or complete: a need the caller may not manage is a 404 whatever was posted; a refusal
    by the service (the need was taken meanwhile, a bad result) comes back as a message."""
    need = selectors.get_need_to_manage(area_scope_or_404(request.scope), pk)
    form = form(need)
    if form.is_valid():
        try:
            act(need, form.cleaned_data)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("cobuilding:community_lists", pk=need.community_id)


@login_required
@require_POST
def need_claim(request, pk: int):
    def act(need, data):
        services.claim_need(actor=request.user, need=need, unit=data["unit"], on=timezone.localdate())
        messages.success(request, _("%(unit)s 已认领“%(need)s”") % {"unit": data["unit"], "need": need.title})

    return _need_action(
        request, pk, lambda need: ClaimForm(request.POST, scope=request.scope, community=need.community), act
    )


@login_required
@require_POST
def need_complete(request, pk: int):
    def act(need, data):
        services.complete_need(actor=request.user, need=need, on=timezone.localdate(), result=data["result"])
        messages.success(request, _("“%(need)s”已办结") % {"need": need.title})

    return _need_action(request, pk, lambda need: CompleteForm(request.POST), act)


@login_required
def meeting_detail(request, pk: int):
    scope = area_scope_or_404(request.scope)
    meeting = selectors.get_meeting(scope, pk)
    return render(
        request, "cobuilding/meeting_detail.html", {"meeting": meeting, "links": MEETINGS.links(scope, meeting)}
    )
