"""The pages of the Excel imports and the residents export: thin, like the rest; the work is in
grids.imports and grids.exports. Every import page takes the kind (residents, buildings, posts,
party members: grids.imports.kinds); the residents pages keep their first URLs too. Runs belong to
whoever started them: anyone else's, or one of another kind, is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.capabilities import Capability
from core.scope import area_scope_or_404
from grids import exports, selectors
from grids.import_forms import ExportForm, ImportApplyForm, ImportUploadForm
from grids.import_models import ImportRun, RowOutcome
from grids.imports import kinds, services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50
RECENT = 10


def _importer(request, kind: str):
    """The kind, for a user who may start it; anyone else finds no page."""
    scope = area_scope_or_404(request.scope)
    declared = kinds.get(kind)
    if not declared.may_start(scope):
        raise Http404
    return scope, declared


def _own_run(request, kind: str, pk: int) -> ImportRun:
    scope, declared = _importer(request, kind)
    return get_object_or_404(selectors.own_import_runs(scope).filter(kind=declared.slug), pk=pk)


@login_required
def import_start(request, kind: str):
    scope, declared = _importer(request, kind)
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm()
    if posted and form.is_valid():
        try:
            run = services.start_import(actor=request.user, upload=form.cleaned_data["workbook"], kind=declared.slug)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error("workbook", exc)
        else:
            return redirect(_run_url(request, run))
    recent = selectors.own_import_runs(scope).filter(kind=declared.slug)[:RECENT]
    status = 400 if form.errors else 200
    context = {"form": form, "recent": recent, "kind": declared, "offered": kinds.offered(scope)}
    return render(request, "grids/import_start.html", context, status=status)


@login_required
def import_template(request, kind: str):
    scope, declared = _importer(request, kind)
    response = HttpResponse(declared.template(scope), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{declared.slug}-template.xlsx"'
    return response


@login_required
def import_run(request, kind: str, pk: int):
    run = _own_run(request, kind, pk)
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
        "kind": kinds.get(run.kind),
    }
    return render(request, "grids/import_run.html", context)


@login_required
def import_status(request, kind: str, pk: int):
    run = _own_run(request, kind, pk)
    return JsonResponse({"status": run.status, "progress": services.progress(run)})


@login_required
@require_POST
def import_apply(request, kind: str, pk: int):
    run = _own_run(request, kind, pk)
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
        return redirect(_run_url(request, run))
    return redirect(_run_url(request, real))


def _run_url(request, run: ImportRun) -> str:
    """A run's page, at the URL the request came by: the residents' first ones, or the kind's."""
    if request.resolver_match.url_name.startswith("kind_"):
        return reverse("grids:kind_import_run", kwargs={"kind": run.kind, "pk": run.pk})
    return reverse("grids:import_run", kwargs={"pk": run.pk})


@login_required
def import_refused(request, kind: str, pk: int):
    run = _own_run(request, kind, pk)
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
