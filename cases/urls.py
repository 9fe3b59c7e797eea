from django.urls import path

from cases import report_views, views, workflow

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="list"),
    path("cases/queue/<slug:queue>/", views.case_list, name="queue"),
    path("cases/board/", views.dispatch_board, name="board"),
    path("cases/ranking/", report_views.ranking, name="ranking"),
    path("cases/dashboard/", report_views.dashboard, name="dashboard"),
    path("cases/notifications/", views.notifications, name="notifications"),
    path("cases/new/", views.case_new, name="new"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    # One per row of the workflow table: /cases/<pk>/<slug>/, named by the slug as a Python name.
    *(path(f"cases/<int:pk>/{step.slug}/", views.STEP_VIEWS[step.slug], name=step.name) for step in workflow.ROWS),
    path("cases/photos/<int:pk>/", views.photo, name="photo"),
    path("communities/<int:pk>/door-plates/", views.door_plates, name="door_plates"),
    path("r/<str:token>/", views.resident_report, name="resident_report"),
    path("t/", views.track, name="track"),
    path("t/<str:code>/", views.track_case, name="track_case"),
    path("t/<str:code>/photos/<int:pk>/", views.track_photo, name="track_photo"),
]
