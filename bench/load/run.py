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
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from servers import environment, fresh_database, postgres, process, redis, step, wait_until_up  # noqa: E402


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
