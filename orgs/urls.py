from django.urls import path

from orgs import cobuilding_views, views

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.org_chart, name="chart"),
    path("orgs/<int:pk>/", views.organization_detail, name="organization"),
    path("orgs/members/", views.member_list, name="members"),
    path("orgs/coverage/", views.coverage_report, name="coverage"),
    # co-building units, the four lists, joint meetings, 一委一站一居
    path("cobuilding/", cobuilding_views.unit_list, name="units"),
    path("cobuilding/<int:pk>/", cobuilding_views.unit_detail, name="unit"),
    path("areas/<int:pk>/lists/", cobuilding_views.community_lists, name="community_lists"),
    path("areas/<int:pk>/structure/", cobuilding_views.community_structure, name="community_structure"),
    path("needs/<int:pk>/claim/", cobuilding_views.need_claim, name="need_claim"),
    path("needs/<int:pk>/complete/", cobuilding_views.need_complete, name="need_complete"),
    path("meetings/", cobuilding_views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", cobuilding_views.meeting_detail, name="meeting"),
]
