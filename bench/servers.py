"""Servers and processes a benchmark starts on loopback and stops afterwards, shared by the load
test (bench/load/run.py) and the benchmark (bench/run.py)."""

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]


def step(title: str) -> None:
    print(f"== {title}", flush=True)


def environment(database_url: str, redis_url: str, **overrides: str) -> dict:
    """Production settings on loopback: throwaway keys, plain HTTP (so cookies without Secure),
    and 127.0.0.1 as the trusted proxy whose X-Forwarded-For names each resident. `overrides`
    replace any of them (keys that must read data written before)."""

    def key() -> str:
        return secrets.token_urlsafe(50)

    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": key(),
        "FIELD_ENCRYPTION_SALT": key(),
        "BLIND_INDEX_KEY": key(),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "TRUSTED_PROXIES": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


@contextlib.contextmanager
def postgres(port: int):
    """A throwaway cluster, started the way .ci/run starts one (as the postgres user)."""
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
    data = Path(tempfile.mkdtemp(prefix="gridgov-load-pg."))
    shutil.chown(data, "postgres")

    def as_postgres(command: str) -> None:
        subprocess.run(["su", "postgres", "-c", command], check=True, stdout=subprocess.DEVNULL)

    as_postgres(f"{pg_bin}/initdb -D {data} -A trust -U postgres -E UTF8 --no-locale")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k /tmp -c fsync=off"
    as_postgres(f"{pg_bin}/pg_ctl -D {data} -l {data}/log -w -o '{options}' start")
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        as_postgres(f"{pg_bin}/pg_ctl -D {data} -m fast stop")
        shutil.rmtree(data, ignore_errors=True)


@contextlib.contextmanager
def redis(port: int):
    subprocess.run(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--daemonize", "yes"],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], check=False, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def fresh_database(server_url: str):
    """A database of the load test's own on the server, dropped afterwards."""
    parts = urlsplit(server_url)
    name = f"gridgov_load_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def process(command: list[str], env: dict, log: Path):
    """The command running in the repository with its output in `log`; stopped with SIGTERM after."""
    with log.open("w") as output:
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            yield child
        finally:
            child.send_signal(signal.SIGTERM)  # gunicorn and Celery both finish what they hold first
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def wait_until_up(url: str, seconds: int = 300) -> None:
    # Generous: on a busy machine the workers' first request (importing the app) took over 10 s.
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=60):  # noqa: S310 (loopback, our own URL)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
