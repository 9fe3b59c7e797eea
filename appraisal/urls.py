from django.urls import path

from appraisal import backoffice, views

app_name = "appraisal"

urlpatterns = [
    path("evaluation-rounds/<int:pk>/", views.round_detail, name="round"),
    path("evaluation-rounds/<int:pk>/links/", views.round_links, name="round_links"),
    *backoffice.ROUNDS.urls(),
    path("e/<str:token>/", views.ballot, name="ballot"),
    path("r/<str:token>/evaluate/<int:pk>/", views.qr_ballot, name="qr_ballot"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("trainings/due/", views.training_due, name="training_due"),
    *backoffice.TRAININGS.urls(),
    path("yearly/", views.ranking, name="ranking"),
    path("yearly/workers/<int:pk>/", views.worker, name="worker"),
    path("yearly/communities/<int:pk>/", views.assessment, name="assessment"),
    path("yearly/communities/<int:pk>/export/", views.assessment_export, name="assessment_export"),
    path("yearly/departments/<int:pk>/", views.department_assessment, name="department_assessment"),
    path(
        "yearly/departments/<int:pk>/export/",
        views.department_assessment_export,
        name="department_assessment_export",
    ),
]
