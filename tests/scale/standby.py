"""A streaming-replication standby of the test's PostgreSQL server, on loopback, for one test.

`pg_basebackup -R` copies the primary's cluster (the test database included) into a temporary
directory and writes the standby's connection back to the primary; the standby is then started
on a free port and follows the primary's WAL. Needs the PostgreSQL binaries of the primary's major
version and a primary that accepts replication connections from 127.0.0.1 (initdb's default
pg_hba.conf does, with trust); the test skips with the reason when either is missing.
"""

import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg


def binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup"))
    if found:
        return found[-1].parent
    on_path = shutil.which("pg_basebackup")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        command = ["su", "postgres", "-c", shlex.join(command)]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120, **kwargs)


@dataclass
class Standby:
    port: int
    directory: Path
    bin: Path

    def connect(self, dbname: str) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True)

    def stop(self) -> None:
        _run([str(self.bin / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(self.directory, ignore_errors=True)


def start(primary: dict, bin: Path) -> Standby:
    """`primary` is a Django settings_dict; the standby serves the same databases, read-only."""
    directory = Path(tempfile.mkdtemp(prefix="gridgov-standby-"))
    data = directory / "data"
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    port = _free_port()
    _run(
        [
            str(bin / "pg_basebackup"),
            *("-h", primary["HOST"] or "127.0.0.1", "-p", str(primary["PORT"] or 5432)),
            *("-U", primary["USER"] or "postgres", "-D", str(data)),
            *("-R", "-X", "stream", "-c", "fast"),
        ],
        env={**os.environ, "PGPASSWORD": primary["PASSWORD"] or ""},
    )
    # A hot standby refuses to start with fewer connections than its primary allows, and a primary
    # given max_connections on its command line (not in the file the base backup copies) has more.
    with psycopg.connect(
        host=primary["HOST"] or "127.0.0.1",
        port=primary["PORT"] or 5432,
        user=primary["USER"] or "postgres",
        password=primary["PASSWORD"] or None,
        dbname="postgres",
    ) as conn:
        connections = conn.execute("SHOW max_connections").fetchone()[0]
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {directory} -c hot_standby=on -c fsync=off"
        f" -c max_connections={connections}"
    )
    _run([str(bin / "pg_ctl"), "-D", str(data), "-l", str(directory / "log"), "-w", "-o", options, "start"])
    return Standby(port=port, directory=directory, bin=bin)


def wait_for_replay(primary_cursor, standby: psycopg.Connection, timeout: float = 30) -> None:
    """Until the standby has replayed everything the primary had written when this was called."""
    primary_cursor.execute("SELECT pg_current_wal_lsn()")
    target = primary_cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        caught_up = standby.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]
        if caught_up:
            return
        time.sleep(0.05)
    raise TimeoutError(f"the standby did not replay up to {target} in {timeout} s")
