"""Is a small community's first page of cases as fast as the district's?

Run: DATABASE_URL=postgres://… uv run python bench/case_list.py [--cases N]

Builds a district of 100 communities on a fresh test database and files N cases over a year, one
community getting only a handful of them. Times the first list page (30 rows, newest first) for
the district, for a busy community and for the small one, through the same selectors the pages
use (the case's own district/community column and its composite index), against a naive subtree
filter through the case's location. Prints each as a ratio to the district's first page, the
plans PostgreSQL chose, and whether the deadline sweep's query uses its partial indexes.
Ratios, not seconds, measured in this one run.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from testdb import fresh_database  # noqa: E402

from cases import metrics, selectors, sweep  # noqa: E402
from cases.models import AWAITING_RESPONSE, COLOUR_OF, WORKING, Case, Category, MetricWeight, Status  # noqa: E402
from core.scope import SYSTEM, Scope  # noqa: E402
from grids import services as grid_services  # noqa: E402
from grids.models import Area, AreaKind, City  # noqa: E402

PAGE = 30
REPEAT = 15
STATUSES = [Status.CLOSED] * 14 + [Status.REPORTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS]


def district() -> Area:
    def node(kind, code, children=()):
        return {"kind": kind, "name": code, "code": code, "children": list(children)}

    streets = [
        node(
            AreaKind.STREET,
            f"S{s}",
            [
                node(
                    AreaKind.COMMUNITY,
                    f"S{s}C{c}",
                    [
                        node(
                            AreaKind.GRID,
                            f"S{s}C{c}G{g}",
                            [node(AreaKind.BUILDING, f"S{s}C{c}G{g}B{b}") for b in range(4)],
                        )
                        for g in range(5)
                    ],
                )
                for c in range(10)
            ],
        )
        for s in range(10)
    ]
    city = City.objects.create(name="bench", code="990800000000")
    grid_services.bulk_create_subtree(actor=SYSTEM, data=node(AreaKind.DISTRICT, "980199000000", streets), city=city)
    return Area.objects.get(code="980199000000")


def file_cases(root: Area, count: int, small: Area) -> None:
    rng = random.Random(7)
    buildings = list(
        Area.objects.filter(tree_id=root.tree_id, kind=AreaKind.BUILDING).select_related("parent__parent__parent")
    )
    others = [b for b in buildings if b.parent.parent_id != small.pk]
    mine = [b for b in buildings if b.parent.parent_id == small.pk]
    leaves = list(Category.objects.filter(children__isnull=True))
    now = timezone.now()
    rows = []
    for n in range(count):
        # The small community gets one case in 2,000, spread over the whole year.
        building = rng.choice(mine) if n % 2000 == 0 else rng.choice(others)
        grid, community = building.parent, building.parent.parent
        importance, urgency = rng.choice(list(COLOUR_OF))
        status = rng.choice(STATUSES)
        created = now - datetime.timedelta(minutes=rng.randrange(365 * 24 * 60))
        due = created + datetime.timedelta(days=rng.randrange(1, 20))
        rows.append(
            Case(
                number=f"B{n:09d}",
                category=rng.choice(leaves),
                area=building,
                district=root,
                street_id=community.parent_id,
                community=community,
                grid=grid,
                source="grid_patrol",
                description="bench",
                importance=importance,
                urgency=urgency,
                colour=COLOUR_OF[(importance, urgency)],
                status=status,
                response_due=due if status in AWAITING_RESPONSE else None,
                resolution_due=due if status in WORKING or status == Status.CLOSED else None,
                response_remind_at=due - datetime.timedelta(hours=6) if status in AWAITING_RESPONSE else None,
                resolution_remind_at=due - datetime.timedelta(days=1) if status in WORKING else None,
                closed_at=due if status == Status.CLOSED else None,
                resolved_at=due if status == Status.CLOSED else None,
                tracking_code=f"T{n:012d}",
                created_at=created,
            )
        )
        if len(rows) == 5000:
            Case.objects.bulk_create(rows)
            rows = []
    Case.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Case._meta.db_table}")


def first_page(qs) -> list[Case]:
    return selectors.keyset_page(selectors.for_list(qs), None, PAGE)[0]


def naive(area: Area):
    """The subtree filter through the case's location, as one would write it without the columns."""
    return Case.objects.filter(area__tree_id=area.tree_id, area__lft__gte=area.lft, area__lft__lte=area.rght)


def timed(fn) -> float:
    fn()  # warm the cache: compare plans, not disk reads
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def plan(qs) -> str:
    return " | ".join(line.strip() for line in qs.explain().splitlines() if "Index" in line or "Scan" in line)[:300]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200_000)
    args = parser.parse_args()
    with fresh_database():
        root = district()
        small = Area.objects.get(code="S9C9")
        busy = Area.objects.get(code="S0C0")
        file_cases(root, args.cases, small)
        in_small = Case.objects.filter(community=small).count()
        print(f"{Case.objects.count()} cases, {in_small} in the small community, {connection.vendor}")

        def scoped(area):
            return selectors.cases(Scope(areas=(area,)))

        base = timed(lambda: first_page(scoped(root)))
        runs = {
            "district, first page": base,
            "busy community, first page": timed(lambda: first_page(scoped(busy))),
            "small community, first page": timed(lambda: first_page(scoped(small))),
            "small community, naive subtree": timed(lambda: first_page(naive(small))),
            "district, naive subtree": timed(lambda: first_page(naive(root))),
        }
        last = first_page(scoped(root))[-1]
        cursor = selectors._cursor_of(last)
        runs["district, next page by cursor"] = timed(
            lambda: selectors.keyset_page(selectors.for_list(scoped(root)), cursor, PAGE)
        )
        if not MetricWeight.objects.exists():
            raise SystemExit("metric weights missing: run on a migrated test database")
        period = metrics.Period(start=timezone.localdate() - datetime.timedelta(days=29), end=timezone.localdate())
        weights = metrics.weights()
        runs["district, 30-day ranking of communities"] = timed(
            lambda: metrics.ranking(Scope(areas=(root,)), period, "community", weights=weights)
        )
        for name, seconds in runs.items():
            print(f"  {name:<42} {seconds / base:6.1f}x  the district's first page")
        if connection.vendor == "postgresql":
            print("plans:")
            print("  small community:", plan(selectors.for_list(scoped(small)).order_by("-created_at", "-id")[:31]))
            print("  small, naive:   ", plan(selectors.for_list(naive(small)).order_by("-created_at", "-id")[:31]))
            print("  sweep:          ", plan(Case.objects.filter(sweep.pending_q(timezone.now())).values("pk")))


if __name__ == "__main__":
    main()
