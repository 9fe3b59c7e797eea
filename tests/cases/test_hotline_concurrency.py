"""One hotline reference sent twice at the same moment is one case on PostgreSQL: the second
referral waits behind the first, meets its reference in the unique index and answers with it."""

import pytest
from django.db import connection

from cases.models import Case
from tests.api.test_idempotency_concurrency import _district, _race, _seeded  # noqa: F401 - autouse

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two connections"),
    pytest.mark.django_db(transaction=True),
]


def _refer(client, building):
    body = {
        "external_ref": "GD-RACE-1",
        "category": "urban-events-clutter",
        "building": building.code,
        "description": "来电反映噪音扰民",
        "reporter_phone": "13912345678",
    }
    return client.post("/api/v1/cases/refer/", body, content_type="application/json")


def test_one_reference_referred_twice_at_once_makes_one_case():
    building, hotline = _district("980401000000")
    first, second = _race(lambda: _refer(hotline, building), lambda: _refer(hotline, building))
    assert (first.status_code, second.status_code) == (201, 200), (first, second)
    assert second.json()["id"] == first.json()["id"]
    assert Case.objects.filter(external_ref="GD-RACE-1").count() == 1
