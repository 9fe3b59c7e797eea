"""The persona world every scope test uses.

    district ─ street S1 ─ community K1 ─ grid A ─ buildings A1, A2
             │                         └ grid B ─ building B1
             │           └ community K2 ─ grid C ─ building C1
             └ street S2 ─ community K3 ─ grid D ─ building D1
    county  ─ town T ─ community K4 ─ grid E ─ building E1

One household per building (two in A1), one resident per household; in A1 one resident is
tagged 空巢老人 (not sensitive) and one 社区矫正人员 (sensitive).

Party organisations: 一街道党工委 (S1) → 一社区党总支 (K1, term 2020–2024, expired) → 网格A党支部
(A: 2 full + 1 probationary, one of them the A1 resident, who looks after household A2) → A1楼党小组;
and 二社区党支部 (K2). Grid B has no party organisation.
"""

import datetime
import os
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import translation

from cobuilding import services as cobuilding_services
from cobuilding.models import CoBuildingUnit, JointMeeting, Need
from core.scope import SYSTEM
from grids import services as grid_services
from grids.models import Area, AreaKind, Household, Resident
from orgs import services as org_services
from orgs.models import Organization, OrgKind, PartyMember, Post, Role, Slot
from tests.factories import AreaFactory, HouseholdFactory, ResidentFactory, department, key_group, user_with_posts
from tests.sign_in import force_login_verified


def pytest_collection_modifyitems(config, items):
    """Under pytest -n the tests marked `serial` would share their servers with the other workers
    (a PostgreSQL restart, a real worker taking their tasks): they skip there and run alone."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    alone = pytest.mark.skip(reason="serial: run without -n (`uv run pytest -m serial`; .ci/run does)")
    for item in items:
        if item.get_closest_marker("serial"):
            item.add_marker(alone)


@dataclass
class World:
    areas: dict[str, Area]
    households: dict[str, Household]
    residents: dict[str, Resident]
    users: dict[str, User]
    orgs: dict[str, Organization]


def _build_world() -> World:
    a = {}
    a["district"] = AreaFactory(kind=AreaKind.DISTRICT, name="测试区", code="980101000000")
    a["S1"] = AreaFactory(kind=AreaKind.STREET, name="一街道", parent=a["district"])
    a["S2"] = AreaFactory(kind=AreaKind.STREET, name="二街道", parent=a["district"])
    a["K1"] = AreaFactory(kind=AreaKind.COMMUNITY, name="一社区", parent=a["S1"], declared_households=3000)
    a["K2"] = AreaFactory(kind=AreaKind.COMMUNITY, name="二社区", parent=a["S1"], declared_households=5000)
    a["K3"] = AreaFactory(kind=AreaKind.COMMUNITY, name="三社区", parent=a["S2"], declared_households=1200)
    for grid, community in [("A", "K1"), ("B", "K1"), ("C", "K2"), ("D", "K3")]:
        a[grid] = AreaFactory(kind=AreaKind.GRID, name=f"网格{grid}", parent=a[community])
    a["county"] = AreaFactory(kind=AreaKind.COUNTY, name="测试县", code="980121000000")
    a["T"] = AreaFactory(kind=AreaKind.TOWN, name="一镇", parent=a["county"])
    a["K4"] = AreaFactory(kind=AreaKind.COMMUNITY, name="四社区", parent=a["T"], declared_households=800)
    a["E"] = AreaFactory(kind=AreaKind.GRID, name="网格E", parent=a["K4"])
    for building, grid in [("A1", "A"), ("A2", "A"), ("B1", "B"), ("C1", "C"), ("D1", "D"), ("E1", "E")]:
        a[building] = AreaFactory(kind=AreaKind.BUILDING, name=f"{building}楼", parent=a[grid])

    h, r = {}, {}
    for building in ["A1", "A2", "B1", "C1", "D1", "E1"]:
        h[building] = HouseholdFactory(building=a[building])
        r[building] = ResidentFactory(household=h[building], name=f"{building}住户")
    h["A1b"] = HouseholdFactory(building=a["A1"])
    r["A1b"] = ResidentFactory(household=h["A1b"], name="A1独居老人")
    r["A1c"] = ResidentFactory(household=h["A1"], name="A1矫正对象", relation="spouse")
    since = datetime.date(2025, 1, 1)
    grid_services.tag_resident(actor=SYSTEM, resident=r["A1b"], group=key_group("empty-nest-elderly"), since=since)
    grid_services.tag_resident(actor=SYSTEM, resident=r["A1c"], group=key_group("community-corrections"), since=since)

    chengguan = department("城管局", a["district"])
    minzheng = department("民政局", a["district"])
    u = {
        "grid_a": user_with_posts("world_grid_a", dict(role=Role.GRID_WORKER, area=a["A"], slot=Slot.A)),
        "grid_b": user_with_posts("world_grid_b", dict(role=Role.GRID_WORKER, area=a["B"], slot=Slot.A)),
        "community": user_with_posts("world_community", dict(role=Role.COMMUNITY_STAFF, area=a["K1"]), sensitive=True),
        "street": user_with_posts("world_street", dict(role=Role.STREET_STAFF, area=a["S1"])),
        "officer": user_with_posts("world_officer", dict(role=Role.DEPARTMENT_OFFICER, department=chengguan)),
        "sunk": user_with_posts(
            "world_sunk",
            dict(role=Role.SUNK_STAFF, area=a["A"], department=minzheng),
            dict(role=Role.SUNK_STAFF, area=a["C"], department=minzheng),
        ),
        "officer_mz": user_with_posts("world_officer_mz", dict(role=Role.DEPARTMENT_OFFICER, department=minzheng)),
        "district": user_with_posts("world_district", dict(role=Role.DISTRICT_STAFF, area=a["district"])),
        "leader": user_with_posts("world_leader", dict(role=Role.LEADER, area=a["district"])),
        "admin": user_with_posts("world_admin", superuser=True),
    }
    o = {}
    o["S1"] = org_services.create_organization(
        actor=SYSTEM, kind=OrgKind.STREET_WORKING_COMMITTEE, name="一街道党工委", area=a["S1"]
    )
    o["K1"] = org_services.create_organization(
        actor=SYSTEM,
        kind=OrgKind.COMMUNITY_GENERAL_BRANCH,
        name="一社区党总支",
        area=a["K1"],
        parent=o["S1"],
        term_start=datetime.date(2020, 1, 1),
    )
    o["A"] = org_services.create_organization(
        actor=SYSTEM, kind=OrgKind.GRID_BRANCH, name="网格A党支部", area=a["A"], parent=o["K1"]
    )
    o["A1"] = org_services.create_organization(
        actor=SYSTEM, kind=OrgKind.BUILDING_GROUP, name="A1楼党小组", area=a["A1"], parent=o["A"]
    )
    o["K2"] = org_services.create_organization(
        actor=SYSTEM, kind=OrgKind.COMMUNITY_BRANCH, name="二社区党支部", area=a["K2"], parent=o["S1"]
    )
    joined = datetime.date(2010, 7, 1)
    org_services.register_member(
        actor=SYSTEM,
        member=PartyMember(resident=r["A1"], organization=o["A"], status="full", joined=joined, kind="resident"),
        households=[h["A2"]],
    )
    org_services.register_member(
        actor=SYSTEM,
        member=PartyMember(name="党员乙", organization=o["A"], status="full", joined=joined, kind="floating"),
    )
    org_services.register_member(
        actor=SYSTEM,
        member=PartyMember(name="党员丙", organization=o["A"], status="probationary", joined=joined, kind="resident"),
    )
    org_services.register_member(
        actor=SYSTEM,
        member=PartyMember(
            name="在职党员丁",
            organization=o["K1"],
            status="full",
            joined=joined,
            kind="in_service",
            work_unit="区教育局",
        ),
    )
    org_services.register_member(
        actor=SYSTEM,
        member=PartyMember(name="二社区党员", organization=o["K2"], status="full", joined=joined, kind="resident"),
    )
    org_services.appoint(
        actor=SYSTEM,
        post=Post(holder_name="总支书记", role=Role.SECRETARY, organization=o["K1"], start=datetime.date(2020, 1, 1)),
    )
    return World(areas=a, households=h, residents=r, users=u, orgs=o)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in English (the sign-in test, the
    language switch) leaves its thread in English, and which test runs next on a worker is chance."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def _world_keys(django_db_setup, django_db_blocker) -> dict[str, dict[str, int]]:
    """Built once per session; each test's transaction rolls back whatever it changes."""
    with django_db_blocker.unblock():
        built = _build_world()
    return {kind: {key: obj.pk for key, obj in getattr(built, kind).items()} for kind in World.__dataclass_fields__}


@pytest.fixture
def world(db, _world_keys) -> World:
    """Fresh instances every test, so nothing cached on an object leaks from one test to the next."""

    def load(model, keys: dict[str, int]) -> dict:
        rows = model.objects.in_bulk(keys.values())
        return {key: rows[pk] for key, pk in keys.items()}

    return World(
        areas=load(Area, _world_keys["areas"]),
        households=load(Household, _world_keys["households"]),
        residents=load(Resident, _world_keys["residents"]),
        users=load(User, _world_keys["users"]),
        orgs=load(Organization, _world_keys["orgs"]),
    )


@pytest.fixture
def run_tasks_here(django_capture_on_commit_callbacks):
    """`with run_tasks_here(): ...` runs the tasks queued after commit in this process, at the end
    of the block, whatever broker is configured: for tests about what a task does.
    tests/test_celery.py proves the Redis-and-worker path itself."""
    from gridgov.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    app.conf.task_always_eager = previous


@pytest.fixture
def client_for(client):
    """client_for("grid_a") logs that persona in, past the second step; client_for(None) stays anonymous."""

    def login(user: User | None):
        if user is not None:
            force_login_verified(client, user)
        return client

    return login


@pytest.fixture
def units(world):
    """Co-building units: two with K1 (医院 with a valid credit code, 超市), one with K2; an open
    need and a meeting in K1, a meeting in K2."""
    day = datetime.date(2026, 10, 1)
    made = {
        "hospital": cobuilding_services.register_unit(
            actor=SYSTEM,
            unit=CoBuildingUnit(
                name="医院", kind="institution", credit_code="91110108MA01BXK00F", community=world.areas["K1"]
            ),
        ),
        "shop": cobuilding_services.register_unit(
            actor=SYSTEM, unit=CoBuildingUnit(name="超市", kind="enterprise", community=world.areas["K1"])
        ),
        "school": cobuilding_services.register_unit(
            actor=SYSTEM, unit=CoBuildingUnit(name="学校", kind="institution", community=world.areas["K2"])
        ),
    }
    cobuilding_services.raise_need(
        actor=SYSTEM, need=Need(community=world.areas["K1"], title="加装电梯", raised_on=day)
    )
    cobuilding_services.record_meeting(
        actor=SYSTEM,
        meeting=JointMeeting(level="community", area=world.areas["K1"], held_on=day, title="联席会", minutes="纪要"),
        units=[made["hospital"]],
    )
    cobuilding_services.record_meeting(
        actor=SYSTEM,
        meeting=JointMeeting(
            level="community", area=world.areas["K2"], held_on=day, title="二社区联席会", minutes="纪要"
        ),
    )
    return made
