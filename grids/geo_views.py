"""The pages of places' geometry: importing boundaries and points from a file (a dry run, its
per-feature outcomes, the real run), exporting them as GeoJSON, a place's 位置 page (drag a
building's point or a boundary's vertices, or paste GeoJSON), and the lookup the report pages ask
where a phone is. Thin: the work is in grids.geoimport, grids.shapes and grids.locate."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.scope import area_scope_or_404
from grids import geofiles, geoimport, locate, mapping, selectors
from grids.access import may_keep_place
from grids.import_forms import GeometryImportForm, ShapeForm
from grids.import_models import ImportKind, RowOutcome
from grids.models import AreaKind, AreaShape
from grids.shapes import SHAPED_KINDS, set_shape

PAGE_SIZE = 100
RECENT = 10


def _importer(request):
    scope = area_scope_or_404(request.scope)
    if not geoimport.may_import(scope):
        raise Http404
    return scope


@login_required
def geometry_import(request):
    scope = _importer(request)
    places = geoimport.importable_places(scope)
    posted = request.method == "POST"
    form = GeometryImportForm(request.POST if posted else None, request.FILES if posted else None, places=places)
    if posted and form.is_valid():
        try:
            run = geoimport.check_geometry_import(
                actor=request.user, place=form.cleaned_data["place"], upload=form.cleaned_data["source"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error("source", exc)
        else:
            return redirect("grids:geometry_import_run", pk=run.pk)
    recent = selectors.own_import_runs(scope).filter(kind=ImportKind.GEOMETRY).select_related("area")[:RECENT]
    status = 400 if form.errors else 200
    return render(request, "grids/geometry_import.html", {"form": form, "recent": recent}, status=status)


def _own_run(request, pk: int):
    scope = _importer(request)
    runs = selectors.own_import_runs(scope).filter(kind=ImportKind.GEOMETRY).select_related("area")
    return get_object_or_404(runs, pk=pk)


@login_required
def geometry_import_run(request, pk: int):
    run = _own_run(request, pk)
    shown = request.GET.get("outcome", "")
    rows = run.outcomes.all()
    if shown in RowOutcome.values:
        rows = rows.filter(outcome=shown)
    context = {
        "run": run,
        "rows": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "shown": shown,
        "outcomes": RowOutcome.choices,
    }
    return render(request, "grids/geometry_import_run.html", context)


@login_required
@require_POST
def geometry_import_apply(request, pk: int):
    run = _own_run(request, pk)
    try:
        real = geoimport.apply_geometry_import(actor=request.user, run=run)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("grids:geometry_import_run", pk=run.pk)
    return redirect("grids:geometry_import_run", pk=real.pk)


@login_required
def geometry_export(request, pk: int):
    """The shapes of a street's or community's places the user sees, as the import reads them."""
    scope = area_scope_or_404(request.scope)
    place = get_object_or_404(geoimport.importable_places(scope), pk=pk)
    collection = geofiles.feature_collection(geoimport.exported_shapes(scope, place))
    response = HttpResponse(json.dumps(collection, ensure_ascii=False), content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{place.code}.geojson"'
    return response


def _shape_data(area, shape) -> dict:
    """What the page's map draws: the place, the boundary above it and, for a grid, its neighbours,
    over the tiles if there are any (in their coordinate system: the page converts)."""
    data = {"kind": area.kind, "boundary": None, "point": None, **mapping.tiles()}
    if shape is not None:
        data["boundary"] = shape.boundary
        data["point"] = [shape.lng, shape.lat] if shape.lat is not None else None
    above = (
        AreaShape.objects.unscoped("the outline the place must lie in, drawn behind it on its own page")
        .filter(area__in=area.get_ancestors(), boundary__isnull=False)
        .order_by("-area__level")
        .first()
    )
    data["above"] = above.outline if above else None
    return data


@login_required
def area_shape(request, pk: int):
    """A place's 位置 page, for whoever keeps it: anyone else finds no page."""
    scope = area_scope_or_404(request.scope)
    area = selectors.get_area(scope, pk)
    if area.kind not in SHAPED_KINDS or not may_keep_place(scope, area.kind, area):
        raise Http404
    building = area.kind == AreaKind.BUILDING
    shape = AreaShape.objects.within(scope).filter(area=area).first()
    posted = request.method == "POST"
    initial = {}
    if shape is not None:
        initial = {"lng": shape.lng, "lat": shape.lat} if building else {"boundary": shape.boundary}
    form = ShapeForm(request.POST if posted else None, initial=initial, building=building)
    if posted and form.is_valid():
        data = form.cleaned_data
        given = {"lng": data["lng"], "lat": data["lat"]} if building else {"boundary": data["boundary"]}
        if all(value is None for value in given.values()):
            form.add_error(None, _("请在地图上标注位置或填写坐标"))
        else:
            try:
                set_shape(actor=request.user, area=area, **given)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已保存%(name)s的位置") % {"name": area.name})
                return redirect("grids:area_shape", pk=area.pk)
    context = {
        "area": area,
        "form": form,
        "map_data": _shape_data(area, shape),
        "history_url": reverse("grids:place_history", args=[area.pk]),
    }
    return render(request, "grids/area_shape.html", context, status=400 if form.errors else 200)


def _coordinate(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise BadRequest from None
    if not -180 <= number <= 180:
        raise BadRequest
    return number


@login_required
@require_POST
def locate_point(request):
    """Where a phone is, for the report form: the grid and nearest building in the caller's scope.
    POST, so the position is not left in a server's access log."""
    scope = area_scope_or_404(request.scope)
    lng, lat = _coordinate(request.POST.get("lng", "")), _coordinate(request.POST.get("lat", ""))
    try:
        found = locate.locate(scope, lng=lng, lat=lat)
    except ValidationError as exc:
        return JsonResponse({"refused": " ".join(exc.messages)})
    building = found.building
    return JsonResponse(
        {
            "grid": {"id": found.grid.pk, "name": found.grid.name},
            "building": {"id": building.pk, "name": building.name, "metres": round(found.metres)} if building else None,
        }
    )
