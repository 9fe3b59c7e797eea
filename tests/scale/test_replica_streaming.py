"""The replica router against a real standby fed by streaming replication (tests/scale/standby.py).

With the standby's replay paused, a case written on the primary is missing from the dashboard
read through the replica, which proves the dashboard reads it; the browser that wrote the case
sees it at once (the pin cookie), and once replay resumes everyone does."""

import uuid

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from django.urls import reverse

from cases.models import Case, Category
from core.db_routing import REPLICA
from gridgov.middleware import PIN_COOKIE
from tests.faults.places import small_district
from tests.scale import standby as standbys
from tests.sign_in import force_login_verified

BIN = standbys.binaries()

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="streaming replication needs PostgreSQL"),
    pytest.mark.skipif(BIN is None, reason="no PostgreSQL binaries (pg_basebackup, pg_ctl) on this machine"),
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA]),
]


@pytest.fixture
def place():
    return small_district("980202000000")


@pytest.fixture
def standby(place, settings):
    """Started after the place is committed, so its base backup already holds it."""
    server = standbys.start(connections[DEFAULT_DB_ALIAS].settings_dict, BIN)
    replica = connections[REPLICA]
    kept = dict(replica.settings_dict)
    replica.close()
    replica.settings_dict.update(HOST="127.0.0.1", PORT=str(server.port))
    settings.DATABASE_REPLICA_URL = f"postgres://postgres@127.0.0.1:{server.port}/"
    monitor = server.connect(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])
    yield monitor
    monitor.close()
    replica.close()
    replica.settings_dict.update(kept)
    server.stop()


def _reported(client) -> int:
    response = client.get(reverse("cases:dashboard"))
    assert response.status_code == 200
    return response.context["totals"]["reported"]


def _new_case(client, place):
    return client.post(
        reverse("cases:new"),
        {
            "submission_key": str(uuid.uuid4()),
            "area": place["building"].pk,
            "category": Category.objects.get(code="safety-fire").pk,
            "description": "消防通道被堵",
            "source": "grid_patrol",
        },
    )


def test_the_dashboard_reads_the_standby_and_a_writer_reads_its_write(place, standby):
    writer, onlooker = Client(), Client()
    force_login_verified(writer, place["grid_worker"])
    force_login_verified(onlooker, place["community"])
    with connection.cursor() as cursor:
        standbys.wait_for_replay(cursor, standby)
    assert standby.execute("SELECT pg_is_in_recovery()").fetchone()[0]
    before = _reported(onlooker)

    standby.execute("SELECT pg_wal_replay_pause()")
    posted = _new_case(writer, place)
    assert posted.status_code == 302 and PIN_COOKIE in posted.cookies
    assert Case.objects.count() == 1
    assert _reported(writer) == before + 1  # pinned to the primary: it sees its own case
    assert _reported(onlooker) == before  # the standby has not replayed it: the view read the standby

    standby.execute("SELECT pg_wal_replay_resume()")
    with connection.cursor() as cursor:
        standbys.wait_for_replay(cursor, standby)
    assert _reported(onlooker) == before + 1
