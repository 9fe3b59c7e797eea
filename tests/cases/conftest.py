"""Cases in the persona world: grid worker A reports at building A1 (community K1, street S1);
城管局 (world_officer) and 民政局 (world_officer_mz) are district departments."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.models import Category
from orgs.models import Department

TZ = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


def category(code: str) -> Category:
    return Category.objects.get(code=code)


@pytest.fixture
def depts(world) -> dict[str, Department]:
    return {d.name: d for d in Department.objects.filter(name__in=["城管局", "民政局"])}


@pytest.fixture
def report(world):
    """report(building="A1", code="urban-events-clutter", by="grid_a", **kwargs) → a new case."""

    def make(building="A1", code="urban-events-clutter", by="grid_a", **kwargs):
        kwargs.setdefault("description", "楼道堆放杂物")
        return services.report_case(
            actor=world.users[by], category=category(code), area=world.areas[building], **kwargs
        )

    return make


@pytest.fixture
def dispatched(world, report, depts):
    """A blue case at A1 whistled by K1 and dispatched by S1 to 城管局."""

    def make(**kwargs):
        case = report(**kwargs)
        case = services.whistle_case(case=case, actor=world.users["community"], note="需要执法")
        return services.dispatch_case(case=case, actor=world.users["street"], department=depts["城管局"])

    return make


# Cases at each building; who sees which.
VISIBLE = {
    "grid_a": {"A1"},
    "grid_b": {"B1"},
    "community": {"A1", "B1"},
    "street": {"A1", "B1", "C1"},
    "district": {"A1", "B1", "C1", "D1"},
    "leader": {"A1", "B1", "C1", "D1"},
    "sunk": {"A1", "C1"},
    "officer": {"A1"},  # dispatched to 城管局
    "officer_mz": set(),
    "admin": {"A1", "B1", "C1", "D1", "E1"},
}


@pytest.fixture
def spread(world, report, depts):
    made = {b: report(building=b, by="admin") for b in ["A1", "B1", "C1", "D1", "E1"]}
    made["A1"] = services.whistle_case(case=made["A1"], actor=world.users["community"], note="需执法")
    made["A1"] = services.dispatch_case(case=made["A1"], actor=world.users["street"], department=depts["城管局"])
    return made
