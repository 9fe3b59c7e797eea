"""The app with psycopg's connection pool on (DATABASE_POOL_MAX_SIZE): six threads reading the
dashboard and the case list and reporting cases, through a pool of two connections, in a process
of its own (tests/scale/pool_probe.py) over this test's database. Nothing the app does relies on
a connection of its own (docs/scaling.md), so every request succeeds and every case is there."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from cases.models import Case
from tests.faults.places import small_district
from tests.scale import pool_probe

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's pool is PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]


def test_the_app_works_through_a_pool_smaller_than_its_threads():
    place = small_district("980204000000")
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    # A thread waits up to two minutes for a free connection: this is about correctness, not speed.
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DATABASE_POOL_MAX_SIZE": "2",
        "DATABASE_POOL_MIN_SIZE": "1",
        "DATABASE_POOL_TIMEOUT": "120",
    }
    env.pop("DATABASE_REPLICA_URL", None)
    probe = subprocess.run(
        [sys.executable, "-m", "tests.scale.pool_probe", str(place["grid_worker"].pk), str(place["building"].pk)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    seen = json.loads(probe.stdout.strip().splitlines()[-1])
    rounds = pool_probe.THREADS * pool_probe.ROUNDS
    assert seen["errors"] == []
    assert sorted(set(seen["statuses"])) == [200, 302] and len(seen["statuses"]) == 3 * rounds
    assert seen["pool_max"] == 2 and seen["pool_size"] <= 2
    assert Case.objects.count() == rounds
