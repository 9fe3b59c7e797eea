"""The benchmark's paths over one generated city, and what is measured in-process.

Run by bench/run.py in a child process whose environment names the database
(`python bench/paths.py PLAN.json [--skip-once]`). It picks the same places at every scale (the
first community of the first district by code, its street, its grid), signs a test client in
for each role, and writes the plan: per path the request wrk sends (with the session cookie),
its queries per request and its in-process SQL and Python time through the test client, and
the figures timed once here (the deadline sweep, a district budget run), each inside a
transaction that is rolled back, so the city is the same afterwards.
"""

import datetime
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")

import django

django.setup()

from bench_urls import BARE  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases import sweep  # noqa: E402
from cases.models import Case, CaseEvent, Category, Status  # noqa: E402
from core.scope import SYSTEM  # noqa: E402
from funding import services as funding_services  # noqa: E402
from grids.models import Area, AreaKind, Household, Resident  # noqa: E402
from orgs import services as org_services  # noqa: E402
from orgs.models import Post, Role  # noqa: E402
from tests.sign_in import force_login_verified  # noqa: E402

REPEAT = 5
DEEP_PAGES = 20  # the deep cursor page: 20 pages of 50 in (the 1,001st case onwards)
SIGN_POOL = 2000
WHY = "the benchmark picks its places and cases across the whole city"
# The dashboard as one leader opening it sees it: one connection, no queue in front of it.
ALONE = "leader's dashboard at one connection"
# The sweep's next run after the first: beat runs it every five minutes.
NEXT_SWEEP = datetime.timedelta(minutes=5)


def unscoped(model):
    manager = model.objects
    return manager.unscoped(WHY) if hasattr(manager, "unscoped") else manager.all()


class Session:
    """A signed-in test client and the cookie header wrk sends for the same session."""

    def __init__(self, username: str):
        self.user = get_user_model().objects.get(username=username)
        self.client = force_login_verified(Client(), self.user)
        self.csrf = _get_new_csrf_string()
        session = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        self.cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={self.csrf}"


class Anonymous:
    """The bare view's caller: no session, so no middleware reads the database."""

    user, cookie, csrf = None, "", ""

    def __init__(self):
        self.client = Client()


def places() -> dict:
    district = unscoped(Area).filter(kind=AreaKind.DISTRICT).order_by("code").first()
    community = unscoped(Area).filter(kind=AreaKind.COMMUNITY, tree_id=district.tree_id).order_by("code").first()
    grid = unscoped(Area).filter(kind=AreaKind.GRID, parent=community).order_by("code").first()

    def holder(area, prefix):
        return (
            unscoped(Post)
            .filter(area=area, user__username__startswith=prefix)
            .values_list("user__username", flat=True)[0]
        )

    # The department with the most cases waiting to be signed in the district: its officer.
    busiest = (
        unscoped(Case)
        .filter(district=district, status=Status.DISPATCHED)
        .values("department")
        .annotate(n=Count("id"))
        .order_by("-n", "department")
        .first()
    )
    officer = unscoped(Post).filter(department_id=busiest["department"], user__isnull=False).order_by("pk").first()
    return {
        "district": district,
        "community": community,
        "grid": grid,
        "department": busiest["department"],
        "users": {
            "grid": holder(grid, "city-grid-"),
            "community": holder(community, "city-community-"),
            "street": holder(community.parent, "city-street-"),
            "district": holder(district, "city-district-"),
            "leader": holder(district, "city-leader-"),
            "officer": officer.user.username,
        },
    }


def deep_cursor(session: Session) -> str:
    url = "/api/v1/cases/"
    for _ in range(DEEP_PAGES):
        url = session.client.get(url, headers={"accept": "application/json"}).json()["next"]
    return url.split("testserver", 1)[1]


def measure(session: Session, method: str, url: str, body: str | None, key: bool) -> dict:
    """Median in-process time of REPEAT requests through the test client, split into SQL and the rest."""

    def send(target: str):
        headers = {"accept": "application/json" if "/api/" in target else "text/html"}
        if key:
            headers["idempotency-key"] = str(uuid.uuid4())
        if method == "GET":
            return session.client.get(target, headers=headers)
        return session.client.post(target, data=body or "{}", content_type="application/json", headers=headers)

    urls = [entry[0] for entry in url] if isinstance(url, list) else [url] * (REPEAT + 1)
    send(urls[0])  # warm: imports, the scope's first read, the page cache of PostgreSQL
    walls, sqls, counts, statuses = [], [], set(), set()
    for target in urls[1 : REPEAT + 1]:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = send(target)
            wall = time.perf_counter() - start
        statuses.add(response.status_code)
        counts.add(len(queries.captured_queries))
        walls.append(wall * 1000)
        sqls.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    wall, sql = statistics.median(walls), statistics.median(sqls)
    return {"queries": sorted(counts), "sql_ms": sql, "python_ms": wall - sql, "status": sorted(statuses)}


def report_body(grid: Area) -> str:
    """What the grid worker reports: a case at the grid's first building."""
    building = (
        unscoped(Area).filter(parent=grid, kind=AreaKind.BUILDING).order_by("code").values_list("pk", flat=True)[0]
    )
    category = unscoped(Category).filter(children__isnull=True).order_by("pk").values_list("pk", flat=True)[0]
    return json.dumps({"category": category, "area": building, "description": "基准测试上报", "source": "grid_patrol"})


def audit_lock_held(where: dict) -> float:
    """How long a case's creation holds the audit chain's lock, in-process (median ms, from taking
    it to the answer): every write in the city waits that long for each one before it, so one
    PostgreSQL takes at most 1,000 / this many writes a second, however many machines serve."""
    session = Session(where["users"]["grid"])
    body, taken, held = report_body(where["grid"]), [], []

    def note_the_lock(execute, sql, params, many, context):
        if "pg_advisory_xact_lock" in sql:
            taken.append(time.perf_counter())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note_the_lock):
        for _ in range(REPEAT + 1):
            taken.clear()
            headers = {"accept": "application/json", "idempotency-key": str(uuid.uuid4())}
            session.client.post("/api/v1/cases/", data=body, content_type="application/json", headers=headers)
            held.append((time.perf_counter() - taken[0]) * 1000)
    return statistics.median(held[1:])


def paths(where: dict) -> list[dict]:
    users = where["users"]
    sessions = {role: Session(name) for role, name in users.items()} | {None: Anonymous()}
    community, grid = where["community"], where["grid"]
    # The community's case with the longest timeline, up to the 16 events the issue measured.
    detail = (
        unscoped(CaseEvent)
        .filter(case__community=community)
        .values("case")
        .annotate(n=Count("id"))
        .filter(n__lte=16)
        .order_by("-n", "-case")
        .first()["case"]
    )
    household = (
        unscoped(Household)
        .filter(building__parent=grid)
        .annotate(n=Count("residents"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[0]
    )
    report = report_body(grid)
    # Every department's waiting cases in the district, each signed by that department's officer.
    prefix = users["officer"].rsplit("-", 1)[0] + "-"
    officers = unscoped(Post).filter(user__username__startswith=prefix, department__isnull=False)
    signers = {post.department_id: Session(post.user.username) for post in officers.select_related("user")}
    waiting = unscoped(Case).filter(district=where["district"], status=Status.DISPATCHED, department__in=list(signers))
    pool = [
        (f"/api/v1/cases/{pk}/sign/", signers[department].cookie, signers[department].csrf)
        for pk, department in waiting.order_by("pk").values_list("pk", "department")[:SIGN_POOL]
    ]
    if len(pool) < 4 * (REPEAT + 1):  # the in-process signs take REPEAT + 1; wrk needs the rest
        raise SystemExit(
            f"only {len(pool)} cases wait to be signed in {where['district'].name}: every run signs up to "
            f"{SIGN_POOL}; load this database again (load_city) before the next run"
        )
    defined = [
        ("bare view (no database)", None, "GET", BARE, None),
        ("case list API, community", "community", "GET", "/api/v1/cases/", None),
        ("case list API, street", "street", "GET", "/api/v1/cases/", None),
        ("case list API, district", "district", "GET", "/api/v1/cases/", None),
        ("case list API, community, deep page", "community", "GET", deep_cursor(sessions["community"]), None),
        ("case list API, street, deep page", "street", "GET", deep_cursor(sessions["street"]), None),
        ("case list API, district, deep page", "district", "GET", deep_cursor(sessions["district"]), None),
        ("department inbox page", "officer", "GET", reverse("cases:queue", args=["inbox"]), None),
        ("community case list page", "community", "GET", reverse("cases:list"), None),
        ("case detail with its timeline", "community", "GET", reverse("cases:detail", args=[detail]), None),
        *((f"workbench, {role}", role, "GET", reverse("home"), None) for role in users),
        ("household list page", "community", "GET", reverse("grids:household_list"), None),
        ("resident list page", "community", "GET", reverse("grids:resident_list"), None),
        ("notifications page", "community", "GET", reverse("cases:notifications"), None),
        ("area tree, district", "district", "GET", reverse("grids:tree"), None),
        ("household card", "grid", "GET", reverse("grids:household", args=[household]), None),
        ("visits due list page", "grid", "GET", reverse("cases:visits_due"), None),
        ("leader's dashboard", "leader", "GET", reverse("cases:dashboard"), None),
        (ALONE, "leader", "GET", reverse("cases:dashboard"), None),
        ("ranking", "leader", "GET", reverse("cases:ranking"), None),
        ("service hall requests list page", "community", "GET", reverse("hall:request_list"), None),
        ("yearly evaluation ranking, street", "street", "GET", reverse("appraisal:ranking"), None),
        # 一张图 of the whole district, zoomed out (every grid's outline, the cases in clusters), and
        # a grid worker's close in (the boundary, the buildings, each case).
        ("map: grids by open cases, district", "district", "GET", "/map/grids/?zoom=11&measure=open", None),
        ("map: grids by party coverage, district", "district", "GET", "/map/grids/?zoom=11&measure=party", None),
        ("map: case clusters, district", "district", "GET", "/map/cases/?zoom=11", None),
        ("map: grids, grid worker", "grid", "GET", "/map/grids/?zoom=16&measure=open", None),
        ("map: buildings, grid worker", "grid", "GET", "/map/buildings/?zoom=17", None),
        ("map: cases, grid worker", "grid", "GET", "/map/cases/?zoom=17", None),
        ("create a case (API POST)", "grid", "POST", "/api/v1/cases/", report),
        ("sign a case (API POST)", "officer", "POST", pool, "{}"),
    ]
    plan = []
    for name, role, method, url, body in defined:
        session = sessions[role]
        keyed = name.startswith("create")
        if isinstance(url, list):  # one client per department: the in-process signs go to the first's cases
            first = pool[0][1]
            session = next(s for s in signers.values() if s.cookie == first)
            url = [entry for entry in url if entry[1] == first][: REPEAT + 1] + [e for e in url if e[1] != first]
        figures = measure(session, method, url, body, keyed)
        if isinstance(url, list):
            url = url[REPEAT + 1 :]  # the ones signed in-process are gone from the pool
        plan.append(
            {
                "name": name,
                "user": users.get(role, "(anonymous)"),
                "method": method,
                "urls": url if isinstance(url, list) else [(url, session.cookie, session.csrf)],
                "pool": isinstance(url, list),
                "body": body,
                "keyed": keyed,
                **({"connections": 1} if name == ALONE else {}),
                **figures,
            }
        )
    return plan


class Rollback(Exception):
    pass


def timed_and_undone(fn) -> tuple[float, object]:
    """`fn`'s time, its writes rolled back. Its foreign keys are checked as it writes, not at a
    commit that never comes (Django's are deferred): a rolled-back sweep would leave out the
    checks of the 200,000 rows it writes on the city, about a fifth of its time."""
    result = None
    start = time.perf_counter()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            result = fn()
            seconds = time.perf_counter() - start
            raise Rollback
    except Rollback:
        pass
    return seconds, result


def once(where: dict) -> dict:
    now = timezone.now()
    open_cases = unscoped(Case).exclude(status__in=[Status.CLOSED, Status.REJECTED]).count()
    pending = unscoped(Case).filter(sweep.pending_q(now)).count()
    read, _ = timed_and_undone(lambda: list(unscoped(Case).filter(sweep.pending_q(now)).values_list("pk", "number")))
    swept, counts = timed_and_undone(lambda: sweep.sweep_deadlines(now))

    def first_then_next():
        sweep.sweep_deadlines(now)
        start = time.perf_counter()
        counts = sweep.sweep_deadlines(now + NEXT_SWEEP)
        return time.perf_counter() - start, counts

    _both, (next_swept, next_counts) = timed_and_undone(first_then_next)

    def budget():
        # The city has no 财政 account: one appointed for the run, rolled back with it.
        finance = get_user_model().objects.create_user(username="bench-finance")
        post = Post(user=finance, role=Role.FINANCE_OFFICER, area=where["district"], start=now.date())
        org_services.appoint(actor=SYSTEM, post=post)
        run = funding_services.start_budget_run(actor=finance, year=now.year, area=where["district"])
        funding_services.compute_budget_run(run.pk, actor=finance)
        return run.pk

    budget_seconds, _ = timed_and_undone(budget)
    return {
        "open_cases": open_cases,
        "sweep_pending": pending,
        "sweep_read_s": read,
        "sweep_s": swept,
        "sweep_counts": counts,
        "next_sweep_s": next_swept,
        "next_sweep_counts": next_counts,
        "budget_s": budget_seconds,
    }


def main() -> None:
    out = Path(sys.argv[1])
    where = places()
    plan = {
        "places": {k: where[k].name for k in ("district", "community", "grid")} | {"users": where["users"]},
        "size": {
            "cases": unscoped(Case).count(),
            "events": unscoped(CaseEvent).count(),
            "residents": unscoped(Resident).count(),
            "households": unscoped(Household).count(),
        },
        "paths": paths(where),
        "audit_lock_ms": audit_lock_held(where),
    }
    if "--skip-once" not in sys.argv:
        plan["once"] = once(where)
    out.write_text(json.dumps(plan, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
