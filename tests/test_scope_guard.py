"""The scope guard fires: a view that reads cases without a scope raises, the same read through
`.within(scope)` works, and Django admin (which reads across every scope) is unaffected."""

import pytest
from django.http import JsonResponse
from django.urls import include, path, reverse

from cases.models import Case
from core.scoping import ScopeError
from tests.cases.conftest import category


def unscoped_view(request):
    return JsonResponse({"ids": list(Case.objects.filter(status="reported").values_list("pk", flat=True))})


def scoped_view(request):
    cases = Case.objects.within(request.scope).filter(status="reported")
    return JsonResponse({"ids": list(cases.values_list("pk", flat=True))})


urlpatterns = [
    path("unscoped/", unscoped_view),
    path("scoped/", scoped_view),
    path("", include("gridgov.urls")),
]


@pytest.fixture
def cases(world):
    from cases import services

    return {
        building: services.report_case(
            actor=world.users["admin"],
            category=category("urban-events-clutter"),
            area=world.areas[building],
            description="楼道堆物",
        )
        for building in ["A1", "B1", "D1"]
    }


@pytest.mark.urls("tests.test_scope_guard")
def test_a_selector_free_read_in_a_view_raises(world, cases, client_for):
    with pytest.raises(ScopeError, match=r"cases\.Case read without a scope"):
        client_for(world.users["grid_a"]).get("/unscoped/")


@pytest.mark.urls("tests.test_scope_guard")
def test_the_same_read_within_the_scope_works(world, cases, client_for):
    response = client_for(world.users["grid_a"]).get("/scoped/")
    assert response.status_code == 200 and response.json()["ids"] == [cases["A1"].pk]
    assert client_for(world.users["community"]).get("/scoped/").json()["ids"] == sorted(
        [cases["A1"].pk, cases["B1"].pk], reverse=True
    )


def test_outside_a_request_the_guard_is_off(world, cases):
    # The shell, migrations and a test's own assertions read freely.
    assert Case.objects.filter(status="reported").count() == 3


@pytest.mark.urls("tests.test_scope_guard")
def test_admin_pages_are_unaffected(world, cases, client_for):
    client = client_for(world.users["admin"])
    assert client.get(reverse("admin:cases_case_changelist")).status_code == 200
    assert client.get(reverse("admin:cases_case_change", args=[cases["D1"].pk])).status_code == 200
