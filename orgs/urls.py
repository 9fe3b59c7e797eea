from django.contrib.auth.decorators import login_required
from django.urls import path

from orgs import client_key_views, member_pages, views
from orgs.backoffice import POSTS
from orgs.org_pages import ORGANIZATIONS

app_name = "orgs"
urlpatterns = [
    path("orgs/", views.org_chart, name="chart"),
    path("orgs/<int:pk>/", views.organization_detail, name="organization"),
    # The party roll (orgs/member_pages.py); "members" is the name the roll's list had before.
    path("orgs/members/", login_required(member_pages.MEMBERS.list_view), name="members"),
    path("orgs/members/<int:pk>/", member_pages.member_detail, name="member"),
    path("orgs/coverage/", views.coverage_report, name="coverage"),
    path("orgs/client-keys/", client_key_views.key_list, name="client_keys"),
    path("orgs/client-keys/<int:pk>/revoke/", client_key_views.key_revoke, name="client_key_revoke"),
    # 一委一站一居; co-building units, the four lists and joint meetings are in cobuilding.urls
    path("areas/<int:pk>/structure/", views.community_structure, name="community_structure"),
    path("cards/photos/<int:pk>/", views.card_photo, name="card_photo"),
    *POSTS.urls(),
    *ORGANIZATIONS.urls(),
    *member_pages.MEMBERS.urls(),
]
