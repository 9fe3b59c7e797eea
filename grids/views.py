from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.capabilities import Capability
from core.identity import looks_like_id_or_phone
from core.scope import area_scope_or_404
from grids import panels, selectors, services
from grids.access import may_edit_people, may_keep_place
from grids.backoffice import HOUSEHOLDS, PLACES, RESIDENTS
from grids.forms import HouseholdCardForm, ResidentForm, ResidentSearchForm, RevealForm
from grids.models import AreaKind
from grids.shapes import SHAPED_KINDS

PAGE_SIZE = 30


@login_required
def area_tree(request):
    scope = area_scope_or_404(request.scope)
    return render(request, "grids/area_tree.html", {"roots": selectors.tree_roots(scope)})


@login_required
def area_children(request, pk: int):
    scope = request.scope
    area = selectors.get_area(scope, pk)
    return render(request, "grids/_area_nodes.html", {"nodes": selectors.children(scope, area)})


@login_required
def area_detail(request, pk: int):
    scope = request.scope
    area = selectors.get_area(scope, pk, counted=True)
    context = {
        "area": area,
        "ancestors": area.get_ancestors().filter(scope.area_q()),
        "children": selectors.children(scope, area),
        "links": PLACES.links(scope, area),
        **panels.context(panels.AREA, scope, area),
    }
    if area.kind in SHAPED_KINDS and may_keep_place(scope, area.kind, area):
        context["shape_url"] = reverse("grids:area_shape", args=[area.pk])
    if area.kind in (AreaKind.GRID, AreaKind.COMPOUND, AreaKind.BUILDING):
        context["households"] = Paginator(selectors.households_under(scope, area), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context["key_group_residents"] = Paginator(selectors.key_group_residents(scope, area), PAGE_SIZE).get_page(
            request.GET.get("kpage")
        )
    return render(request, "grids/area_detail.html", context)


@login_required
def household_detail(request, pk: int):
    scope = request.scope
    household = selectors.get_household(scope, pk)
    return render(
        request,
        "grids/household_detail.html",
        {
            "household": household,
            "can_edit": may_edit_people(scope, household.building),
            "resident_form": ResidentForm(),
            "links": HOUSEHOLDS.links(scope, household),
            **panels.context(panels.HOUSEHOLD, scope, household),
        },
    )


@login_required
def household_edit(request, pk: int):
    scope = request.scope
    household = selectors.get_household(scope, pk)
    if not may_edit_people(scope, household.building):
        raise Http404
    form = HouseholdCardForm(request.POST or None, instance=household)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.fields}
        try:
            services.update_household_card(actor=request.user, household=household, **changes)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("四清卡已保存"))
            return redirect("grids:household", pk=pk)
    return render(request, "grids/household_edit.html", {"household": household, "form": form})


@login_required
@require_POST
def resident_create(request, pk: int):
    scope = request.scope
    household = selectors.get_household(scope, pk)
    form = ResidentForm(request.POST)
    if form.is_valid():
        try:
            services.register_resident(actor=request.user, household=household, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记居民 %(name)s") % {"name": form.cleaned_data["name"]})
            return redirect("grids:household", pk=pk)
    return render(
        request,
        "grids/household_detail.html",
        {
            "household": household,
            "can_edit": True,
            "resident_form": form,
            "links": HOUSEHOLDS.links(scope, household),
            **panels.context(panels.HOUSEHOLD, scope, household),
        },
        status=400,
    )


@login_required
def resident_search(request):
    scope = area_scope_or_404(request.scope)
    # The form posts, so an ID number or phone never sits in a URL (access logs, history, Referer);
    # a GET, from a bookmark or a page link, searches by name only.
    posted = request.method == "POST"
    form = ResidentSearchForm(request.POST if posted else request.GET, by_number=posted)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        results = Paginator(selectors.search_residents(scope, query), PAGE_SIZE).get_page(request.GET.get("page"))
        if looks_like_id_or_phone(query):
            query = None  # an exact match fits on one page: no links that would carry the number
    else:
        query = None
    status = 400 if form.errors else 200
    return render(
        request, "grids/resident_search.html", {"form": form, "results": results, "query": query}, status=status
    )


@login_required
def resident_detail(request, pk: int):
    scope = request.scope
    resident = selectors.get_resident(scope, pk)
    return render(
        request,
        "grids/resident_detail.html",
        {
            "resident": resident,
            "revealed": False,
            "reveal_form": RevealForm() if scope.can_view_sensitive else None,
            "links": RESIDENTS.links(scope, resident),
        },
    )


@login_required
@require_POST
def resident_reveal(request, pk: int):
    scope = request.scope
    resident = selectors.get_resident(scope, pk, with_sensitive_tags=scope.can_view_sensitive)
    if not scope.can_view_sensitive:
        raise Http404  # the page offers no reveal without the permission; the service checks again
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            services.record_sensitive_access(
                actor=request.user, residents=[resident], reason=form.cleaned_data["reason"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "grids/resident_detail.html", {"resident": resident, "revealed": True})
    return render(
        request,
        "grids/resident_detail.html",
        {"resident": selectors.get_resident(scope, pk), "revealed": False, "reveal_form": form},
        status=400,
    )


@login_required
def expiring_tags(request):
    """Key-group tags ending within 30 days, soonest first: the community renews them with a new
    basis or lets them lapse. The community's work, so a 404 for anyone else."""
    scope = area_scope_or_404(request.scope)
    if not scope.may(Capability.HANDLE_IN_COMMUNITY):
        raise Http404
    by_resident, by_household = selectors.expiring_tags(scope)
    residents = by_resident.select_related("group", "resident__household__building").order_by("until", "pk")
    households = by_household.select_related("group", "household__building").order_by("until", "pk")
    return render(
        request,
        "grids/expiring_tags.html",
        {
            "days": selectors.EXPIRING_DAYS,
            "residents": Paginator(residents, PAGE_SIZE).get_page(request.GET.get("page")),
            "households": Paginator(households, PAGE_SIZE).get_page(request.GET.get("hpage")),
        },
    )
