from django.urls import path

from gridwork import backoffice, card_views, views

app_name = "gridwork"

urlpatterns = [
    path("grid-meetings/due/", views.meetings_due, name="due"),
    path("grid-meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    *backoffice.MEETINGS.urls(),
    path("grids/<int:pk>/plate/", card_views.grid_plate, name="grid_plate"),
    path("posts/<int:pk>/card/", card_views.post_card, name="post_card"),
    *backoffice.RULES.urls(),
]
