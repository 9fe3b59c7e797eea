"""Each benchmarked path's main query uses its index: no sequential scan of cases, events,
residents or households, on enough rows (bulk-inserted, then ANALYZEd) for the planner to care.

PostgreSQL only: its planner is the one a city runs on.
"""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import mapping, metrics, queues, selectors
from cases import rollup as case_rollup
from cases.models import COLOUR_OF, OPEN, Case, CaseEvent, Category, Status
from core.scope import SYSTEM, Scope
from grids import rollup
from grids import selectors as grid_selectors
from grids import services as grid_services
from grids.models import Area, AreaKind, City, Household, Resident
from orgs import selectors as org_selectors
from orgs.models import Department

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
]

DISTRICTS, STREETS, COMMUNITIES, GRIDS, BUILDINGS = 3, 4, 5, 3, 4
CASES = 20_000
HOUSEHOLDS_PER_BUILDING, RESIDENTS_PER_HOUSEHOLD = 6, 2
GUARDED = ("cases_case", "cases_caseevent", "grids_resident", "grids_household")
# Open cases only some of the time, as in a city: most of two years' cases are closed.
STATUSES = [Status.CLOSED] * 14 + [Status.REPORTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS]


def _node(kind, code, children=()):
    return {"kind": kind, "name": code, "code": code, "children": list(children)}


def _district(city: City, d: int) -> Area:
    code = f"9803{d:02d}000000"
    streets = [
        _node(
            AreaKind.STREET,
            f"{code}S{s}",
            [
                _node(
                    AreaKind.COMMUNITY,
                    f"{code}S{s}C{c}",
                    [
                        _node(
                            AreaKind.GRID,
                            f"{code}S{s}C{c}G{g}",
                            [_node(AreaKind.BUILDING, f"{code}S{s}C{c}G{g}B{b}") for b in range(BUILDINGS)],
                        )
                        for g in range(GRIDS)
                    ],
                )
                for c in range(COMMUNITIES)
            ],
        )
        for s in range(STREETS)
    ]
    grid_services.bulk_create_subtree(actor=SYSTEM, data=_node(AreaKind.DISTRICT, code, streets), city=city)
    return Area.objects.get(code=code)


def _people(buildings: list[Area]) -> None:
    made = Household.objects.bulk_create(
        Household(building=b, floor=1 + n // 4, room=f"{n}") for b in buildings for n in range(HOUSEHOLDS_PER_BUILDING)
    )
    Resident.objects.bulk_create(
        (
            Resident(
                household_id=h,
                name=f"居民{h}-{n}",
                citizen_id="110101198001010011",
                citizen_id_hash=f"explain-{h}-{n}",
                residence_status="registered",
                relation="head" if n == 0 else "other",  # one 户主 per household
            )
            for h in (household.pk for household in made)  # not the shared world's households
            for n in range(RESIDENTS_PER_HOUSEHOLD)
        ),
        batch_size=5000,
    )


def _cases(buildings: list[Area], department: Department) -> None:
    rng = random.Random(12)
    leaves = list(Category.objects.filter(children__isnull=True))
    now = timezone.now()
    rows = []
    for n in range(CASES):
        building = rng.choice(buildings)
        grid, community = building.parent, building.parent.parent
        importance, urgency = rng.choice(list(COLOUR_OF))
        status = rng.choice(STATUSES)
        created = now - datetime.timedelta(minutes=rng.randrange(730 * 24 * 60))
        due = created + datetime.timedelta(days=rng.randrange(1, 20))
        rows.append(
            Case(
                number=f"X{n:09d}",
                category=rng.choice(leaves),
                area=building,
                district_id=community.parent.parent_id,
                street_id=community.parent_id,
                community=community,
                grid=grid,
                source="grid_patrol",
                description="explain",
                importance=importance,
                urgency=urgency,
                colour=COLOUR_OF[(importance, urgency)],
                status=status,
                department=department if n % 3 == 0 else None,
                response_due=due,
                resolution_due=due + datetime.timedelta(days=5),
                closed_at=due if status == Status.CLOSED else None,
                resolved_at=due if status == Status.CLOSED else None,
                tracking_code=f"X{n:012d}",
                created_at=created,
            )
        )
    Case.objects.bulk_create(rows, batch_size=5000)
    # Each case's report event, in one statement.
    events, cases = CaseEvent._meta.db_table, Case._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {events} (case_id, action, actor_role, at, from_status, to_status, note, data) "  # noqa: S608
            f"SELECT id, 'report', 'grid_worker', created_at, '', 'reported', '', '{{}}' FROM {cases}"
        )


@pytest.fixture
def city(db):
    city = City.objects.create(name="explain", code="990300000000")
    districts = [_district(city, d) for d in range(DISTRICTS)]
    buildings = list(
        Area.objects.filter(kind=AreaKind.BUILDING, tree_id__in=[d.tree_id for d in districts]).select_related(
            "parent__parent__parent"
        )
    )
    department = Department.objects.create(name="城管局", code="explain-cg", jurisdiction=districts[0])
    _people(buildings)
    _cases(buildings, department)
    rollup.recount_under()
    with connection.cursor() as cursor:
        for table in (*GUARDED, "grids_area", "grids_buildingcount"):
            cursor.execute(f"ANALYZE {table}")
    return {"district": districts[0], "department": department}


def _scans(queryset) -> list[str]:
    plan = queryset.explain()
    return [line.strip() for line in plan.splitlines() if any(f"Seq Scan on {t} " in line for t in GUARDED)]


def test_no_hot_path_scans_a_large_table(city):
    district = city["district"]
    street = Area.objects.filter(parent=district).order_by("lft").first()
    community = Area.objects.filter(parent=street).order_by("lft").first()
    grid = Area.objects.filter(parent=community).order_by("lft").first()
    household = Household.objects.filter(building__tree_id=district.tree_id).order_by("pk").first()
    case = Case.objects.unscoped("test").filter(district=district).order_by("pk").first()
    leader = Scope(areas=(district,))
    officer = Scope(department_ids=frozenset({city["department"].pk}))
    today = timezone.localdate()
    month = metrics.Period(start=today - datetime.timedelta(days=29), end=today)

    # What a step on one of the street's cases counts again (cases.rollup), the day it was
    # reported and the day it was closed.
    day_counts = case_rollup.day_queries(
        [(street.pk, district.pk, today), (street.pk, district.pk, today - datetime.timedelta(days=3))]
    )

    def first_page(scope):
        return selectors.for_list(selectors.cases(scope)).order_by("-created_at", "-id")[:31]

    paths = {
        "case list, community": first_page(Scope(areas=(community,))),
        "case list, street": first_page(Scope(areas=(street,))),
        "case list, district": first_page(leader),
        "case list, grid": first_page(Scope(areas=(grid,))),
        "inbox": selectors.for_list(selectors.inbox(officer))
        .annotate(due=selectors.INBOX_DUE)
        .order_by("due", "id")[:31],
        "dashboard closed per day, a community": metrics.closed_per_day(Scope(areas=(community,)), month),
        "dashboard day count, reported": day_counts[0],
        "dashboard day count, closed": day_counts[1],
        "ranking": metrics.tally_rows(leader, month, "department", timezone.now()),
        "area tree counts": grid_selectors.children(leader, district),
        "household card": grid_selectors.households(leader).filter(pk=household.pk),
        "household card residents": Resident.objects.unscoped("test").filter(household=household).order_by("id"),
        "household card party members": org_selectors.household_members(household),
        "case detail events": selectors.timeline(case),
    }
    scans = {name: _scans(qs) for name, qs in paths.items()}
    assert {name: found for name, found in scans.items() if found} == {}


def test_the_area_tree_reads_no_household_or_resident(city):
    """Its counts are the sums of the buildings' count rows (grids.rollup): the old shape walked
    every household and living resident under each listed area."""
    plan = grid_selectors.children(Scope(areas=(city["district"],)), city["district"]).explain()
    assert [line for line in plan.splitlines() if "grids_resident" in line or "grids_household" in line] == []
    assert "grids_buildingcount" in plan


def test_a_districts_open_figures_read_the_open_cases_index_alone(city):
    """The leader's open, overdue and red today, the dashboard's overdue by department and the map's
    open and overdue cases per grid read only columns case_district_open carries: an index-only
    scan, which reads a table page only where VACUUM has not yet marked it all-visible."""
    district = city["district"]
    leader = Scope(areas=(district,))
    grids = Area.objects.filter(kind=AreaKind.GRID, tree_id=district.tree_id)
    reads = {
        "workbench today": lambda: queues.today(leader),
        "dashboard overdue by department": lambda: metrics.overdue_by_department(leader),
        "map open per grid": lambda: mapping.open_cases(leader, grids),
        "map overdue per grid": lambda: mapping.overdue_cases(leader, grids),
    }
    open_statuses = ", ".join(f"'{status}'" for status in sorted(OPEN))
    plans = {}
    for name, read in reads.items():
        with CaptureQueriesContext(connection) as captured:
            read()
        (sql,) = [q["sql"] for q in captured.captured_queries if f'"status" IN ({open_statuses})' in q["sql"]]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            plans[name] = "\n".join(row[0] for row in cursor.fetchall())
    assert {name: "Index Only Scan using case_district_open" in plan for name, plan in plans.items()} == dict.fromkeys(
        reads, True
    )
