from django.urls import path

from hall import backoffice, views

app_name = "hall"

urlpatterns = [
    path("service-requests/stats/", views.stats, name="stats"),
    *backoffice.REQUESTS.urls(),
    path("households/<int:pk>/service/", views.proxy_request, name="proxy_request"),
    path("r/<str:token>/service/", views.plate_request, name="plate_request"),
]
