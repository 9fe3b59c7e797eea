from django.urls import path

from orgs import views
from orgs.backoffice import POSTS
from orgs.org_pages import ORGANIZATIONS

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.org_chart, name="chart"),
    path("orgs/<int:pk>/", views.organization_detail, name="organization"),
    path("orgs/members/", views.member_list, name="members"),
    path("orgs/coverage/", views.coverage_report, name="coverage"),
    # 一委一站一居; co-building units, the four lists and joint meetings are in cobuilding.urls
    path("areas/<int:pk>/structure/", views.community_structure, name="community_structure"),
    *POSTS.urls(),
    *ORGANIZATIONS.urls(),
]
