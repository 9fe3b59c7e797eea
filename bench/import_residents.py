"""Importing 100,000 residents from one workbook: time and peak resident memory, as figures.

Run: DATABASE_URL=postgres://… uv run python bench/import_residents.py [--rows N]

Builds a district of 2,000 buildings on a fresh test database, writes a workbook of N residents
(in a child process, so its memory is not counted), and imports it as the community's staff:
the whole real run (read, check, write, the row outcomes), as the Celery task does it.
"""

import argparse
import datetime
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

BUILDINGS = 2000
PER_HOUSEHOLD = 3


def write_workbook(path: str, rows: int) -> None:
    from openpyxl import Workbook
    from stdnum.cn import ric

    from grids.imports.columns import HEADINGS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("居民")
    sheet.append(HEADINGS)
    start = datetime.date(1950, 1, 1)
    for n in range(rows):
        body = f"110105{start + datetime.timedelta(days=n // 900):%Y%m%d}{n % 900 + 100:03d}"
        number = body + ric.calc_check_digit(body + "0")
        household = n // PER_HOUSEHOLD
        relation = "户主" if n % PER_HOUSEHOLD == 0 else "子女"
        building = f"BX{household % BUILDINGS:04d}"
        sheet.append(
            [building, "1", 3, f"{household}", "自住", f"居民{n}", number, f"1381{n:07d}", "户籍人口", relation]
        )
    workbook.save(path)


def district(buildings: int) -> dict:
    grids = [
        {
            "kind": "grid",
            "name": f"网格{g}",
            "code": f"BXG{g:03d}",
            "children": [
                {"kind": "building", "name": f"{b}号楼", "code": f"BX{b:04d}"} for b in range(g * 20, g * 20 + 20)
            ],
        }
        for g in range(buildings // 20)
    ]
    community = {"kind": "community", "name": "基准社区", "code": "BXC", "children": grids}
    return {
        "kind": "district",
        "name": "基准区",
        "code": "BXD",
        "children": [{"kind": "street", "name": "基准街道", "code": "BXS", "children": [community]}],
    }


def _cpu() -> float:
    # Wall time on a shared machine counts the neighbours too; the process's own CPU time does not.
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--write", help=argparse.SUPPRESS)
    args = parser.parse_args()
    import django

    django.setup()
    if args.write:
        write_workbook(args.write, args.rows)
        return

    from django.contrib.auth.models import User
    from django.core.files.base import File
    from testdb import fresh_database

    from core.scope import SYSTEM
    from core.scoping import guard_on
    from grids import services as grid_services
    from grids.import_models import ImportRun
    from grids.imports import services
    from grids.models import Area, City
    from orgs import services as org_services
    from orgs.models import Post, Role

    handle, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    path = Path(name)
    started = time.perf_counter()
    # Our own interpreter and script, no outside input.
    subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--write", str(path)], check=True)  # noqa: S603
    size = path.stat().st_size / 2**20
    print(f"workbook: {args.rows} rows, {size:.1f} MB, written in {time.perf_counter() - started:.1f} s")
    try:
        with fresh_database():
            city = City.objects.create(name="基准市", code="990900000000")
            grid_services.bulk_create_subtree(actor=SYSTEM, data=district(BUILDINGS), city=city)
            staff = User.objects.create_user("bench-community")
            community = Area.objects.unscoped("bench set-up").get(code="BXC")
            org_services.appoint(
                actor=SYSTEM,
                post=Post(user=staff, role=Role.COMMUNITY_STAFF, area=community, start=datetime.date(2024, 1, 1)),
            )
            with path.open("rb") as upload:
                run = ImportRun(owner=staff, file_name="bench.xlsx", dry_run=False)
                run.source.save(f"bench-{os.getpid()}.xlsx", File(upload), save=False)
                run.save()
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            cpu_before = _cpu()
            started = time.perf_counter()
            with guard_on():
                services.run_import(run.pk)
            seconds = time.perf_counter() - started
            cpu = _cpu() - cpu_before
            rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            run.refresh_from_db()
            print(f"database: {django.db.connection.vendor}")
            counts = f"created {run.created}, updated {run.updated}, unchanged {run.unchanged}, refused {run.refused}"
            print(f"imported: {counts}")
            print(f"time: {seconds:.1f} s ({args.rows / seconds:,.0f} rows/s); this process's CPU: {cpu:.1f} s")
            print(f"peak RSS: {rss_peak:.0f} MB (before the import: {rss_before:.0f} MB)")
    finally:
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
