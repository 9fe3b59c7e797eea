from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.capabilities import Capability
from core.scope import area_scope_or_404
from grids import selectors as grid_selectors
from grids.models import AreaKind
from orgs import cobuilding_selectors as selectors
from orgs import cobuilding_services as services
from orgs import selectors as org_selectors
from orgs.forms import ClaimForm, CompleteForm
from orgs.models import COMMUNITY_LEVEL_KINDS, WINDOWS, WORK_COMMITTEES, Role

PAGE_SIZE = 30


def _community(scope, pk: int):
    area = grid_selectors.get_area(scope, pk)
    if area.kind != AreaKind.COMMUNITY:
        raise Http404
    return area


@login_required
def unit_list(request):
    scope = area_scope_or_404(request.user)
    rules = selectors.points_rules()
    page = Paginator(
        selectors.units(scope).order_by("community__tree_id", "community__lft", "name"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for unit in page:
        unit.standing = selectors.standing(unit.point_total, rules)
    return render(request, "orgs/unit_list.html", {"units": page})


@login_required
def unit_detail(request, pk: int):
    scope = area_scope_or_404(request.user)
    unit = selectors.get_unit(scope, pk)
    today = timezone.localdate()
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "unit": unit,
            "standing": selectors.standing(unit.point_total, selectors.points_rules()),
            "agreements": [(a, a.in_force(today)) for a in unit.agreements.all()],
        },
    )


@login_required
def community_lists(request, pk: int):
    scope = area_scope_or_404(request.user)
    community = _community(scope, pk)
    lists = selectors.community_lists(community)
    # Rendered once and repeated under each open need: one query however many needs are open.
    claim_select = ClaimForm(community=community, auto_id=False)["unit"].as_widget(attrs={"aria-label": _("认领单位")})
    return render(
        request,
        "orgs/community_lists.html",
        {
            "community": community,
            **lists,
            "can_manage": scope.may(Capability.MANAGE_COMMUNITY),
            "claim_select": claim_select,
        },
    )


def _need_action(request, pk: int, form_class, act):
    scope = area_scope_or_404(request.user)
    need = selectors.get_need(scope, pk)
    if not scope.may(Capability.MANAGE_COMMUNITY):
        raise Http404
    form = form_class(request.POST, **({"community": need.community} if form_class is ClaimForm else {}))
    if form.is_valid():
        try:
            act(need, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("orgs:community_lists", pk=need.community_id)


@login_required
@require_POST
def need_claim(request, pk: int):
    def act(need, data):
        services.claim_need(need=need, unit=data["unit"], on=timezone.localdate())
        messages.success(request, _("%(unit)s 已认领“%(need)s”") % {"unit": data["unit"], "need": need.title})

    return _need_action(request, pk, ClaimForm, act)


@login_required
@require_POST
def need_complete(request, pk: int):
    def act(need, data):
        services.complete_need(need=need, on=timezone.localdate(), result=data["result"])
        messages.success(request, _("“%(need)s”已办结") % {"need": need.title})

    return _need_action(request, pk, CompleteForm, act)


@login_required
def meeting_list(request):
    scope = area_scope_or_404(request.user)
    page = Paginator(selectors.meetings(scope), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "orgs/meeting_list.html", {"meetings": page})


@login_required
def meeting_detail(request, pk: int):
    scope = area_scope_or_404(request.user)
    return render(request, "orgs/meeting_detail.html", {"meeting": selectors.get_meeting(scope, pk)})


@login_required
def community_structure(request, pk: int):
    """一委一站一居 (seed 004): the party committee, the service station's windows, the residents' committee."""
    scope = area_scope_or_404(request.user)
    community = _community(scope, pk)
    posts = list(community.posts.active().order_by("role", "holder_name"))
    party = community.seated_organizations.filter(kind__in=sorted(COMMUNITY_LEVEL_KINDS)).first()
    party_posts = org_selectors.committee(party) if party else []

    def holders(role, function=""):
        return [p for p in posts if p.role == role and p.function == function]

    return render(
        request,
        "orgs/community_structure.html",
        {
            "community": community,
            "party": party,
            "party_posts": party_posts,
            "station_heads": holders(Role.STATION_HEAD),
            "windows": [(w.label, holders(Role.WINDOW_STAFF, w.value)) for w in WINDOWS],
            "rc_directors": holders(Role.RC_DIRECTOR),
            "committees": [(c.label, holders(Role.RC_MEMBER, c.value)) for c in WORK_COMMITTEES],
        },
    )
