"""A plain pg_dump of the database after the demo loads (and after a day's searches, a reveal, a
mistyped sign-in and the sweep's notifications) holds no citizen ID, phone or full birth date.

The demo is loaded by the real commands in a database of the test's own, so the dump sees committed
rows exactly as an operator's backup would. It takes minutes: PostgreSQL only, like the backups.
"""

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlunsplit

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from stdnum.cn import ric

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a pg_dump needs PostgreSQL"),
    pytest.mark.postgres,
]

SCAN_DB = "gridgov_dump_scan"
# Boundaries are letters and digits, not \b: hex hashes and Fernet tokens hold digit runs that
# would otherwise read as numbers. The ID's checksum (GB 11643, via python-stdnum) cuts case
# numbers and other 18-digit codes; the values themselves are also searched for exactly, below.
CITIZEN_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86)?1[3-9]\d{9}(?![0-9A-Za-z])")
WATCHED_TABLES = ("core_auditentry", "core_usersession", "cases_notification")


def _pg_dump() -> str:
    """The client of the server's major version (pg_dump refuses a newer server)."""
    with psycopg.connect(_url("postgres")) as admin:
        major = admin.info.server_version // 10000
    candidate = Path(f"/usr/lib/postgresql/{major}/bin/pg_dump")
    found = str(candidate) if candidate.exists() else shutil.which("pg_dump")
    if found is None:
        pytest.skip("pg_dump is not installed")
    return found


def _url(dbname: str) -> str:
    db = settings.DATABASES["default"]
    netloc = f"{db['USER']}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}@{db['HOST']}:{db['PORT']}"
    return urlunsplit(("postgres", netloc, f"/{dbname}", "", ""))


def _admin(sql: str) -> None:
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(sql)


class _Dump:
    """The dump and the values to look for; its repr stays quiet, because pytest prints a failing
    test's arguments and these are full of (fictional) IDs and phones."""

    def __init__(self, text: str, values: dict):
        self.text, self.values = text, values

    def __repr__(self) -> str:
        return f"<pg_dump of {len(self.text)} characters, {len(self.values['residents'])} residents>"


@pytest.fixture
def demo_dump(tmp_path) -> _Dump:
    _admin(f"DROP DATABASE IF EXISTS {SCAN_DB} WITH (FORCE)")
    _admin(f"CREATE DATABASE {SCAN_DB}")
    values = tmp_path / "values.json"
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env |= {"DATABASE_URL": _url(SCAN_DB), "DEBUG": "1", "DUMP_SCAN_VALUES": str(values)}
    script = (Path(__file__).parent / "dump_scan_world.py").read_text()
    try:
        for command in (["migrate", "-v0"], ["load_demo", "--no-progress", "-v0"], ["shell", "-c", script]):
            run = subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            assert run.returncode == 0, f"{command[0]}: {run.stderr[-3000:]}"
        dump = subprocess.run(
            [_pg_dump(), "--format=plain", "--dbname", _url(SCAN_DB)], capture_output=True, text=True, check=True
        ).stdout
    finally:
        _admin(f"DROP DATABASE IF EXISTS {SCAN_DB} WITH (FORCE)")
    return _Dump(dump, json.loads(values.read_text()))


def _tables(dump: str) -> dict[str, list[str]]:
    """The data lines of each table's COPY block."""
    tables, current = {}, None
    for line in dump.splitlines():
        if current is None:
            match = re.match(r"COPY public\.(\w+) ", line)
            if match:
                current = match.group(1)
                tables[current] = []
        elif line == "\\.":
            current = None
        else:
            tables[current].append(line)
    return tables


def _hits(tables: dict[str, list[str]], find) -> dict[str, int]:
    """How many lines of each table `find` flags: counts and table names only, so a failure does not
    print the personal data it found."""
    counted = {name: sum(1 for line in lines if find(line)) for name, lines in tables.items()}
    return {name: n for name, n in counted.items() if n}


def test_a_dump_after_the_demo_loads_holds_no_id_phone_or_birth_date(demo_dump):
    tables, values = _tables(demo_dump.text), demo_dump.values
    residents = values["residents"]
    assert len(residents) > 1000 and tables["grids_resident"]
    for name in WATCHED_TABLES:
        assert tables[name], f"{name} is empty: the scan would prove nothing about it"

    assert _hits(tables, lambda line: any(ric.is_valid(m) for m in CITIZEN_ID.findall(line))) == {}
    assert _hits(tables, MOBILE.search) == {}

    numbers = {r["citizen_id"] for r in residents}
    phones = {p for r in residents if r["phone"] for p in (r["phone"], r["phone"].removeprefix("+86"))}
    phones |= {p for phone in values["reporter_phones"] for p in (phone, phone.removeprefix("+86"))}
    exact = re.compile("|".join(re.escape(v) for v in sorted(numbers | phones, key=len, reverse=True)))
    assert _hits(tables, exact.search) == {}

    # A birth date next to its person: on the resident's own row, or on any line naming them.
    births: dict[str, set[str]] = {}
    for r in residents:
        born = datetime.date.fromisoformat(r["birth"])
        births.setdefault(r["name"], set()).update({born.isoformat(), f"{born:%Y%m%d}"})
    names = re.compile("|".join(re.escape(name) for name in sorted(births, key=len, reverse=True)))

    def birth_near_name(line: str) -> bool:
        return any(form in line for name in names.findall(line) for form in births[name])

    assert _hits(tables, birth_near_name) == {}
    own_row = {str(r["pk"]): r for r in residents}
    assert sum(1 for line in tables["grids_resident"] if own_row[line.split("\t", 1)[0]]["birth"] in line) == 0
