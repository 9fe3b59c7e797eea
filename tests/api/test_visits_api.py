"""The visits API: the doorstep page's service behind it, the page's scope around it, and no key
group a caller may not see."""

import datetime
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cases import services
from cases.models import Case, Visit
from core.models import AuditEntry
from grids.models import Household
from tests.cases.conftest import category
from tests.factories import key_group

TODAY = timezone.localdate


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="JPEG")
    return SimpleUploadedFile("door.jpg", out.getvalue(), content_type="image/jpeg")


def _visit(world, persona="grid_a", building="A1", **more) -> Visit:
    return services.record_visit(
        actor=world.users[persona], household=world.households[building], findings="走访", **more
    )


def test_a_grid_worker_records_a_visit_with_a_photo_and_the_card_as_on_the_page(world, client_for):
    household = world.households["A1"]
    sent = client_for(world.users["grid_a"]).post(
        "/api/v1/visits/",
        {
            "household": household.pk,
            "findings": "老人身体尚可",
            "hazards": "燃气管老化",
            "follow_up": "true",
            "follow_up_note": "联系燃气公司",
            "photo": _jpeg(),
        },
    )
    assert sent.status_code == 201, sent.content
    answer = sent.json()
    visit = Visit.objects.unscoped("the test's own check").get(pk=answer["id"])
    assert answer["visitor"] == world.users["grid_a"].username and answer["visitor_role"] == "grid_worker"
    assert answer["has_photo"] is True and visit.photo.name.startswith("visits/")
    stored = Household.objects.unscoped("the test's own check").get(pk=household.pk)
    # Only the card's fields sent change: the family situation stays as it was.
    assert stored.hazards == "燃气管老化" and stored.family_situation == household.family_situation
    assert stored.last_visited == TODAY()
    entry = AuditEntry.objects.get(action="visit.record", target_id=str(visit.pk))
    assert entry.actor == world.users["grid_a"] and entry.capacity == "grid_worker"
    assert sorted(entry.fields) == sorted(["household", "on", "findings", "follow_up", "follow_up_note", "photo"])


def test_a_visit_raises_a_case_at_the_building_and_the_key_makes_it_once(world, client_for):
    client = client_for(world.users["grid_a"])
    body = {
        "household": world.households["A1"].pk,
        "findings": "楼道堆物",
        "case_category": category("urban-events-clutter").pk,
        "case_description": "楼道堆放杂物",
    }
    key = str(uuid.uuid4())
    first = client.post("/api/v1/visits/", body, content_type="application/json", headers={"Idempotency-Key": key})
    again = client.post("/api/v1/visits/", body, content_type="application/json", headers={"Idempotency-Key": key})
    assert first.status_code == 201, first.content
    assert again.json()["id"] == first.json()["id"] and again.headers["Idempotent-Replayed"] == "true"
    case = Case.objects.unscoped("the test's own check").get(pk=first.json()["case"])
    assert case.area == world.areas["A1"] and case.source == "grid_patrol"
    assert Visit.objects.unscoped("the test's own check").count() == 1


def test_another_grids_visits_are_absent_and_their_detail_is_a_404(world, client_for):
    own, other = _visit(world, "grid_b", "B1"), _visit(world, "grid_a", "A1")
    client = client_for(world.users["grid_b"])
    assert [v["id"] for v in client.get("/api/v1/visits/").json()["results"]] == [own.pk]
    refused = client.get(f"/api/v1/visits/{other.pk}/")
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert client.get("/api/v1/visits/abc/").status_code == 404
    # The community sees both of its grids'.
    listed = client_for(world.users["community"]).get("/api/v1/visits/").json()["results"]
    assert {v["id"] for v in listed} == {own.pk, other.pk}


def test_visits_are_filtered_by_household_grid_and_date(world, client_for):
    a1 = _visit(world, "grid_a", "A1", on=TODAY() - datetime.timedelta(days=5))
    a2 = _visit(world, "grid_a", "A2")
    b1 = _visit(world, "grid_b", "B1")
    client = client_for(world.users["community"])

    def ids(query: str) -> set[int]:
        answer = client.get(f"/api/v1/visits/?{query}")
        assert answer.status_code == 200, answer.content
        return {v["id"] for v in answer.json()["results"]}

    assert ids(f"household={world.households['A1'].pk}") == {a1.pk}
    assert ids(f"grid={world.areas['A'].pk}") == {a1.pk, a2.pk}
    assert ids(f"grid={world.areas['E'].pk}") == set()  # another county's grid finds nothing
    assert ids(f"since={TODAY().isoformat()}") == {a2.pk, b1.pk}
    assert ids(f"until={(TODAY() - datetime.timedelta(days=1)).isoformat()}") == {a1.pk}
    assert client.get("/api/v1/visits/?household=x").status_code == 400


def test_street_staff_see_the_household_but_its_card_is_not_theirs_to_keep(world, client_for):
    refused = client_for(world.users["street"]).post(
        "/api/v1/visits/", {"household": world.households["A1"].pk, "findings": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403, refused.content
    assert refused.json()["code"] == "permission_denied"
    assert not Visit.objects.unscoped("the test's own check").exists()


def test_a_household_outside_the_scope_is_refused_as_unknown(world, client_for):
    refused = client_for(world.users["grid_b"]).post(
        "/api/v1/visits/", {"household": world.households["A1"].pk, "findings": "x"}, content_type="application/json"
    )
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"household"}


def test_validation_errors_are_in_chinese_field_by_field(world, client_for):
    client = client_for(world.users["grid_a"])
    future = (TODAY() + datetime.timedelta(days=1)).isoformat()
    refused = client.post(
        "/api/v1/visits/",
        {"household": world.households["A1"].pk, "findings": "x", "on": future},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["fields"] == {"on": ["走访日期不能晚于今天"]}
    missing = client.post(
        "/api/v1/visits/",
        {"household": world.households["A1"].pk, "findings": "x", "case_category": category("safety-fire").pk},
        content_type="application/json",
    ).json()
    assert (
        missing["fields"] == {"case_description": ["请描述问题"]} and missing["message"] == "请求数据有误,请按字段修改"
    )
    assert not Visit.objects.unscoped("the test's own check").exists()


@pytest.mark.parametrize("persona", ["grid_a", "community"])
def test_the_list_reads_as_many_queries_for_one_visit_as_for_many(
    world, client_for, django_assert_max_num_queries, persona
):
    client = client_for(world.users[persona])
    _visit(world)
    client.get("/api/v1/visits/")  # per-process caches filled once
    with django_assert_max_num_queries(99) as one:
        assert client.get("/api/v1/visits/").status_code == 200
    queries = len(one.captured_queries)  # now: the next request clears the log
    for days in range(1, 8):
        _visit(world, "grid_a", "A2", on=TODAY() - datetime.timedelta(days=days))
    with django_assert_max_num_queries(queries):
        assert len(client.get("/api/v1/visits/").json()["results"]) == 8


def test_a_sensitive_groups_visit_plan_is_listed_only_to_who_may_see_it(world, client_for):
    k1, community = world.areas["K1"], world.users["community"]
    everyone = services.add_visit_rule(actor=community, area=k1, group=None, every_days=30)
    sensitive = services.add_visit_rule(
        actor=community, area=k1, group=key_group("community-corrections"), every_days=7
    )
    seen = client_for(world.users["grid_a"]).get("/api/v1/visit-rules/").json()["results"]
    assert [r["id"] for r in seen] == [everyone.pk] and seen[0]["group"] is None
    assert "community-corrections" not in str(seen)
    listed = client_for(community).get("/api/v1/visit-rules/").json()["results"]
    assert {r["id"]: r["group"] for r in listed} == {everyone.pk: None, sensitive.pk: "community-corrections"}
    assert client_for(world.users["grid_a"]).post("/api/v1/visit-rules/", {}).status_code == 405


def test_the_rules_list_reads_as_many_queries_for_one_rule_as_for_many(
    world, client_for, django_assert_max_num_queries
):
    community = world.users["community"]
    client = client_for(community)
    services.add_visit_rule(actor=community, area=world.areas["K1"], group=None, every_days=30)
    client.get("/api/v1/visit-rules/")
    with django_assert_max_num_queries(99) as one:
        client.get("/api/v1/visit-rules/")
    queries = len(one.captured_queries)  # now: the next request clears the log
    for grid, code in [("A", "empty-nest-elderly"), ("B", "community-corrections"), ("A", "disabled")]:
        services.add_visit_rule(actor=community, area=world.areas[grid], group=key_group(code), every_days=7)
    with django_assert_max_num_queries(queries):
        assert len(client.get("/api/v1/visit-rules/").json()["results"]) == 4
