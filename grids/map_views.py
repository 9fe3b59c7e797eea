"""一张图: the page and its grid and building layers (the case layer is cases.map_views). Every
layer is JSON fetched by static/js/map.js for what is on screen, through request.scope."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.scope import area_scope_or_404
from grids import mapping


def zoom_of(request) -> int:
    try:
        return max(0, min(int(request.GET.get("zoom", "")), 22))
    except ValueError:
        return 0


@login_required
def map_page(request):
    scope = area_scope_or_404(request.scope)
    chosen = mapping.measure(request.GET.get("measure"))
    config = {
        "bounds": mapping.scope_bounds(scope),
        "grids": reverse("grids:map_grids"),
        "buildings": reverse("grids:map_buildings"),
        "points": reverse("cases:map_cases"),  # the open cases, clustered (cases.mapping)
        "area": reverse("grids:area", args=[0]),
        "case": reverse("cases:detail", args=[0]),
        **mapping.tiles(),
        "detailZoom": mapping.DETAIL_ZOOM,
        "labels": {
            "colours": {"red": _("红色"), "orange": _("橙色"), "yellow": _("黄色"), "blue": _("蓝色")},
        },
    }
    return render(
        request,
        "grids/map.html",
        {
            "config": config,
            "measures": mapping.measures(),
            "chosen": chosen,
            "periods": mapping.PERIODS,
            "period": request.GET.get("period", ""),
        },
    )


@login_required
def map_grids(request):
    scope = area_scope_or_404(request.scope)
    box = mapping.Box.parse(request.GET.get("bbox"))
    chosen = mapping.measure(request.GET.get("measure"))
    layer = mapping.grid_layer(scope, box=box, zoom=zoom_of(request), chosen=chosen)
    return HttpResponse(layer, content_type="application/json")


@login_required
def map_buildings(request):
    scope = area_scope_or_404(request.scope)
    box = mapping.Box.parse(request.GET.get("bbox"))
    return JsonResponse(mapping.building_layer(scope, box=box, zoom=zoom_of(request)))
