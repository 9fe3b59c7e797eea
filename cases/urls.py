from django.urls import path

from cases import report_views, views

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
    path("cases/<int:pk>/accept/", views.case_accept, name="accept"),
    path("cases/<int:pk>/reject/", views.case_reject, name="reject"),
    path("cases/<int:pk>/merge/", views.case_merge, name="merge"),
    path("cases/<int:pk>/whistle/", views.case_whistle, name="whistle"),
    path("cases/<int:pk>/escalate/", views.case_escalate, name="escalate"),
    path("cases/<int:pk>/dispatch/", views.case_dispatch, name="dispatch"),
    path("cases/<int:pk>/sign/", views.case_sign, name="sign"),
    path("cases/<int:pk>/return/", views.case_return, name="return"),
    path("cases/<int:pk>/extend/", views.case_extend, name="extend"),
    path("cases/<int:pk>/decide-extension/", views.case_decide_extension, name="decide_extension"),
    path("cases/<int:pk>/resolve/", views.case_resolve, name="resolve"),
    path("cases/<int:pk>/verify/", views.case_verify, name="verify"),
    path("cases/photos/<int:pk>/", views.photo, name="photo"),
    path("communities/<int:pk>/door-plates/", views.door_plates, name="door_plates"),
    path("r/<str:token>/", views.resident_report, name="resident_report"),
    path("t/", views.track, name="track"),
    path("t/<str:code>/", views.track_case, name="track_case"),
]
