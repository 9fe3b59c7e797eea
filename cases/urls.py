from django.urls import path

from cases import aid_views, map_views, notification_views, report_views, views, visit_views, workflow
from cases.webhooks import pages as webhook_pages

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="list"),
    path("cases/queue/<slug:queue>/", views.case_list, name="queue"),
    path("cases/export/", aid_views.case_export, name="export"),
    path("cases/filters/", aid_views.saved_filter_create, name="saved_filter_create"),
    path("cases/filters/<int:pk>/delete/", aid_views.saved_filter_delete, name="saved_filter_delete"),
    path("cases/board/", views.dispatch_board, name="board"),
    path("cases/ranking/", report_views.ranking, name="ranking"),
    path("cases/dashboard/", report_views.dashboard, name="dashboard"),
    path("cases/notifications/", notification_views.notifications, name="notifications"),
    path("cases/notifications/<int:pk>/read/", notification_views.read, name="notification_read"),
    path("cases/notifications/read-all/", notification_views.read_all, name="notifications_read_all"),
    path("cases/notifications/settings/", notification_views.notification_settings, name="notification_settings"),
    path("cases/new/", views.case_new, name="new"),
    path("cases/new/duplicates/", aid_views.possible_duplicates, name="possible_duplicates"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("map/cases/", map_views.map_cases, name="map_cases"),
    path("cases/<int:pk>/print/", aid_views.case_print, name="print"),
    # One per row of the workflow table: /cases/<pk>/<slug>/, named by the slug as a Python name.
    *(path(f"cases/<int:pk>/{step.slug}/", views.STEP_VIEWS[step.slug], name=step.name) for step in workflow.ROWS),
    path("cases/photos/<int:pk>/", views.photo, name="photo"),
    path("communities/<int:pk>/door-plates/", views.door_plates, name="door_plates"),
    path("r/<str:token>/", views.resident_report, name="resident_report"),
    path("r/<str:token>/duplicates/", aid_views.plate_duplicates, name="plate_duplicates"),
    path("t/", views.track, name="track"),
    path("t/<str:code>/", views.track_case, name="track_case"),
    path("t/<str:code>/photos/<int:pk>/", views.track_photo, name="track_photo"),
    path("households/<int:pk>/visit/", visit_views.visit_new, name="visit_new"),
    path("visits/due/", visit_views.visits_due, name="visits_due"),
    path("visits/photos/<int:pk>/", visit_views.visit_photo, name="visit_photo"),
    *visit_views.RULES.urls(),
    path("webhooks/<int:pk>/", webhook_pages.subscription_detail, name="webhook"),
    *webhook_pages.SUBSCRIPTIONS.urls(),
    path("webhook-deliveries/<int:pk>/", webhook_pages.delivery_detail, name="webhook_delivery"),
    *webhook_pages.DELIVERIES.urls(),
]
