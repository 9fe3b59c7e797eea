"""The alliance's page (committee, members, the chair and the rotation), the joint meeting's page
(attendance, minutes, decisions and what they raised), and 双报告: a member's half-year, a unit's
half-year, its export and sending it. Thin: scope → selector → template or service."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances import exports, selectors, services
from alliances.backoffice import ALLIANCES, MEETINGS, SERVICE
from alliances.models import half_year
from core import audit
from core.capabilities import Capability
from core.scope import area_scope_or_404


@login_required
def alliance_detail(request, pk: int):
    scope = area_scope_or_404(request.scope)
    alliance = selectors.get_alliance(scope, pk)
    today = timezone.localdate()
    return render(
        request,
        "alliances/alliance_detail.html",
        {
            "alliance": alliance,
            "chair": selectors.chair(alliance, today),
            "rotation": selectors.rotation(alliance, today),
            "meetings": selectors.meetings(scope).filter(alliance=alliance).order_by("-held_on", "-id")[:20],
            "links": ALLIANCES.links(scope, alliance),
        },
    )


@login_required
def meeting_detail(request, pk: int):
    scope = area_scope_or_404(request.scope)
    meeting = selectors.get_meeting(scope, pk)
    return render(
        request, "alliances/meeting_detail.html", {"meeting": meeting, "links": MEETINGS.links(scope, meeting)}
    )


def _half(request) -> tuple[datetime.date, datetime.date]:
    """?half=2026-1 (January–June) or 2026-2; the current half-year without one."""
    raw = request.GET.get("half", "")
    try:
        year, part = (int(p) for p in raw.split("-"))
        if part not in (1, 2) or not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        return half_year(timezone.localdate())
    return half_year(datetime.date(year, 1 if part == 1 else 7, 1))


def _halves(start: datetime.date) -> dict:
    before = half_year(start - datetime.timedelta(days=1))[0]
    after = half_year(start + datetime.timedelta(days=190))[0]
    code = lambda day: f"{day:%Y}-{1 if day.month == 1 else 2}"  # noqa: E731
    return {"previous": code(before), "next": code(after), "current": code(start)}


@login_required
def member_service(request, pk: int):
    scope = area_scope_or_404(request.scope)
    member = selectors.get_member(scope, pk)
    start, end = _half(request)
    rows = list(selectors.activities(member, start, end))
    return render(
        request,
        "alliances/member_service.html",
        {
            "member": member,
            "start": start,
            "end": end,
            "halves": _halves(start),
            "activities": rows,
            "hours": sum((a.hours for a in rows), start=0),
            "reports": member.dual_reports.order_by("-period_start")[:10],
            "links": SERVICE.links(scope, member),
        },
    )


@login_required
def unit_report(request, pk: int):
    scope = area_scope_or_404(request.scope)
    unit = selectors.get_unit(scope, pk)
    start, end = _half(request)
    rows = selectors.unit_half_year(unit, start, end)
    may_send = scope.capacity(Capability.KEEP_PARTY_MEMBERS, at=unit.community) is not None
    return render(
        request,
        "alliances/unit_report.html",
        {"unit": unit, "start": start, "end": end, "halves": _halves(start), "rows": rows, "may_send": may_send},
    )


@login_required
def unit_report_export(request, pk: int):
    """The unit's half-year as the workbook its contact receives: a copy that leaves, so audited."""
    scope = area_scope_or_404(request.scope)
    unit = selectors.get_unit(scope, pk)
    start, end = _half(request)
    rows = selectors.unit_half_year(unit, start, end)
    details = selectors.unit_activities(unit, start, end)
    audit.record(
        actor=request.user,
        action="alliances.export_dual_report",
        target=unit,
        fields=exports.COLUMNS,
        capacity=audit.reader_capacity(scope),
    )
    response = HttpResponse(exports.unit_workbook(unit, start, end, rows, details), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(unit, start)}"'
    return response


@login_required
@require_POST
def unit_report_send(request, pk: int):
    scope = area_scope_or_404(request.scope)
    unit = selectors.get_unit(scope, pk)
    start, end = _half(request)
    try:
        sent = services.send_dual_report(actor=request.user, unit=unit, start=start, end=end)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("已发送%(n)s名党员的双报告") % {"n": len(sent)} if sent else _("本半年度的双报告均已发送")
        )
    url = reverse("alliances:unit_report", args=[unit.pk])
    return redirect(f"{url}?half={_halves(start)['current']}")
