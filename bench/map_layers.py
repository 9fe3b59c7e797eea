"""一张图's figure (issue 17): the map's data for a district of 3,000 grids and 100,000 open cases
loads in under 1 s. Each layer's request is timed in-process through the test client (median of
5 after a warm-up), as the district's staff, zoomed out on the whole district.

Run: [DATABASE_URL=postgres://…] uv run python bench/map_layers.py

Builds the city plan `district-map` (demo/city/plan.py) with load_city on a fresh test database
(SQLite unless DATABASE_URL names a server) and drops it afterwards.
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

REPEAT = 5
TARGET_S = 1.0
# What the page asks for when it opens on the whole district (zoomed out) and on one grid.
LAYERS = [
    ("grids, by open cases", "/map/grids/?zoom=11&measure=open"),
    ("grids, by overdue cases", "/map/grids/?zoom=11&measure=overdue"),
    ("grids, per 1,000 residents", "/map/grids/?zoom=11&measure=per_thousand"),
    ("grids, by key groups", "/map/grids/?zoom=11&measure=key_groups"),
    ("grids, by party coverage", "/map/grids/?zoom=11&measure=party"),
    ("case clusters", "/map/cases/?zoom=11"),
    ("case clusters, last 7 days", "/map/cases/?zoom=11&period=7"),
    ("buildings (zoomed out: none)", "/map/buildings/?zoom=11"),
]

OPENING = ("grids, by open cases", "case clusters", "buildings (zoomed out: none)")


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from testdb import fresh_database

    from cases.models import OPEN, Case
    from demo.city import load_city
    from grids.models import Area, AreaKind
    from tests.sign_in import force_login_verified

    with fresh_database():
        started = time.perf_counter()
        load_city(scale="district-map", today=datetime.date(2026, 12, 1), progress=False)
        print(f"database: {connection.vendor}; city loaded in {time.perf_counter() - started:.0f} s")
        grids = Area.objects.unscoped("the benchmark counts").filter(kind=AreaKind.GRID).count()
        open_cases = Case.objects.unscoped("the benchmark counts").filter(status__in=sorted(OPEN)).count()
        print(f"grids: {grids:,}; open cases: {open_cases:,}")
        client = force_login_verified(Client(), User.objects.get(username="city-district-1"))
        print("| layer | queries | median ms | bytes | under 1 s |")
        print("|---|---:|---:|---:|---|")
        medians = {}
        for name, url in LAYERS:
            client.get(url)  # warm
            walls, counts = [], set()
            for _ in range(REPEAT):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    walls.append(time.perf_counter() - start)
                counts.add(len(queries.captured_queries))
            assert response.status_code == 200, (url, response.status_code)
            wall = medians[name] = statistics.median(walls)
            counts_text = "/".join(str(n) for n in sorted(counts))
            verdict = "met" if wall < TARGET_S else "**missed**"
            print(f"| {name} | {counts_text} | {wall * 1000:,.0f} | {len(response.content):,} | {verdict} |")
        # Opening, the page fetches three layers at once: the grids by the first measure, the cases, the buildings.
        opening = sum(medians[name] for name in OPENING)
        print(f"the map opening (its three layers, one after another): {opening * 1000:,.0f} ms")


if __name__ == "__main__":
    main()
