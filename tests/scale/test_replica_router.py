"""The read-replica router on two aliases of one SQLite database: the declared views read the
replica, everything else and everything after a write reads the primary, and a browser that
wrote keeps to the primary for REPLICA_PIN_SECONDS (the real standby: test_replica_streaming)."""

import uuid

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, Category
from core.db_routing import REPLICA, ReplicaRouter, replica_reads
from gridgov.middleware import PIN_COOKIE
from tests.faults.places import small_district
from tests.sign_in import force_login_verified

pytestmark = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


@pytest.fixture
def place():
    return small_district("980201000000")


@pytest.fixture
def replica(settings):
    """The test settings' `replica` alias (a mirror: a second connection to the test database)
    turned on as DATABASE_REPLICA_URL would."""
    settings.DATABASE_REPLICA_URL = "the test database's mirror"
    return connections[REPLICA]


def _get(client, name):
    primary, replica = CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]), CaptureQueriesContext(connections[REPLICA])
    with primary, replica:
        response = client.get(reverse(name))
    assert response.status_code == 200
    return response, len(primary), len(replica)


@pytest.mark.parametrize("name", settings.REPLICA_READ_VIEWS)
def test_the_declared_views_read_the_replica(client, place, replica, name):
    force_login_verified(client, place["street"])
    _response, _primary, on_replica = _get(client, name)
    assert on_replica > 0


def test_other_views_and_the_sign_in_checks_read_only_the_primary(client, place, replica):
    force_login_verified(client, place["street"])
    _response, on_primary, on_replica = _get(client, "cases:list")
    assert on_replica == 0 and on_primary > 0
    # The session and the user are read before the view, on the primary, even on a declared view.
    _response, on_primary, _on_replica = _get(client, "cases:dashboard")
    assert on_primary > 0


def test_a_write_pins_the_browser_to_the_primary_and_it_sees_its_case(client, place, replica):
    force_login_verified(client, place["grid_worker"])
    before, _p, _r = _get(client, "cases:dashboard")
    posted = client.post(
        reverse("cases:new"),
        {
            "submission_key": str(uuid.uuid4()),
            "area": place["building"].pk,
            "category": Category.objects.get(code="safety-fire").pk,
            "description": "消防通道被堵",
            "source": "grid_patrol",
        },
    )
    assert posted.status_code == 302 and Case.objects.count() == 1
    pin = posted.cookies[PIN_COOKIE]
    assert pin["max-age"] == settings.REPLICA_PIN_SECONDS and pin["httponly"]
    after, _on_primary, on_replica = _get(client, "cases:dashboard")
    assert on_replica == 0
    assert after.context["totals"]["reported"] == before.context["totals"]["reported"] + 1
    # Once the cookie has gone, the dashboard reads the replica again.
    del client.cookies[PIN_COOKIE]
    _response, _on_primary, on_replica = _get(client, "cases:dashboard")
    assert on_replica > 0


def test_a_read_after_a_write_or_inside_a_transaction_goes_to_the_primary(place, replica):
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Case) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(Case) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Case) == REPLICA
        assert router.db_for_write(Case) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Case) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(REPLICA, "cases") is False and router.allow_migrate(DEFAULT_DB_ALIAS, "cases")


def test_outside_a_declared_view_and_without_a_replica_everything_reads_the_primary(client, place):
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Case) == DEFAULT_DB_ALIAS  # no DATABASE_REPLICA_URL
    assert router.db_for_read(Case) == DEFAULT_DB_ALIAS  # a task, a command: no request state
    force_login_verified(client, place["grid_worker"])
    response = client.post(reverse("set_language"), {"language": "en"})
    assert PIN_COOKIE not in response.cookies
