"""The case-handling aids' pages: the Excel export of a filtered list, the printable 办理单, a
user's saved filters and the possible duplicates a report page asks for before it is submitted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Model
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import exports, queues, selectors, services, views
from cases.models import Status
from core.scope import area_scope_or_404
from grids import selectors as grid_selectors


def _criteria(filters) -> list[tuple[str, str]]:
    """The filter as the export states it: each chosen field's label and its shown value."""
    if not filters.is_valid():
        return []
    stated = []
    for name, value in filters.cleaned_data.items():
        if value in ("", None, False):
            continue
        field = filters[name].field
        if value is True:
            shown = _("是")
        elif isinstance(value, Model) or not hasattr(field, "choices"):
            shown = str(value)
        else:
            shown = str(dict(field.choices).get(value, value))
        stated.append((str(field.label), shown))
    return stated


@login_required
def case_export(request):
    """The list as filtered (queue, filters, search and order alike) as an Excel file, streamed."""
    scope = selectors.case_scope_or_404(request.scope)
    queue = request.GET.get("queue", "")
    title, qs, filters, key = views.listed_cases(request, scope, queue)
    qs = selectors.for_list(qs)
    qs = qs.order_by("-created_at", "-id") if key is None else qs.annotate(due=key).order_by("due", "id")
    out = exports.export_cases(actor=request.user, scope=scope, cases=qs, title=str(title), criteria=_criteria(filters))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"cases-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def case_print(request, pk: int):
    """办理单: the case and its whole timeline on one printable sheet."""
    scope = selectors.case_scope_or_404(request.scope)
    case = selectors.get_case(scope, pk)
    context = {"case": case, "events": selectors.timeline(case), "assisting": list(case.assisting.all())}
    return render(request, "cases/case_print.html", context)


@login_required
@require_POST
def saved_filter_create(request):
    """保存当前筛选: the list's own query string (and its work queue) under a name; an error is shown
    on the list it came from, with its filter still applied."""
    query, queue = request.POST.get("query", ""), request.POST.get("queue", "")
    try:
        saved = services.save_filter(actor=request.user, name=request.POST.get("name", ""), query=query, queue=queue)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        back = reverse("cases:queue", args=[queue]) if queue in queues.QUEUES else reverse("cases:list")
        return redirect(f"{back}?{services.clean_query(query)}")
    messages.success(request, _("已保存筛选“%(name)s”") % {"name": saved.name})
    return redirect(saved.get_absolute_url())


@login_required
@require_POST
def saved_filter_delete(request, pk: int):
    saved = get_object_or_404(selectors.saved_filters(request.scope), pk=pk)
    services.delete_filter(actor=request.user, saved=saved)
    messages.success(request, _("已删除筛选“%(name)s”") % {"name": saved.name})
    return redirect("cases:list")


def _category_or_none(value: str):
    """A category id from a query string: None when absent, a 400 for one that is not a number."""
    if not value:
        return None
    if not value.isdecimal() or len(value) > 18:
        raise BadRequest
    return selectors.category_or_none(int(value))


def _duplicate_rows(rows, *, detailed: bool) -> list[dict]:
    shown = []
    for case in rows:
        row = {"category": case.category.name, "status": str(Status(case.status).label)}
        row["reported"] = f"{timezone.localtime(case.created_at):%Y-%m-%d}"
        if detailed:
            row |= {"number": case.number, "url": reverse("cases:detail", args=[case.pk])}
            row["description"] = case.description[:60]
        shown.append(row)
    return shown


@login_required
def possible_duplicates(request):
    """Open cases the report being written may repeat (same building, or same grid and category
    this week), within the reporter's scope; the report page asks before it is submitted."""
    scope = area_scope_or_404(request.scope)
    area_id = request.GET.get("area", "")
    if not area_id.isdecimal() or len(area_id) > 18:
        raise BadRequest
    area = get_object_or_404(grid_selectors.areas(scope), pk=int(area_id))
    rows = selectors.possible_duplicates(
        selectors.cases(scope), area, _category_or_none(request.GET.get("category", ""))
    )
    return JsonResponse({"cases": _duplicate_rows(rows, detailed=True)})


def plate_duplicates(request, token: str):
    """The same question from a door plate, answered without anyone's details."""
    plate = selectors.door_plate(token)
    rows = selectors.plate_duplicates(plate.building, _category_or_none(request.GET.get("category", "")))
    return JsonResponse({"cases": _duplicate_rows(rows, detailed=False)})
