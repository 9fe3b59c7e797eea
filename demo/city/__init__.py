"""A generated city to measure on (issue 12): see docs/city-data.md.

Written straight into the tables (COPY on PostgreSQL) rather than through the services, which
write one row and one audit entry at a time; the rows are the ones the services would write, and
the run as a whole is one audit entry of the system, with the counts.
"""

import datetime
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction

from cases import rollup as case_rollup
from cases.models import Case, CaseEvent
from core import audit
from core.models import AuditEntry
from core.scope import SYSTEM
from demo.city import cases, people, skeleton
from demo.city.plan import CITY_CODE, SCALES
from demo.city.tables import Writer, tree_faults, without_checks_and_indexes
from grids import rollup
from grids.models import Area, City, Household, Resident, ResidentTag
from orgs.models import Organization, PartyMember

ACTION = "demo.load_city"
SEED = 12
BIG = [Household, Resident, ResidentTag, PartyMember, Case, CaseEvent]


class CityRefused(Exception):
    """Nothing was written: the city is there already, or this database cannot take it."""


@dataclass(frozen=True)
class Report:
    seconds: float
    counts: dict[str, int]
    database_bytes: int


def load_city(*, scale: str, today: datetime.date, seed: int = SEED, progress: bool = True) -> Report:
    plan = SCALES[scale]
    existing = City.objects.filter(code=CITY_CODE).first()
    if existing is not None:
        done = AuditEntry.objects.filter(action=ACTION, target_id=str(existing.pk)).exists()
        raise CityRefused(
            "城市数据已加载,未做任何改动 / the city is loaded already: nothing added"
            if done
            else "上次加载未完成,请从空数据库重新开始 / a previous load did not finish: start from an empty database"
        )
    if connection.vendor != "postgresql" and plan.cases > SCALES["city-tenth"].cases:
        raise CityRefused(f"--scale {scale} 需要 PostgreSQL / needs PostgreSQL (set DATABASE_URL); try city-tenth")
    started = time.monotonic()
    writer = Writer()
    first_day = today - datetime.timedelta(days=plan.days)
    with transaction.atomic():
        bones = skeleton.build(writer, plan, random.Random(f"{seed}-skeleton"), first_day)
    with without_checks_and_indexes(BIG):
        people.build(writer, bones, seed, today, progress=progress)
        cases.CaseMaker(writer, bones, plan, seed, today).build(progress=progress)
    with transaction.atomic():
        writer.reset_sequences()
        rollup.recount_under()  # the people went in past the services that keep the tree's counts
        case_rollup.recount_all()  # and so did the cases, past the recorder that keeps the dashboard's
        faults = tree_faults(Area, sorted({r["tree_id"] for r in bones.roots}))
        faults += tree_faults(Organization, bones.org_tree_ids)
        if faults:
            raise AssertionError(f"{faults} tree nodes break django-mptt's invariants")  # a bug here, not bad input
        counts = dict(sorted(writer.counts.items()))
        audit.record(
            actor=SYSTEM, action=ACTION, target=City.objects.get(pk=bones.city_id),
            fields=[f"{table}={n}" for table, n in counts.items()],
        )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Report(seconds=time.monotonic() - started, counts=counts, database_bytes=database_bytes())


def database_bytes() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
        cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        return cursor.fetchone()[0]
