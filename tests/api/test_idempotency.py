"""Idempotency-Key on the API's creates: the same key and body from the same client replay the
first answer and make one record; another body is a 422; keys are per client and expire."""

import datetime
import json
import uuid

from django.test import Client
from django.utils import timezone

from cases.models import Case
from core import idempotency
from core.models import IdempotentRequest
from core.scope import SYSTEM
from gridgov.api import router
from orgs import client_keys
from tests.cases.conftest import category


def _body(world, building="A1", description="楼道堆物"):
    return {
        "category": category("urban-events-clutter").pk,
        "area": world.areas[building].pk,
        "description": description,
        "source": "grid_patrol",
    }


def _post(client, body, key, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        "/api/v1/cases/", data, content_type="application/json", headers={"Idempotency-Key": key, **headers}
    )


def test_every_create_of_the_api_honours_the_key():
    creates = [viewset for _, viewset, _ in router.registry if hasattr(viewset, "create")]
    assert creates  # the cases' report at least
    assert all(getattr(viewset.create, "idempotent", False) for viewset in creates), creates


def test_the_same_key_and_body_replay_the_first_answer(world, client_for):
    client, key = client_for(world.users["grid_a"]), str(uuid.uuid4())
    first = _post(client, _body(world), key)
    again = _post(client, _body(world), key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Case.objects.count() == 1


def test_the_body_counts_as_parsed_not_as_spelled(world, client_for):
    client, key = client_for(world.users["grid_a"]), str(uuid.uuid4())
    body = _body(world)
    assert _post(client, json.dumps(body), key).status_code == 201
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2)
    assert _post(client, reordered, key).status_code == 201
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_a_422(world, client_for):
    client, key = client_for(world.users["grid_a"]), str(uuid.uuid4())
    assert _post(client, _body(world), key).status_code == 201
    again = _post(client, _body(world, description="另一件事"), key)
    assert again.status_code == 422
    assert Case.objects.count() == 1


def test_a_key_must_be_a_uuid(world, client_for):
    response = _post(client_for(world.users["grid_a"]), _body(world), "not-a-uuid")
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_refused_create_keeps_nothing_and_the_corrected_one_goes_through(world, client_for):
    client, key = client_for(world.users["grid_a"]), str(uuid.uuid4())
    refused = _post(client, {**_body(world), "description": ""}, key)
    assert refused.status_code == 400
    assert not IdempotentRequest.objects.exists()
    assert _post(client, _body(world), key).status_code == 201
    assert Case.objects.count() == 1


def test_keys_are_per_client_a_client_key_included(world, client_for):
    key = str(uuid.uuid4())
    _, secret = client_keys.create_client_key(
        actor=SYSTEM,
        name="12345热线",
        district=world.areas["district"],
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    hotline = Client(headers={"Authorization": f"Bearer {secret}"})
    by_person = _post(client_for(world.users["grid_a"]), _body(world), key)
    by_hotline = _post(hotline, _body(world), key)
    assert by_person.status_code == by_hotline.status_code == 201
    assert by_person.json()["id"] != by_hotline.json()["id"]
    # The hotline's own replay is its own case again.
    assert _post(hotline, _body(world), key).json()["id"] == by_hotline.json()["id"]
    assert Case.objects.count() == 2


def test_a_key_expires_after_the_setting(world, client_for, settings):
    settings.IDEMPOTENCY_KEY_HOURS = 2
    client, key = client_for(world.users["grid_a"]), str(uuid.uuid4())
    first = _post(client, _body(world), key)
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=3))
    # Past the window the answer is not replayed but made again; the case keeps its own key, so
    # the same report is still the one case.
    again = _post(client, _body(world), key)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert again.json()["id"] == first.json()["id"] and Case.objects.count() == 1
    assert IdempotentRequest.objects.get().created_at > timezone.now() - datetime.timedelta(minutes=1)
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=3))
    assert idempotency.drop_expired() == 1
    assert not IdempotentRequest.objects.exists()


def test_the_stored_answer_is_encrypted(world, client_for):
    from django.db import connection

    created = _post(client_for(world.users["grid_a"]), _body(world), str(uuid.uuid4()))
    with connection.cursor() as cursor:
        cursor.execute("SELECT response_body FROM core_idempotentrequest")
        (raw,) = cursor.fetchone()
    assert created.json()["number"] not in raw
