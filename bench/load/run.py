"""The load test in one command: fresh PostgreSQL database, the demo, gunicorn, a Celery worker,
Locust headless for a bounded time, then the checker. Exit code 0 only if all of it held.

Run (as root, like .ci/run: it starts its own PostgreSQL and Redis on loopback):

    uv run python bench/load/run.py                        # 100 users, two minutes
    uv run python bench/load/run.py --users 10 --duration 15s

or against servers already running (it creates, and afterwards drops, a database of its own):

    uv run python bench/load/run.py --database-url postgres://postgres@127.0.0.1:5432/x --redis-url redis://…

Everything it writes (logs, Locust's CSV, the ledger, figures.md) goes under --out.
"""

import argparse
import contextlib
import csv
import datetime
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description="GridGov's load test (docs/load-test.md)")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second (default 5)")
    parser.add_argument("--duration", default="2m", help="Locust's --run-time (default 2m)")
    parser.add_argument("--per-role", type=int, default=40, help="load-test accounts per staff role")
    parser.add_argument("--database-url", help="a PostgreSQL server to use instead of starting one")
    parser.add_argument("--redis-url", help="a Redis to use instead of starting one")
    parser.add_argument("--pg-port", type=int, default=55433)
    parser.add_argument("--redis-port", type=int, default=56380)
    parser.add_argument("--http-port", type=int, default=8433)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "load" / f"{datetime.datetime.now():%Y%m%d-%H%M%S}")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        database_url = args.database_url or stack.enter_context(postgres(args.pg_port))
        redis_url = args.redis_url or stack.enter_context(redis(args.redis_port))
        env = environment(stack.enter_context(fresh_database(database_url)), redis_url)
        return load_test(args, env)


def load_test(args, env: dict) -> int:
    out = args.out
    step("migrate, load the demo and the load-test accounts")
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["load_demo", "--no-progress"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    plan = out / "plan.json"
    subprocess.run(
        [*manage, "load_test_users", "--per-role", str(args.per_role), "--plan", str(plan)],
        cwd=ROOT,
        env=env,
        check=True,
    )

    gunicorn_log, ledger = out / "gunicorn.log", out / "ledger.jsonl"
    ledger.unlink(missing_ok=True)
    bind = f"127.0.0.1:{args.http_port}"
    # The app stops (the worker finishing its task) before the checker reads the database.
    with contextlib.ExitStack() as app:
        step("gunicorn and one Celery worker")
        app.enter_context(
            process([sys.executable, "-m", "gunicorn", "gridgov.wsgi", "--bind", bind], env, gunicorn_log)
        )
        worker = [sys.executable, "-m", "celery", "-A", "gridgov", "worker", "--concurrency", "1", "--loglevel", "info"]
        app.enter_context(process(worker, env, out / "celery.log"))
        wait_until_up(f"http://{bind}/accounts/login/")

        step(f"Locust: {args.users} users for {args.duration}")
        locust = subprocess.run(
            [
                sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
                "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.duration,
                "--host", f"http://{bind}", "--csv", str(out / "locust"), "--only-summary", "--stop-timeout", "10",
            ],
            cwd=ROOT,
            env={**env, "LOAD_PLAN": str(plan), "LOAD_LEDGER": str(ledger)},
            stdout=(out / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
            check=False,
        )  # fmt: skip

    step("checker")
    checker = subprocess.run(
        [sys.executable, str(HERE / "check.py"), str(ledger), "--access-log", str(gunicorn_log)],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    figures = write_figures(args, out, checker.stdout)
    print(figures)
    if locust.returncode:
        print(f"Locust counted failures (exit {locust.returncode}): see {out / 'locust_failures.csv'}")
    return 1 if locust.returncode or checker.returncode else 0


def step(title: str) -> None:
    print(f"== {title}", flush=True)


def environment(database_url: str, redis_url: str) -> dict:
    """Production settings on loopback: throwaway keys, plain HTTP (so cookies without Secure),
    and 127.0.0.1 as the trusted proxy whose X-Forwarded-For names each resident."""

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


def write_figures(args, out: Path, checker_output: str) -> str:
    """A Markdown table of Locust's figures per kind of request, the checker's verdict and the machine."""
    with (out / "locust_stats.csv").open() as stats:
        rows = list(csv.DictReader(stats))
    now = datetime.datetime.now(datetime.UTC)
    lines = [
        f"{args.users} users, {args.duration}, spawn rate {args.spawn_rate}/s — {now:%Y-%m-%d %H:%M} UTC",
        "",
        "| request | count | failures | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        lines.append(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | {float(row['Requests/s']):.1f} "
            f"| {row['50%']} | {row['95%']} | {row['99%']} |"
        )
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    lines += [
        "",
        "```",
        checker_output.strip(),
        "```",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"load average after the run {load}; Python {platform.python_version()}.",
    ]
    text = "\n".join(lines) + "\n"
    (out / "figures.md").write_text(text)
    return text


if __name__ == "__main__":
    sys.exit(main())
