"""/api/v1/cases/: the pages' scope and services over JSON."""

import uuid

import pytest
from django.urls import reverse

from cases.models import Case, Status
from tests.cases.conftest import VISIBLE, category


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_list_and_detail_follow_scope(world, spread, client_for, persona):
    client = client_for(world.users[persona])
    listed = {row["id"] for row in client.get("/api/v1/cases/").json()["results"]}
    assert listed == {spread[b].pk for b in VISIBLE[persona]}
    for building, case in spread.items():
        expected = 200 if building in VISIBLE[persona] else 404
        assert client.get(f"/api/v1/cases/{case.pk}/").status_code == expected
        assert client.get(f"/api/v1/cases/{case.pk}/events/").status_code == expected


@pytest.mark.parametrize(
    "step",
    ["accept", "reject", "merge", "whistle", "escalate", "dispatch", "sign", "return", "extend",
     "decide-extension", "resolve", "verify"],
)  # fmt: skip
def test_every_step_is_a_404_on_a_case_outside_scope(world, spread, client_for, step):
    case = spread["D1"]
    for persona in ["grid_a", "community", "street", "officer", "officer_mz", "sunk"]:
        response = client_for(world.users[persona]).post(f"/api/v1/cases/{case.pk}/{step}/", {"note": "x"})
        assert response.status_code == 404, persona
        assert client_for(world.users[persona]).get(f"/api/v1/cases/{case.pk}/events/").status_code == 404
    assert Case.objects.get(pk=case.pk).status == Status.REPORTED


def test_anonymous_is_refused(world, client):
    assert client.get("/api/v1/cases/").status_code == 401


def test_the_loop_over_the_api(world, client_for, depts):
    u = world.users
    key = str(uuid.uuid4())
    body = {
        "category": category("urban-events-clutter").pk,
        "area": world.areas["A1"].pk,
        "description": "楼道堆物",
        "source": "grid_patrol",
    }
    grid = client_for(u["grid_a"])
    created = grid.post("/api/v1/cases/", body, content_type="application/json", headers={"Idempotency-Key": key})
    again = grid.post("/api/v1/cases/", body, content_type="application/json", headers={"Idempotency-Key": key})
    assert created.status_code == again.status_code == 201
    assert created.json()["id"] == again.json()["id"]
    pk = created.json()["id"]

    def post(persona, step, data=None):
        return client_for(u[persona]).post(f"/api/v1/cases/{pk}/{step}/", data or {}, content_type="application/json")

    assert post("community", "whistle", {"note": "需执法"}).json()["status"] == Status.WHISTLED
    assert post("street", "dispatch", {"department": depts["城管局"].pk}).json()["status"] == Status.DISPATCHED
    assert post("officer_mz", "sign").status_code == 404  # not their department: not even visible
    assert post("street", "sign").status_code == 403  # visible, but not theirs to sign
    assert post("officer", "sign").json()["status"] == Status.IN_PROGRESS
    conflict = post("officer", "sign")
    assert conflict.status_code == 409 and "部门办理中" in conflict.json()["message"]
    assert post("officer", "extend", {"days": 99, "reason": "x"}).json()["fields"] == {
        "days": ["延期天数须在1到30个工作日之间"]
    }
    assert post("officer", "resolve", {"feedback": "已清理"}).json()["status"] == Status.RESOLVED
    assert post("grid_a", "verify", {"passed": True}).json()["status"] == Status.CLOSED
    events = client_for(u["grid_a"]).get(f"/api/v1/cases/{pk}/events/").json()
    assert [e["action"] for e in events] == ["report", "whistle", "dispatch", "sign", "resolve", "verify_pass"]


def test_a_bad_report_names_its_fields(world, client_for):
    response = client_for(world.users["grid_a"]).post(
        "/api/v1/cases/",
        {"category": 0, "area": world.areas["A1"].pk, "description": "", "source": "resident_qr"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"category", "description", "source"}
    assert Case.objects.count() == 0


def test_filters_and_cursor_pages(world, report, client_for):
    for _ in range(31):
        report()
    red = report(code="safety-fire")
    client = client_for(world.users["community"])
    assert [r["id"] for r in client.get("/api/v1/cases/", {"colour": "red"}).json()["results"]] == [red.pk]
    first = client.get("/api/v1/cases/").json()
    assert len(first["results"]) == 30 and "count" not in first
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2


def test_categories_and_the_schema(world, client_for):
    client = client_for(world.users["grid_a"])
    codes = [c["code"] for c in client.get("/api/v1/case-categories/").json()]
    assert "safety-fire" in codes and "stability-group" in codes
    assert client.get(reverse("schema")).status_code == 200


def test_routing_rules_are_read_through_scope(world, client_for, depts):
    from cases.models import RoutingRule

    rule = RoutingRule.objects.create(category=category("urban"), area=world.areas["K1"], department=depts["城管局"])
    assert client_for(world.users["community"]).get(f"/api/v1/routing-rules/{rule.pk}/").status_code == 200
    for persona in ["grid_b", "officer", "street"]:
        status = client_for(world.users[persona]).get(f"/api/v1/routing-rules/{rule.pk}/").status_code
        assert status == (200 if persona == "street" else 404), persona


def test_place_and_department_filters_choose_within_scope(world, spread, client_for, depts):
    client = client_for(world.users["community"])
    case = spread["A1"]
    by_grid = client.get(f"/api/v1/cases/?grid={case.grid_id}").json()["results"]
    assert [row["id"] for row in by_grid] == [case.pk]
    by_department = client.get(f"/api/v1/cases/?department={depts['城管局'].pk}").json()["results"]
    assert [row["id"] for row in by_department] == [case.pk]
    outside = spread["D1"]
    # Another district's grid finds what an unknown one does: nothing, never a 500 and never its cases.
    for query in (f"grid={outside.grid_id}", "street=999999", f"community={outside.community_id}"):
        response = client.get(f"/api/v1/cases/?{query}")
        assert (response.status_code, response.json()["results"]) == (200, []), query


def test_the_browsable_list_draws_its_filter_form(world, spread, client_for):
    response = client_for(world.users["street"]).get("/api/v1/cases/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
