"""The generated city (load_city): the tiny scale runs the same code as the whole city, on
SQLite and on PostgreSQL (COPY) alike."""

import datetime
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases import deadlines, workflow
from cases import services as case_services
from cases.models import ENDED, Action, Case, CaseCounter, CaseEvent, Category, RatedVia, Status
from core.blind_index import blind_index
from core.identity import parse_citizen_id
from core.models import AuditEntry
from core.scope import scope_for
from demo.builder import DEMO_PASSWORD
from demo.city import ACTION, CityRefused, load_city
from demo.city.plan import CITY_CODE, SCALES
from grids.models import Area, AreaKind, City, Household, Resident
from orgs.models import Organization, OrgKind, PartyMember, Post, Role
from tests.demo import geometry_checks
from tests.factories import AreaFactory, user_with_posts

TODAY = datetime.date(2026, 12, 1)
PLAN = SCALES["city-tiny"]
# Other tests' data may share the database (the browser tests commit theirs): look at the city only.
OURS = "97"
STEP_OF = {step.action: step for step in workflow.ROWS} | {Action.VERIFY_REWORK: workflow.STEPS["verify"]}


@pytest.fixture
def city(db):
    return load_city(scale="city-tiny", today=TODAY, progress=False)


def test_it_makes_what_the_plan_says(city):
    streets = sum(PLAN.streets)
    communities = streets * PLAN.communities_per_street
    grids = communities * PLAN.grids_per_community
    buildings = grids * PLAN.buildings_per_grid
    kinds = Counter(Area.objects.filter(code__startswith=OURS).values_list("kind", flat=True))
    assert kinds == {
        AreaKind.DISTRICT: PLAN.districts,
        AreaKind.COUNTY: PLAN.counties,
        AreaKind.STREET: PLAN.streets[0],
        AreaKind.TOWN: PLAN.streets[1],
        AreaKind.COMMUNITY: communities,
        AreaKind.GRID: grids,
        AreaKind.BUILDING: buildings,
    }
    # Two units of 5–8 floors a building; 94 % occupied, 1–5 people each.
    households = Household.objects.filter(building__code__startswith=OURS).count()
    residents = Resident.objects.filter(household__building__code__startswith=OURS).count()
    assert buildings * 10 <= households <= buildings * 16
    assert 2 * households <= residents <= 3.2 * households
    assert Case.objects.filter(district__code__startswith=OURS).count() == PLAN.cases == city.counts["cases_case"]
    assert city.counts["grids_resident"] == residents
    # A worker in A (with an account) and in B per grid; an account per community, street and district.
    posts = Post.objects.filter(area__code__startswith=OURS)
    assert posts.filter(role=Role.GRID_WORKER, user__isnull=False, slot="A").count() == grids
    assert posts.filter(role=Role.GRID_WORKER, user__isnull=True, slot="B").count() == grids
    assert posts.filter(role=Role.COMMUNITY_STAFF, user__isnull=False).count() == communities
    assert posts.filter(role=Role.LEADER, user__isnull=False).count() == PLAN.roots
    # The party's shape: a 党工委 per street, a 党委 per community, a 支部 per grid, 党小组 in buildings.
    org_kinds = Counter(Organization.objects.filter(area__code__startswith=OURS).values_list("kind", flat=True))
    assert org_kinds[OrgKind.STREET_WORKING_COMMITTEE] == streets
    assert org_kinds[OrgKind.COMMUNITY_COMMITTEE] == communities
    assert org_kinds[OrgKind.GRID_BRANCH] == grids
    assert 0 < org_kinds[OrgKind.BUILDING_GROUP] <= buildings
    assert PartyMember.objects.filter(organization__area__code__startswith=OURS).exists()
    # One audit entry for the whole run, with the counts.
    entry = AuditEntry.objects.get(action=ACTION)
    assert f"cases_case={PLAN.cases}" in entry.fields
    assert AuditEntry.objects.filter(action=ACTION).count() == 1
    assert city.database_bytes > 0


def test_every_place_is_drawn_valid_inside_its_parent_apart_from_its_neighbours_and_coded_by_the_rule(city):
    assert geometry_checks.faults(OURS) == []
    assert city.counts["grids_areashape"] == Area.objects.filter(code__startswith=OURS).count()


def test_citizen_ids_are_valid_unique_and_found_through_the_apps_blind_index(city):
    numbers = set()
    ours = Resident.objects.filter(household__building__code__startswith=OURS)
    for resident in ours:
        parsed = parse_citizen_id(resident.citizen_id)  # check digit, real birth place, born by today
        assert parsed.birth_date <= TODAY
        assert resident.citizen_id_hash == blind_index(parsed.number)
        assert not resident.phone or resident.phone_hash == blind_index(resident.phone)
        numbers.add(parsed.number)
    assert len(numbers) == ours.count()


@pytest.mark.parametrize("model", [Area, Organization])
def test_the_trees_are_what_django_mptt_itself_builds(city, model):
    def numbering():
        rows = model.tree.values_list("pk", "tree_id", "lft", "rght", "level")
        by_tree: dict[int, set] = {}
        for pk, tree_id, *_ in rows:
            by_tree.setdefault(tree_id, set()).add(pk)
        return {pk: rest for pk, _, *rest in rows}, sorted(map(sorted, by_tree.values()))

    generated = numbering()
    model.tree.rebuild()  # from parent ids and the models' insertion order
    assert numbering() == generated


def test_every_case_walks_the_workflow(city):
    scopes = {}
    ours = Case.objects.filter(district__code__startswith=OURS)
    for case in ours.select_related("area", "district", "category").prefetch_related("events"):
        events = list(case.events.all())
        assert events[0].action == Action.REPORT and events[0].from_status == ""
        status = Status.REPORTED
        for event in events[1:]:
            assert event.at >= events[0].at
            assert event.from_status == status
            if event.action == Action.RATE:
                assert status == Status.CLOSED
            else:
                step = STEP_OF[event.action]
                assert status in step.starts_from, (case.number, event.action)
                user = User.objects.get(pk=event.actor_id)
                scope = scopes.setdefault(user.pk, scope_for(user))
                case.status = status  # who may take a step depends on where the case stood
                capability, where = step.who(case)
                if where == workflow.DEPARTMENT:
                    assert scope.capacity(capability, department_id=event.department_id) == event.actor_role
                    assert (event.actor_area_id, event.actor_department_id) == (None, event.department_id)
                else:
                    assert scope.capacity(capability, at=case.area) == event.actor_role
                    # The post the step was taken in, as cases.services.recording names it.
                    post = next(p for p in scope.posts if p.role == event.actor_role)
                    assert (event.actor_area_id, event.actor_department_id) == (post.area_id, None)
            if event.action == Action.WHISTLE:
                assert case.dispatch_due == deadlines.dispatch_due(deadlines.limit_for(case.category, case.colour),
                                                                   event.at).at  # fmt: skip
                assert datetime.datetime.fromisoformat(event.data["dispatch_due"]) == case.dispatch_due
            status = event.to_status
        assert bool(case.rating) == (case.rated_via == RatedVia.RESIDENT)
        case.refresh_from_db(fields=["status"])
        assert case.status == status
        assert case.last_action == events[-1].action
        assert (case.closed_at is not None) == (case.status in ENDED)
        assert case.number[:6] == case.district.code[:6]
        assert case.number[6:14] == f"{timezone.localtime(case.created_at):%Y%m%d}"


def test_numbers_deadlines_and_the_open_share_are_the_apps(city):
    calendar = deadlines.work_calendar()
    ours = Case.objects.filter(district__code__startswith=OURS)
    for case in ours.select_related("category", "district").order_by("pk")[:150]:
        limit = deadlines.limit_for(case.category, case.colour)
        start = case.dispatched_at or case.created_at
        assert case.response_due == deadlines.response_due(limit, start, calendar).at
        clock = case.dispatched_at or case.accepted_at
        if case.resolution_due:
            assert case.resolution_due == deadlines.resolution_due(limit, clock, calendar).at
    days = Counter()
    for number, district in ours.values_list("number", "district__code"):
        days[(district[:6], number[6:14])] += 1
        assert number[:6] == district[:6] and len(number) == 18
    counters = CaseCounter.objects.filter(district__code__startswith=OURS).select_related("district")
    counters = {(c.district.code[:6], f"{c.day:%Y%m%d}"): c.last for c in counters}
    assert counters == dict(days)
    open_cases = ours.exclude(status__in=ENDED)
    assert 0 < open_cases.count() < 0.2 * PLAN.cases
    assert any(case.is_overdue for case in open_cases)
    keys = list(ours.values_list("submission_key", flat=True))
    assert None not in keys and len(set(keys)) == len(keys)


class _Rollback(Exception):
    pass


def _snapshot():
    return (
        list(Area.objects.order_by("pk").values_list("pk", "code", "name", "lft", "rght", "tree_id")),
        [(r.pk, r.household_id, r.name, r.citizen_id, r.phone) for r in Resident.objects.order_by("pk")],
        list(Case.objects.order_by("pk").values_list("number", "status", "area_id", "created_at", "submission_key")),
        list(CaseEvent.objects.order_by("pk").values_list("case_id", "action", "actor_id", "at", "data")),
        list(PartyMember.objects.order_by("pk").values_list("resident_id", "organization_id")),
    )


def test_the_same_seed_and_day_make_the_same_city(db):
    with pytest.raises(_Rollback), transaction.atomic():
        load_city(scale="city-tiny", today=TODAY, progress=False)
        first = _snapshot()
        raise _Rollback
    load_city(scale="city-tiny", today=TODAY, progress=False)
    assert _snapshot() == first


def test_a_second_run_refuses_and_adds_nothing(city):
    before = (Resident.objects.count(), Case.objects.count(), CaseEvent.objects.count(), User.objects.count())
    with pytest.raises(CommandError, match="already"):
        call_command("load_city", scale="city-tiny", today=TODAY, no_progress=True)
    assert (Resident.objects.count(), Case.objects.count(), CaseEvent.objects.count(), User.objects.count()) == before


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL takes the whole city")
def test_the_whole_city_asks_for_postgresql_on_sqlite(db):
    with pytest.raises(CityRefused, match="PostgreSQL"):
        load_city(scale="city", today=TODAY, progress=False)
    assert not City.objects.filter(code=CITY_CODE).exists()
    assert not Area.objects.filter(code__startswith=OURS).exists()


@pytest.mark.parametrize("username", ["city-community-970102001001", "city-leader-1"])
def test_generated_people_sign_in_and_work_on_the_data(city, client, username):
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    for name in ["home", "cases:list", "cases:dashboard"]:
        if name == "cases:dashboard" and "leader" not in username:
            continue
        assert client.get(reverse(name)).status_code == 200, name


def test_the_app_adds_rows_of_every_kind_the_city_wrote_after_it(city):
    """Each id sequence continues after the generated ids (on PostgreSQL COPY leaves them behind,
    and the next row the app writes would collide): an account with a post, a place and a case."""
    grid = Area.objects.filter(code__startswith=OURS, kind=AreaKind.GRID).order_by("code").first()
    user = user_with_posts("after-the-city", dict(role=Role.GRID_WORKER, area=grid))
    building = AreaFactory(kind=AreaKind.BUILDING, name="新楼", parent=grid)
    category = Category.objects.filter(children__isnull=True).order_by("pk").first()
    made = case_services.report_case(actor=user, category=category, area=building, description="城市之后上报")
    for row in (user, Post.objects.get(user=user), building, made):
        assert row.pk == type(row).objects.order_by("-pk").values_list("pk", flat=True)[0], type(row).__name__
