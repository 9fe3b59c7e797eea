from django.urls import path

from orgs import views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.org_chart, name="chart"),
    path("orgs/<int:pk>/", views.organization_detail, name="organization"),
    path("orgs/members/", views.member_list, name="members"),
    path("orgs/coverage/", views.coverage_report, name="coverage"),
]
