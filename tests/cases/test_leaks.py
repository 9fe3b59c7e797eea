"""Two leaks the scope guard's review found: another user's Idempotency-Key, and an assisting
department of another district named in a dispatch."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from cases import services
from cases.models import Case
from tests.cases.conftest import category
from tests.factories import AreaFactory, department


def _body(world, building="A1", description="楼道堆物"):
    return {
        "category": category("urban-events-clutter").pk,
        "area": world.areas[building].pk,
        "description": description,
        "source": "grid_patrol",
    }


def _post(client, body, key):
    return client.post("/api/v1/cases/", body, content_type="application/json", headers={"Idempotency-Key": key})


def test_another_users_idempotency_key_makes_a_case_of_their_own(world, client_for):
    key = str(uuid.uuid4())
    first = _post(client_for(world.users["grid_a"]), _body(world), key)
    replay = _post(client_for(world.users["grid_b"]), _body(world, "B1", "路灯不亮"), key)
    assert first.status_code == replay.status_code == 201
    assert replay.json()["id"] != first.json()["id"]
    assert replay.json()["description"] == "路灯不亮"
    assert Case.objects.get(pk=replay.json()["id"]).reporter == world.users["grid_b"]


def test_another_users_replay_of_the_same_body_never_returns_the_first_case(world, client_for):
    key = str(uuid.uuid4())
    first = _post(client_for(world.users["grid_a"]), _body(world), key)
    # The community may report at A1 too: the same key and body are a case of its own.
    replay = _post(client_for(world.users["community"]), _body(world), key)
    assert replay.status_code == 201 and replay.json()["id"] != first.json()["id"]
    # Grid worker B may not report at A1 at all: the place is refused, nothing is returned.
    refused = _post(client_for(world.users["grid_b"]), _body(world), key)
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"area"}
    assert Case.objects.filter(submission_key=key).count() == 2


def test_the_same_key_with_a_different_report_is_a_422(world, client_for):
    key = str(uuid.uuid4())
    client = client_for(world.users["grid_a"])
    assert _post(client, _body(world), key).status_code == 201
    again = _post(client, _body(world, description="另一件事"), key)
    assert again.status_code == 422 and "Idempotency-Key" in again.json()["fields"]
    assert Case.objects.count() == 1


@pytest.fixture
def stranger(world):
    """A department of another district (its own tree), and one of this district's other street."""
    return {
        "other_district": department("外区城管局", AreaFactory(name="外区")),
        "other_street": department("二街道城管所", world.areas["S2"]),
    }


@pytest.mark.parametrize("persona", ["street", "admin"])
@pytest.mark.parametrize("which", ["other_district", "other_street"])
def test_an_assisting_department_outside_the_cases_place_is_a_400_naming_the_field(
    world, report, depts, stranger, client_for, persona, which
):
    case = services.whistle_case(case=report(), actor=world.users["community"], note="需要执法")
    response = client_for(world.users[persona]).post(
        f"/api/v1/cases/{case.pk}/dispatch/",
        {"department": depts["城管局"].pk, "assisting": [stranger[which].pk]},
        content_type="application/json",
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"assisting"}
    case = Case.objects.get(pk=case.pk)
    assert case.department is None and not case.assisting.exists()


def test_the_service_refuses_an_assisting_department_outside_the_cases_place(world, report, depts, stranger):
    case = services.whistle_case(case=report(), actor=world.users["community"], note="需要执法")
    with pytest.raises(ValidationError) as refused:
        services.dispatch_case(
            case=case, actor=world.users["street"], department=depts["城管局"], assisting=[stranger["other_district"]]
        )
    assert set(refused.value.message_dict) == {"assisting"}


def test_an_assisting_department_of_the_district_is_still_accepted(world, report, depts, client_for):
    case = services.whistle_case(case=report(), actor=world.users["community"], note="需要执法")
    response = client_for(world.users["street"]).post(
        f"/api/v1/cases/{case.pk}/dispatch/",
        {"department": depts["城管局"].pk, "assisting": [depts["民政局"].pk]},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["assisting"] == [depts["民政局"].pk]
