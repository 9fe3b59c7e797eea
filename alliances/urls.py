from django.urls import path

from alliances import views
from alliances.backoffice import PAGES

app_name = "alliances"
urlpatterns = [
    path("alliances/<int:pk>/", views.alliance_detail, name="alliance"),
    path("joint-meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("dual-reports/members/<int:pk>/", views.member_service, name="service"),
    path("dual-reports/units/<int:pk>/", views.unit_report, name="unit_report"),
    path("dual-reports/units/<int:pk>/export/", views.unit_report_export, name="unit_report_export"),
    path("dual-reports/units/<int:pk>/send/", views.unit_report_send, name="unit_report_send"),
    *(pattern for pages in PAGES for pattern in pages.urls()),
]
