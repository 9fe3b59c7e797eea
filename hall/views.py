"""The hall's own pages beside the back office: the counts per item, window and staff member (a
chart each), the resident's 办事 form from the building's QR plate (no log-in), and the grid
worker's 代办 from a household's card."""

import secrets

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from cases import selectors as case_selectors
from cases.models import DoorPlate
from core.backoffice import add_errors
from core.forms import BootstrapFormMixin
from grids import selectors as grid_selectors
from grids.access import may_edit_people
from hall import forms, limits, selectors, services

DEVICE_COOKIE = "gg_device"  # the QR report's own device cookie: one device, whatever it uses


class YearForm(BootstrapFormMixin, django_forms.Form):
    year = django_forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)


def _chart(rows: list[dict]) -> dict:
    shown = rows[:15]
    return {"names": [r["name"] or "—" for r in shown], "counts": [r["count"] for r in shown]}


@login_required
def stats(request):
    """统计: what the caller's stations received in a year, per item, window and staff member."""
    scope = request.scope
    if not scope.has_areas:
        raise Http404
    form = YearForm(request.GET)
    year = timezone.localdate().year
    if form.is_valid() and form.cleaned_data["year"]:
        year = form.cleaned_data["year"]
    counted = selectors.counts(scope, year)
    tables = [
        ("items", _("按服务事项"), counted["items"]),
        ("windows", _("按窗口"), counted["windows"]),
        ("staff", _("按经办人"), counted["staff"]),
    ]
    context = {
        "form": form,
        "year": year,
        "tables": [(key, title, rows, _chart(rows), f"chart-{key}") for key, title, rows in tables],
        "total": sum(r["count"] for r in counted["items"]),
        "labels": {"cases": _("办件数")},
    }
    return render(request, "hall/stats.html", context)


@csrf_exempt  # checked by _plate_form once the limit has passed, as the QR report does
def plate_request(request, token: str):
    plate = case_selectors.door_plate(token)
    device = request.COOKIES.get(DEVICE_COOKIE) or secrets.token_urlsafe(16)
    if request.method == "POST" and limits.over_limit(request, plate=plate, device=device):
        messages.error(request, _("提交过于频繁,请稍后再试或到社区服务站窗口办理"))
        form = forms.PlateRequestForm(items=selectors.items())
        page = render(request, "hall/plate_form.html", {"form": form, "plate": plate}, status=429)
        return _with_device(page, device)
    return _plate_form(request, plate, device)


@csrf_protect
def _plate_form(request, plate: DoorPlate, device: str):
    form = forms.PlateRequestForm(request.POST or None, items=selectors.items())
    if request.method == "POST" and form.is_valid():
        try:
            made = services.request_from_plate(plate=plate, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _with_device(render(request, "hall/plate_done.html", {"made": made, "plate": plate}), device)
    return _with_device(render(request, "hall/plate_form.html", {"form": form, "plate": plate}), device)


@login_required
def proxy_request(request, pk: int):
    """网格员代办: a resident's request taken on the doorstep, from their household's card."""
    household = grid_selectors.get_household(request.scope, pk)
    if not may_edit_people(request.scope, household.building):
        raise Http404
    residents = household.residents.living().order_by("id")
    form = forms.ProxyRequestForm(request.POST or None, items=selectors.items(), residents=residents)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.take_for_resident(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已代办,社区服务站将分办,办结后计入您的便民服务"))
            return redirect("hall:request", pk=made.pk)
    status = 400 if request.method == "POST" else 200  # the form back with its errors, as the back office's
    return render(request, "hall/proxy_form.html", {"form": form, "household": household}, status=status)


def _with_device(response, device: str):
    response.set_cookie(DEVICE_COOKIE, device, max_age=365 * 86400, httponly=True, samesite="Lax")
    return response
