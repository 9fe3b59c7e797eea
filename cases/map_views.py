"""一张图's case layer (the page and its other layers are grids.map_views)."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse

from cases import mapping
from core.scope import area_scope_or_404
from grids.map_views import zoom_of
from grids.mapping import Box


@login_required
def map_cases(request):
    scope = area_scope_or_404(request.scope)
    box = Box.parse(request.GET.get("bbox"))
    since = mapping.period_start(request.GET.get("period"))
    return JsonResponse(mapping.case_layer(scope, box=box, zoom=zoom_of(request), since=since))
