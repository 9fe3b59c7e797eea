from django.urls import path

from cobuilding import views
from cobuilding.backoffice import PAGES

app_name = "cobuilding"
urlpatterns = [
    path("cobuilding/<int:pk>/", views.unit_detail, name="unit"),
    path("areas/<int:pk>/lists/", views.community_lists, name="community_lists"),
    path("needs/<int:pk>/claim/", views.need_claim, name="need_claim"),
    path("needs/<int:pk>/complete/", views.need_complete, name="need_complete"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    *(pattern for pages in PAGES for pattern in pages.urls()),
]
