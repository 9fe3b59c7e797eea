"""挂牌上岗 pages for staff: a grid's plate, printable on A4 or A5, and a post's card kept by who may
appoint to it (the photo taken here, re-encoded like a case photo). Residents see the same card on
each building's QR page (cases.views.resident_report)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.backoffice import add_errors
from core.scope import area_scope_or_404
from grids import selectors as grid_selectors
from grids.models import AreaKind
from gridwork.forms import CardForm
from orgs import cards
from orgs import selectors as org_selectors
from orgs.services import appointer_capacity, post_place

PLATE_SIZES = {"a4": "A4", "a5": "A5"}


@login_required
def grid_plate(request, pk: int):
    scope = area_scope_or_404(request.scope)
    grid = grid_selectors.get_area(scope, pk)
    if grid.kind != AreaKind.GRID:
        raise Http404
    card = cards.grid_card(grid)
    size = request.GET.get("size", "a4")
    size = size if size in PLATE_SIZES else "a4"
    # Whom the caller may keep the card of: those whose post they may appoint to (one check per
    # person, on the places the scope has already loaded).
    editable = set()
    if appointer_capacity(scope, grid) is not None:
        editable = {person.post_id for person in card.people}
    return render(
        request,
        "gridwork/grid_plate.html",
        {"grid": grid, "card": card, "size": size, "page_size": PLATE_SIZES[size], "editable": editable},
    )


@login_required
def post_card(request, pk: int):
    scope = area_scope_or_404(request.scope)
    post = org_selectors.posts(scope).select_related("area", "organization__area").filter(pk=pk).first()
    place = post_place(post) if post is not None else None
    if place is None or appointer_capacity(scope, place) is None:
        raise Http404
    card = cards.card_of(post)
    initial = {"duties": card.duties, "phone": card.phone} if card else {}
    posted = request.method == "POST"
    form = CardForm(request.POST if posted else None, request.FILES if posted else None, initial=initial)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            cards.set_post_card(
                actor=request.user,
                post=post,
                duties=data["duties"],
                phone=data["phone"],
                photo=data["photo"].content if data["photo"] else None,
                remove_photo=data["remove_photo"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("挂牌信息已保存"))
            grid = cards.grid_of(place)
            return redirect(reverse("gridwork:grid_plate", args=[grid.pk]) if grid else reverse("orgs:post", args=[pk]))
    return render(
        request, "gridwork/post_card.html", {"post": post, "card": card, "form": form}, status=400 if posted else 200
    )
