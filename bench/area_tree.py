"""The area tree's counts: the walk of every resident (before grids.rollup) against the sum of the
buildings' count rows, on one generated district, and what a write pays to keep its building's row.

Run: DATABASE_URL=postgres://… uv run python bench/area_tree.py [--buildings N]

Builds a district of N buildings (12 households of 2–3 residents each, one in ten tagged) in a
fresh test database, then prints the median execution time of the district's streets with their
counts (grids.selectors.children) both ways, from EXPLAIN ANALYZE on PostgreSQL or the wall clock
elsewhere. Ratios, not seconds: they hold across machines where seconds do not.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402
from testdb import fresh_database  # noqa: E402

from core.scope import SYSTEM, Scope  # noqa: E402
from grids import rollup, selectors, services  # noqa: E402
from grids.models import Area, AreaKind, City, Household, KeyGroup, Resident, ResidentTag  # noqa: E402

STREETS, COMMUNITIES, GRIDS = 4, 5, 5
HOUSEHOLDS = 12


def _node(kind: str, code: str, children=()) -> dict:
    return {"kind": kind, "name": code, "code": code, "children": list(children)}


def district(buildings: int) -> Area:
    per_grid = max(1, buildings // (STREETS * COMMUNITIES * GRIDS))
    data = _node(
        AreaKind.DISTRICT,
        "D",
        [
            _node(
                AreaKind.STREET,
                f"D{s}",
                [
                    _node(
                        AreaKind.COMMUNITY,
                        f"D{s}-{c}",
                        [
                            _node(
                                AreaKind.GRID,
                                f"D{s}-{c}-{g}",
                                [_node(AreaKind.BUILDING, f"D{s}-{c}-{g}-{b}") for b in range(per_grid)],
                            )
                            for g in range(GRIDS)
                        ],
                    )
                    for c in range(COMMUNITIES)
                ],
            )
            for s in range(STREETS)
        ],
    )
    city = City.objects.create(name="bench", code="990800000000")
    return services.bulk_create_subtree(actor=SYSTEM, data=data, city=city)[0]


def people(root: Area) -> None:
    buildings = Area.objects.filter(tree_id=root.tree_id, kind=AreaKind.BUILDING).values_list("pk", flat=True)
    made = Household.objects.bulk_create(
        (Household(building_id=b, floor=1 + n // 4, room=str(n)) for b in buildings for n in range(HOUSEHOLDS)),
        batch_size=5000,
    )
    residents = Resident.objects.bulk_create(
        (
            Resident(
                household_id=h.pk,
                name="居民",
                citizen_id="110101198001010011",
                citizen_id_hash=f"bench-{h.pk}-{n}",
                residence_status="registered",
                relation="head" if n == 0 else "other",
                ended_on=None if n < 2 or h.pk % 3 else "2025-01-01",
                end_reason="" if n < 2 or h.pk % 3 else "moved_out",
            )
            for h in made
            for n in range(3)
        ),
        batch_size=5000,
    )
    group = KeyGroup.objects.filter(sensitive=False, applies_to="resident").first()
    ResidentTag.objects.bulk_create(
        (ResidentTag(resident=r, group=group, since="2024-01-01", legal_basis="bench") for r in residents[::10]),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def walked(queryset):
    """grids.selectors.with_counts before the rollup: three subqueries walking every row under the area."""

    def count(rows, path: str) -> Coalesce:
        under = {f"{path}__tree_id": OuterRef("tree_id"), f"{path}__lft__gte": OuterRef("lft")}
        under[f"{path}__lft__lte"] = OuterRef("rght")
        counted = rows.filter(**under).order_by().values(f"{path}__tree_id").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    living = Resident.objects.unscoped("bench").living()
    tagged = living.filter(Exists(selectors.visible_tags(ResidentTag.objects).filter(resident=OuterRef("pk"))))
    return queryset.annotate(
        household_count=count(Household.objects.unscoped("bench"), "building"),
        resident_count=count(living, "household__building"),
        key_group_count=count(tagged, "household__building"),
    )


def milliseconds(queryset) -> float:
    if connection.vendor == "postgresql":
        plan = queryset.explain(analyze=True)
        return float(plan.rsplit("Execution Time: ", 1)[1].split()[0])
    start = time.perf_counter()
    list(queryset)
    return (time.perf_counter() - start) * 1000


def median(measure, runs: int = 5) -> float:
    measure()  # warm
    return statistics.median(measure() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buildings", type=int, default=2000)
    args = parser.parse_args()
    with fresh_database():
        root = district(args.buildings)
        people(root)
        start = time.perf_counter()
        rollup.recount_under(root)
        fill = time.perf_counter() - start
        scope = Scope(areas=(root,))
        streets = Area.objects.unscoped("bench").filter(parent=root).order_by("lft")
        before = median(lambda: milliseconds(walked(streets)))
        after = median(lambda: milliseconds(selectors.children(scope, root)))
        building = Area.objects.filter(tree_id=root.tree_id, kind=AreaKind.BUILDING).values_list("pk", flat=True)[0]
        write = median(lambda: timed(lambda: rollup.recount_buildings([building])))
        assert [(s.household_count, s.resident_count) for s in walked(streets)] == [
            (s.household_count, s.resident_count) for s in selectors.children(scope, root)
        ]
        print(
            f"{Household.objects.count():,} households, {Resident.objects.living().count():,} living residents, "
            f"{args.buildings:,} buildings, {connection.vendor}"
        )
        print(f"  the district's streets, walked   {before:9.1f} ms")
        print(f"  the district's streets, summed   {after:9.1f} ms   ({before / after:.0f}x faster)")
        print(f"  recount of one building (a write) {write:8.2f} ms")
        print(f"  recount of every building        {fill * 1000:9.0f} ms")


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


if __name__ == "__main__":
    main()
