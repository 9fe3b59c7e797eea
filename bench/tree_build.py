"""How to build a district's area tree: one bulk insert vs one insert per node vs rebuild().

Run: uv run python bench/tree_build.py [--buildings N]   (DATABASE_URL picks the database)

Prints the time of each method relative to the bulk insert, measured in this one run, on a
fresh test database. Ratios, not seconds: they hold across machines where seconds do not.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402
from testdb import fresh_database  # noqa: E402

from core.scope import SYSTEM  # noqa: E402
from grids import services  # noqa: E402
from grids.models import Area, AreaKind, City  # noqa: E402


def district_data(prefix: str, buildings: int) -> dict:
    per_grid = 10
    grids = [
        {
            "kind": AreaKind.GRID,
            "name": f"g{g}",
            "code": f"{prefix}G{g}",
            "children": [
                {"kind": AreaKind.BUILDING, "name": f"b{b}", "code": f"{prefix}G{g}B{b}"} for b in range(per_grid)
            ],
        }
        for g in range(buildings // per_grid)
    ]
    community = {"kind": AreaKind.COMMUNITY, "name": "c", "code": f"{prefix}C", "children": grids}
    street = {"kind": AreaKind.STREET, "name": "s", "code": f"{prefix}S", "children": [community]}
    return {"kind": AreaKind.DISTRICT, "name": prefix, "code": prefix, "children": [street]}


def bulk(city: City, data: dict) -> None:
    services.bulk_create_subtree(actor=SYSTEM, data=data, city=city)


def one_by_one(city: City, data: dict) -> None:
    def insert(node: dict, parent: Area | None) -> None:
        fields = {k: v for k, v in node.items() if k != "children"}
        area = services.create_area(actor=SYSTEM, **fields, parent=parent, city=city if parent is None else None)
        for child in node.get("children", ()):
            insert(child, area)

    insert(data, None)


def unordered_then_rebuild(city: City, data: dict) -> None:
    """Rows inserted with placeholder lft/rght, then django-mptt's rebuild() of that tree."""
    with Area.objects.disable_mptt_updates():

        def insert(node: dict, parent: Area | None) -> None:
            fields = {k: v for k, v in node.items() if k != "children"}
            area = Area(
                **fields, parent=parent, city=city if parent is None else None, lft=0, rght=0, level=0, tree_id=0
            )
            area.save()
            for child in node.get("children", ()):
                insert(child, area)

        insert(data, None)
    Area.objects.partial_rebuild(0)


def timed(method, city: City, data: dict) -> float:
    start = time.perf_counter()
    with transaction.atomic():
        method(city, data)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buildings", type=int, default=500)
    args = parser.parse_args()
    with fresh_database():
        city = City.objects.create(name="bench", code="990900000000")
        results = {}
        for n, method in enumerate([bulk, one_by_one, unordered_then_rebuild]):
            results[method.__name__] = timed(method, city, district_data(f"D{n}", args.buildings))
        nodes = Area.objects.filter(code__startswith="D0").count()
        base = results["bulk"]
        print(f"{nodes} nodes per district, {django.db.connection.vendor}")
        for name, seconds in results.items():
            print(f"  {name:<24} {seconds / base:6.1f}x  the bulk insert")


if __name__ == "__main__":
    main()
