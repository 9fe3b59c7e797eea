from django.urls import path

from funding import views

app_name = "funding"
urlpatterns = [
    path("funding/runs/", views.run_list, name="runs"),
    path("funding/runs/<int:pk>/", views.run_detail, name="run"),
    path("funding/runs/<int:pk>/status/", views.run_status, name="run_status"),
    path("funding/runs/<int:pk>/print/", views.run_print, name="run_print"),
    path("funding/runs/<int:pk>/export.xlsx", views.run_export, name="run_export"),
    path("funding/runs/<int:pk>/compare/<int:other>/", views.run_compare, name="run_compare"),
    path("funding/pay/", views.pay_report, name="pay"),
    path("funding/new-costs/", views.new_unit_costs, name="new_costs"),
    path("funding/scenarios/", views.scenario_list, name="scenarios"),
    path("funding/scenarios/new/", views.scenario_create, name="scenario_create"),
    path("funding/scenarios/<int:pk>/", views.scenario_detail, name="scenario"),
]
