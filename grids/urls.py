from django.urls import path

from grids import geo_views, import_fix, import_views, map_views, views
from grids.backoffice import PAGES

RESIDENTS = {"kind": "residents"}

app_name = "grids"
urlpatterns = [
    path("areas/", views.area_tree, name="tree"),
    path("areas/<int:pk>/", views.area_detail, name="area"),
    path("areas/<int:pk>/children/", views.area_children, name="area_children"),
    path("map/", map_views.map_page, name="map"),
    path("map/grids/", map_views.map_grids, name="map_grids"),
    path("map/buildings/", map_views.map_buildings, name="map_buildings"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/residents/", views.resident_create, name="resident_create"),
    path("residents/", views.resident_search, name="resident_search"),
    path("residents/expiring-tags/", views.expiring_tags, name="expiring_tags"),
    path("residents/<int:pk>/", views.resident_detail, name="resident"),
    path("residents/<int:pk>/reveal/", views.resident_reveal, name="resident_reveal"),
    # The residents import's first URLs, kept; every kind's (residents too) take the kind.
    path("residents/import/", import_views.import_start, RESIDENTS, name="import_start"),
    path("residents/import/template/", import_views.import_template, RESIDENTS, name="import_template"),
    path("residents/import/<int:pk>/", import_views.import_run, RESIDENTS, name="import_run"),
    path("residents/import/<int:pk>/status/", import_views.import_status, RESIDENTS, name="import_status"),
    path("residents/import/<int:pk>/apply/", import_views.import_apply, RESIDENTS, name="import_apply"),
    path("residents/import/<int:pk>/refused/", import_views.import_refused, RESIDENTS, name="import_refused"),
    path("imports/<slug:kind>/", import_views.import_start, name="kind_import_start"),
    path("imports/<slug:kind>/template/", import_views.import_template, name="kind_import_template"),
    path("imports/<slug:kind>/<int:pk>/", import_views.import_run, name="kind_import_run"),
    path("imports/<slug:kind>/<int:pk>/status/", import_views.import_status, name="kind_import_status"),
    path("imports/<slug:kind>/<int:pk>/apply/", import_views.import_apply, name="kind_import_apply"),
    path("imports/<slug:kind>/<int:pk>/refused/", import_views.import_refused, name="kind_import_refused"),
    path("residents/import/<int:pk>/rows/<int:number>/fix/", import_fix.import_fix, name="import_fix"),
    path("residents/export/", import_views.export_residents, name="export_residents"),
    path("areas/<int:pk>/shape/", geo_views.area_shape, name="area_shape"),
    path("areas/<int:pk>/geometry.geojson", geo_views.geometry_export, name="geometry_export"),
    path("geometry/import/", geo_views.geometry_import, name="geometry_import"),
    path("geometry/import/<int:pk>/", geo_views.geometry_import_run, name="geometry_import_run"),
    path("geometry/import/<int:pk>/apply/", geo_views.geometry_import_apply, name="geometry_import_apply"),
    path("locate/", geo_views.locate_point, name="locate"),
    *(pattern for pages in PAGES for pattern in pages.urls()),
]
