"""The pages of the residents import and export: thin, like the rest; the work is in grids.imports
and grids.exports. Runs belong to whoever started them: anyone else's is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.capabilities import Capability
from core.scope import area_scope_or_404
from grids import exports, selectors
from grids.import_forms import ExportForm, ImportApplyForm, ImportUploadForm
from grids.import_models import ImportRun, RowOutcome
from grids.imports import services
from grids.imports.template import template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50
RECENT = 10


def _importer_scope(request):
    scope = area_scope_or_404(request.scope)
    if not scope.may(Capability.EDIT_PEOPLE):
        raise Http404
    return scope


def _own_run(request, pk: int) -> ImportRun:
    scope = _importer_scope(request)
    return get_object_or_404(selectors.own_import_runs(scope), pk=pk)


@login_required
def import_start(request):
    scope = _importer_scope(request)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
    if posted and form.is_valid():
        try:
            run = services.start_import(actor=request.user, upload=form.cleaned_data["workbook"])
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error("workbook", exc)
        else:
            return redirect("grids:import_run", pk=run.pk)
    recent = selectors.own_import_runs(scope)[:RECENT]
    status = 400 if form.errors else 200
    return render(request, "grids/import_start.html", {"form": form, "recent": recent}, status=status)


@login_required
def import_template(request):
    scope = _importer_scope(request)
    response = HttpResponse(template_workbook(scope), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="residents-template.xlsx"'
    return response


@login_required
def import_run(request, pk: int):
    run = _own_run(request, pk)
    shown = request.GET.get("outcome", "")
    rows = run.outcomes.all()
    if shown in RowOutcome.values:
        rows = rows.filter(outcome=shown)
    context = {
        "run": run,
        "progress": services.progress(run),
        "rows": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "shown": shown,
        "outcomes": RowOutcome.choices,
        "apply_form": ImportApplyForm(),
    }
    return render(request, "grids/import_run.html", context)


@login_required
def import_status(request, pk: int):
    run = _own_run(request, pk)
    return JsonResponse({"status": run.status, "progress": services.progress(run)})


@login_required
@require_POST
def import_apply(request, pk: int):
    run = _own_run(request, pk)
    form = ImportApplyForm(request.POST)
    form.is_valid()
    try:
        real = services.apply_import(
            actor=request.user, run=run, all_or_nothing=form.cleaned_data.get("all_or_nothing", False)
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("grids:import_run", pk=run.pk)
    return redirect("grids:import_run", pk=real.pk)


@login_required
def import_refused(request, pk: int):
    run = _own_run(request, pk)
    if not run.refused_file:
        raise Http404
    return FileResponse(run.refused_file.open("rb"), as_attachment=True, filename="refused.xlsx", content_type=XLSX)


@login_required
def export_residents(request):
    scope = area_scope_or_404(request.scope)
    if not scope.may(Capability.EXPORT_PEOPLE):
        raise Http404
    areas = exports.exportable_areas(scope)
    posted = request.method == "POST"
    form = ExportForm(request.POST if posted else None, areas=areas, can_reveal=scope.can_view_sensitive)
    if posted and form.is_valid():
        area = next(area for area in areas if area.pk == form.cleaned_data["area"])
        try:
            out = exports.export_residents(
                actor=request.user,
                area=area,
                reveal=form.cleaned_data.get("reveal", False),
                reason=form.cleaned_data.get("reason", ""),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return FileResponse(out, as_attachment=True, filename="residents.xlsx", content_type=XLSX)
    status = 400 if form.errors else 200
    return render(request, "grids/export_residents.html", {"form": form, "title": _("导出居民")}, status=status)
