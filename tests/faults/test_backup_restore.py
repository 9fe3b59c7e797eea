"""Backup and restore (docs/operations.md): a dump without keys, the keys in a 0600 file apart,
and a fresh database restored from both reads the same residents and the same audit chain."""

import json
import os
import shlex
import stat
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.models import AuditEntry
from grids.models import Resident
from tests.factories import HouseholdFactory, ResidentFactory
from tests.faults.places import small_district

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore"),
    pytest.mark.django_db(transaction=True),
]

KEYS = ("SECRET_KEY", "SECRET_KEY_FALLBACKS", "FIELD_ENCRYPTION_SALT", "BLIND_INDEX_KEY")
# What the restored database is read with: the keys file and nothing else of this process's keys.
READ = """
import json
from core.models import AuditEntry
from grids.models import Resident
residents = Resident.objects.unscoped("the restore test reads every row").order_by("pk")
print(json.dumps({
    "residents": [[r.pk, r.name, r.citizen_id, r.phone] for r in residents],
    "last_hash": AuditEntry.objects.order_by("pk").last().hash,
}))
"""


@pytest.fixture
def fresh_database():
    name = f"restored_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = connection.settings_dict
    yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_restored_backup_reads_the_same_residents_and_the_same_audit_chain(tmp_path, fresh_database):
    place = small_district("980144000000")
    household = HouseholdFactory(building=place["building"])
    ResidentFactory(household=household, name="甲", phone="13912345678")
    ResidentFactory(household=household, name="乙", relation="spouse")
    before = {
        "residents": [[r.pk, r.name, r.citizen_id, r.phone] for r in Resident.objects.order_by("pk")],
        "last_hash": AuditEntry.objects.order_by("pk").last().hash,
    }
    (tmp_path / "backups").mkdir()
    (tmp_path / "vault").mkdir()
    dump, keys = tmp_path / "backups" / "gridgov.dump", tmp_path / "vault" / "keys.env"

    call_command("backup_database", str(dump), keys=str(keys))

    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    listing = subprocess.run(["pg_restore", "--file=-", str(dump)], capture_output=True, check=True).stdout  # noqa: S607
    assert all(
        getattr(settings, name).encode() not in listing for name in ("SECRET_KEY", "SALT_KEY", "BLIND_INDEX_KEY")
    )
    url = fresh_database
    call_command("restore_database", str(dump), database_url=url)

    env = {k: v for k, v in os.environ.items() if k not in KEYS}
    env.update(DJANGO_SETTINGS_MODULE="gridgov.settings", DEBUG="0", DATABASE_URL=url)
    env.pop("REDIS_URL", None)
    for line in keys.read_text().splitlines():
        key, value = line.split("=", 1)
        env[key] = shlex.split(value)[0] if value else ""
    verified = _manage("audit_verify", env=env)
    assert verified.returncode == 0, verified.stderr
    assert f"{AuditEntry.objects.count()} entries" in verified.stdout
    read = _manage("shell", "-c", READ, env=env)
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout.splitlines()[-1]) == before  # after whatever the apps print at start

    without_keys = _manage("audit_verify", env={k: v for k, v in env.items() if k not in KEYS})
    assert without_keys.returncode != 0 and "SECRET_KEY" in without_keys.stderr


def test_backup_keeps_the_keys_out_of_the_dumps_directory_and_restore_refuses_a_database_in_use(tmp_path):
    with pytest.raises(CommandError, match="dump's directory"):
        call_command("backup_database", str(tmp_path / "a.dump"), keys=str(tmp_path / "keys.env"))
    assert not (tmp_path / "a.dump").exists()
    call_command("backup_database", str(tmp_path / "b.dump"))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_database", str(tmp_path / "b.dump"))
