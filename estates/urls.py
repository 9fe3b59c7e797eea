from django.urls import path

from estates import backoffice, views

app_name = "estates"

urlpatterns = [
    path("property-companies/<int:pk>/", views.company_detail, name="company"),
    path("property-rounds/<int:pk>/", views.round_detail, name="round"),
    path("property-assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    *backoffice.COMPANIES.urls(),
    *backoffice.TERMS.urls(),
    *backoffice.INSPECTIONS.urls(),
    *backoffice.ROUNDS.urls(),
    *backoffice.ASSESSMENTS.urls(),
]
