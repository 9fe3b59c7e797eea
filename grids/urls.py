from django.urls import path

from grids import views

app_name = "grids"
urlpatterns = [
    path("areas/", views.area_tree, name="tree"),
    path("areas/<int:pk>/", views.area_detail, name="area"),
    path("areas/<int:pk>/children/", views.area_children, name="area_children"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/residents/", views.resident_create, name="resident_create"),
    path("residents/", views.resident_search, name="resident_search"),
    path("residents/expiring-tags/", views.expiring_tags, name="expiring_tags"),
    path("residents/<int:pk>/", views.resident_detail, name="resident"),
    path("residents/<int:pk>/reveal/", views.resident_reveal, name="resident_reveal"),
]
