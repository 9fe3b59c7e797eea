"""Two requests with one Idempotency-Key at the same moment make one record, on PostgreSQL's row
locks: the second waits for the first's claim on the key and replays its answer. Keys are per
client, so two districts' systems using one key at once each get their own case, and no 500."""

import datetime
import uuid
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.models import Case, Category
from core.scope import SYSTEM
from grids.models import AreaKind
from orgs import client_keys
from tests.factories import AreaFactory
from tests.threads import second_waits_on_first

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two connections"),
    # Not serialized_rollback: its flush skips re-creating the content types, and the next
    # transactional test's audit rows then point at none. The seeded rows are made again below.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _seeded():
    if not Category.objects.exists():  # an earlier transactional test flushed the seeded rows
        import_module("cases.migrations.0002_categories_and_limits").create(apps, None)


def _district(code: str):
    district = AreaFactory(kind=AreaKind.DISTRICT, name=f"并发区{code}", code=code)
    community = AreaFactory(kind=AreaKind.COMMUNITY, parent=AreaFactory(kind=AreaKind.STREET, parent=district))
    building = AreaFactory(kind=AreaKind.BUILDING, parent=AreaFactory(kind=AreaKind.GRID, parent=community))
    _, secret = client_keys.create_client_key(
        actor=SYSTEM,
        name=f"热线{code}",
        district=district,
        expires_on=timezone.localdate() + datetime.timedelta(days=9),
    )
    return building, Client(headers={"Authorization": f"Bearer {secret}"})


def _body(building) -> dict:
    category = Category.objects.get(code="urban-events-clutter")
    return {"category": category.pk, "area": building.pk, "description": "热线转来", "source": "hotline"}


def _race(first_post, second_post) -> list:
    """`first_post` runs inside a transaction held open until `second_post` has been sent and
    has had time to wait on it; returns both responses."""
    answers: list = [None, None]

    def first():
        answers[0] = first_post()  # the record and the key's claim made, not yet committed

    def second():
        answers[1] = second_post()

    errors, _ = second_waits_on_first(first, second)
    assert errors == []
    return answers


def _post(client, body, key):
    return client.post("/api/v1/cases/", body, content_type="application/json", headers={"Idempotency-Key": key})


def test_one_key_sent_twice_at_once_by_one_client_makes_one_case():
    building, hotline = _district("980301000000")
    key = str(uuid.uuid4())
    first, second = _race(lambda: _post(hotline, _body(building), key), lambda: _post(hotline, _body(building), key))
    assert first.status_code == second.status_code == 201, (first, second)
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_one_key_from_two_districts_at_once_makes_a_case_in_each():
    (here, here_client), (there, there_client) = _district("980302000000"), _district("980303000000")
    key = str(uuid.uuid4())
    first, second = _race(lambda: _post(here_client, _body(here), key), lambda: _post(there_client, _body(there), key))
    assert first.status_code == second.status_code == 201, (first, second)
    assert {Case.objects.get(pk=r.json()["id"]).district.code for r in (first, second)} == {
        "980302000000",
        "980303000000",
    }
