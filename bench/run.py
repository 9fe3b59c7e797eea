"""The benchmark in one command (docs/benchmarks.md): gunicorn over a generated city, wrk on each
hot path, the figures against the issue's targets. Run by hand, never in CI.

    uv run python bench/run.py --database-url postgres://postgres@127.0.0.1:5441/city \\
        --compare-url postgres://postgres@127.0.0.1:5441/city_tenth [--seconds 10] [--paths a,b] \\
        [--out docs/benchmarks.md] [--logs DIR]

The databases hold `manage.py load_city` data written with the bench's keys (BENCH_KEYS below);
`--generate city` (or city-tenth) migrates an empty database and loads it first. Per database:
bench/paths.py picks the places, signs in each role and counts queries in-process; then
gunicorn (gunicorn.conf.py, 2 workers, DEBUG=0, bench_settings: the production settings and the
bare view) serves each path to wrk at 16 connections, after a warm-up, and the workers' RSS is
sampled throughout. Writes go to the database for good (cases created, cases signed); the sweep
and the budget run are rolled back.
"""

import argparse
import contextlib
import datetime
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402
from servers import ROOT, environment, process, redis, step, wait_until_up  # noqa: E402

# Not secrets: they only have to be the same when the city is generated and when it is served.
BENCH_KEYS = {
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
    "FIELD_ENCRYPTION_SALT": "bench-only-field-salt-not-for-production-0123",
    "BLIND_INDEX_KEY": "bench-only-blind-index-key-not-for-production-01",
}
CONNECTIONS = 16
WARM_UP_SECONDS = 2
WORKERS = 2
# Gunicorn leaves each connection to whichever worker accepts it first, and a gthread worker
# accepts every connection waiting, busy or not: wrk's 16 keep-alive connections often all landed
# on one worker, and such a run measured one core of two. Capping each worker at its share of the
# connections (--worker-connections) splits them evenly; the report shows the split it got.
WORKER_CONNECTIONS = CONNECTIONS // WORKERS

LUA = """
local entries = __ENTRIES__
local method, body, keyed, pool = "__METHOD__", __BODY__, __KEYED__, __POOL__
local i = 0
math.randomseed(os.time())
bad = 0  -- a global: done() reads it from each thread
request = function()
  i = i + 1
  if pool and i > #entries then wrk.thread:stop() end
  local entry = entries[((i - 1) % #entries) + 1]
  local headers = {["Cookie"] = entry[2], ["Accept"] = entry[1]:find("/api/") and "application/json" or "text/html"}
  if method == "POST" then
    headers["Content-Type"] = "application/json"
    headers["X-CSRFToken"] = entry[3]  -- each session's own token: the one in its cookie
  end
  if keyed then  -- a fresh UUID each time (the API refuses any other key): a new report each
    headers["Idempotency-Key"] = string.format("%08x-%04x-4%03x-a%03x-%04x%08x", math.random(0, 0x7fffffff),
      math.random(0, 0xffff), math.random(0, 0xfff), math.random(0, 0xfff), math.random(0, 0xffff), i)
  end
  return wrk.format(method, entry[1], headers, body)
end
response = function(status, headers, response_body)
  if status >= 300 then bad = bad + 1 end
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local rejected = 0
  for _, thread in ipairs(threads) do rejected = rejected + thread:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "bad": %d, "errors": %d, '
    .. '"mean": %f, "p50": %f, "p95": %f, "p99": %f}\\n',
    summary.requests, summary.duration, rejected, e.connect + e.read + e.write + e.timeout, latency.mean,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def lua_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string literal is a Lua string literal here


def script(path: dict) -> str:
    entries = "{" + ", ".join("{" + ", ".join(map(lua_string, entry)) + "}" for entry in path["urls"]) + "}"
    values = {
        "__METHOD__": path["method"],
        "__BODY__": lua_string(path["body"]) if path["body"] else "nil",
        "__KEYED__": "true" if path["keyed"] else "false",
        "__POOL__": "true" if path["pool"] else "false",
        "__ENTRIES__": entries,  # last: a cookie or a path never holds another placeholder
    }
    text = LUA
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def wrk(base: str, path: dict, seconds: float, work: Path) -> dict:
    lua = work / "path.lua"
    lua.write_text(script(path))
    connections = path.get("connections", CONNECTIONS)
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s", "-s", str(lua), base]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((row for row in done.stdout.splitlines() if row.startswith("RESULT ")), None)
    if done.returncode or line is None:
        raise SystemExit(f"wrk failed on {path['name']}: {done.stdout}{done.stderr}")
    figures = json.loads(line.removeprefix("RESULT "))
    if path["pool"]:
        # wrk stops when the pool is used up but counts the whole duration: Little's law instead.
        figures["rps"] = connections / (figures["mean"] / 1e6) if figures["mean"] else 0
    else:
        figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    for p in ("p50", "p95", "p99"):
        figures[p] /= 1000  # ms
    return figures


def cpu_seconds(workers: list[psutil.Process]) -> dict[int, float]:
    """User and system CPU time of each worker so far; a worker gone is left out."""
    seconds = {}
    for worker in workers:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = worker.cpu_times()
            seconds[worker.pid] = times.user + times.system
    return seconds


def measure(base: str, path: dict, seconds: float, work: Path, workers: list[psutil.Process]) -> dict:
    """wrk on one path, and the busier worker's share of the workers' CPU time meanwhile."""
    before = cpu_seconds(workers)
    load = wrk(base, path, seconds, work)
    used = [after - before.get(pid, after) for pid, after in cpu_seconds(workers).items()]
    load["busier_share"] = max(used) / sum(used) if sum(used) else None  # None: no worker's time was read
    return load


class RssSampler(threading.Thread):
    """The largest resident set of any gunicorn worker (the arbiter's children), once a second."""

    def __init__(self, arbiter: int):
        super().__init__(daemon=True)
        self.arbiter, self.peak_mb, self.running = psutil.Process(arbiter), 0.0, True

    def run(self):
        while self.running:
            for worker in self.arbiter.children():
                with contextlib.suppress(psutil.NoSuchProcess):
                    self.peak_mb = max(self.peak_mb, worker.memory_info().rss / 2**20)
            time.sleep(1)


def bench_database(label: str, env: dict, args, work: Path) -> dict:
    plan_file = work / f"plan-{label}.json"
    # A city generated by older code gets the migrations since (a few columns, never its rows).
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    step(f"{label}: places, sessions, queries per request (in-process)")
    command = [sys.executable, str(HERE / "paths.py"), str(plan_file)]
    subprocess.run(command + ([] if args.once else ["--skip-once"]), cwd=ROOT, env=env, check=True)
    plan = json.loads(plan_file.read_text())
    wanted = set(args.paths.split(",")) if args.paths else None
    bind = f"127.0.0.1:{args.http_port}"
    gunicorn = [sys.executable, "-m", "gunicorn", "gridgov.wsgi", "--workers", str(WORKERS), "--bind", bind,
                "--worker-connections", str(WORKER_CONNECTIONS)]  # fmt: skip
    step(f"{label}: gunicorn and wrk, {args.seconds} s a path")
    with process(gunicorn, env, (args.logs or work) / f"gunicorn-{label}.log") as arbiter:
        wait_until_up(f"http://{bind}/bench/bare/")
        sampler = RssSampler(arbiter.pid)
        sampler.start()
        workers = psutil.Process(arbiter.pid).children()
        for path in plan["paths"]:
            if wanted and path["name"] not in wanted and not path["name"].startswith("bare"):
                continue
            if not path["pool"]:
                wrk(f"http://{bind}", path, WARM_UP_SECONDS, work)
            path["load"] = measure(f"http://{bind}", path, args.seconds, work, workers)
            print(
                f"  {path['name']:<40} {path['load']['rps']:8.1f} req/s  p99 {path['load']['p99']:7.1f} ms"
                f"  busier worker {report.share(path['load']['busier_share'])}",
                flush=True,
            )
        sampler.running = False
        plan["worker_rss_mb"] = sampler.peak_mb
    return plan


def generate(env: dict, scale: str) -> None:
    step(f"migrate and load_city --scale {scale}")
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "load_city", "--scale", scale, "--no-progress"], cwd=ROOT, env=env, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description="GridGov's benchmark (docs/benchmarks.md)")
    parser.add_argument("--database-url", required=True, help="the city (load_city --scale city)")
    parser.add_argument("--compare-url", help="a tenth of it (--scale city-tenth), for the growth table")
    parser.add_argument("--generate", choices=["city", "city-tenth"], help="load --database-url first")
    parser.add_argument("--seconds", type=float, default=10, help="wrk's time on each path (default 10)")
    parser.add_argument("--paths", help="only these paths, by name, comma-separated (and the bare view)")
    parser.add_argument("--no-once", dest="once", action="store_false", help="skip the sweep and the budget run")
    parser.add_argument("--redis-url", help="a Redis to use instead of starting one")
    parser.add_argument("--redis-port", type=int, default=6381)
    parser.add_argument("--http-port", type=int, default=8441)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--logs", type=Path, help="keep gunicorn's logs here (each answer that is not 2xx says why)")
    args = parser.parse_args()
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now(datetime.UTC)
    load_at_start = os.getloadavg()
    with contextlib.ExitStack() as stack, tempfile.TemporaryDirectory(prefix="gridgov-bench.") as work:
        redis_url = args.redis_url or stack.enter_context(redis(args.redis_port))

        def env_for(url: str) -> dict:
            overrides = {**BENCH_KEYS, "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": str(HERE)}
            return environment(url, redis_url, ALLOWED_HOSTS="127.0.0.1,testserver", **overrides)

        if args.generate:
            generate(env_for(args.database_url), args.generate)
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True,
                       env=env_for(args.database_url))  # fmt: skip
        runs = {"city": bench_database("city", env_for(args.database_url), args, Path(work))}
        if args.compare_url:
            runs["tenth"] = bench_database("tenth", env_for(args.compare_url), args, Path(work))
    text = report.markdown(runs, args=args, started=started, load_at_start=load_at_start)
    args.out.write_text(text)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
