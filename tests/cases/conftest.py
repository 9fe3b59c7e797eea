"""Cases in the persona world: grid worker A reports at building A1 (community K1, street S1);
城管局 (world_officer) and 民政局 (world_officer_mz) are district departments."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases import metrics, services
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


WEEK = metrics.Period(start=datetime.date(2026, 11, 2), end=datetime.date(2026, 11, 8))
RED = {"importance": "high", "urgency": "high"}


@pytest.fixture
def week(world, report, depts):
    """The week is Monday 2026-11-02 to Sunday 2026-11-08; red cases respond in 2 hours and resolve in
    1 working day (due Tuesday 23:59:59 when dispatched Monday).

        1  A1 red  城管局  signed in time, resolved Tue, closed Tue, satisfied
        2  A1 red  城管局  signed late, resolved Wed, reworked, resolved and closed Wed, basically satisfied
        3  B1 red  城管局  never signed (response and resolution overdue)
        4  C1 red  民政局  signed in time, resolved and closed Tue, dissatisfied
        5  A1 blue —       the community's own: accepted, resolved and closed Mon, satisfied
        6  A1 red  —       rejected (not counted)
        7  A1 red  —       reported 11-10 (outside the week)
        8  D1 red  城管局  reported Thu, dispatched an hour ago (nothing due yet)
        9  C1 red  —       accepted by the community Tue, not resolved (overdue)
    """
    u = world.users
    admin, community = u["admin"], u["community"]
    made = {}

    def dispatch(case, department, hour=10):
        case = services.whistle_case(case=case, actor=admin, note="需部门处置", at=at(2026, 11, 2, hour - 1, 30))
        return services.dispatch_case(case=case, actor=admin, department=depts[department], at=at(2026, 11, 2, hour))

    def close(case, day, hour, verifier, rating=None):
        case = services.verify_case(case=case, actor=u[verifier], passed=True, at=at(2026, 11, day, hour))
        if rating:
            case = services.rate_case(case=case, rating=rating, at=at(2026, 11, day, hour + 1))
        return case

    monday = at(2026, 11, 2, 9)
    case = dispatch(report(building="A1", at=monday, **RED), "城管局")
    case = services.sign_case(case=case, actor=u["officer"], at=at(2026, 11, 2, 11))
    case = services.resolve_case(case=case, actor=u["officer"], feedback="已清理", at=at(2026, 11, 3, 15))
    made[1] = close(case, 3, 16, "grid_a", "satisfied")

    case = dispatch(report(building="A1", at=monday, **RED), "城管局")
    case = services.sign_case(case=case, actor=u["officer"], at=at(2026, 11, 2, 13))
    case = services.resolve_case(case=case, actor=u["officer"], feedback="已清理", at=at(2026, 11, 4, 10))
    case = services.verify_case(case=case, actor=u["grid_a"], passed=False, note="仍有杂物", at=at(2026, 11, 4, 11))
    case = services.resolve_case(case=case, actor=u["officer"], feedback="清理干净", at=at(2026, 11, 4, 15))
    made[2] = close(case, 4, 16, "grid_a", "basic")

    made[3] = dispatch(report(building="B1", by="grid_b", at=monday, **RED), "城管局")

    case = dispatch(report(building="C1", by="admin", code="livelihood-relief", at=monday, **RED), "民政局")
    case = services.sign_case(case=case, actor=u["officer_mz"], at=at(2026, 11, 2, 10, 30))
    case = services.resolve_case(case=case, actor=u["officer_mz"], feedback="已救助", at=at(2026, 11, 3, 9))
    made[4] = close(case, 3, 10, "admin", "dissatisfied")

    case = report(building="A1", at=monday, importance="normal", urgency="normal")
    case = services.accept_case(case=case, actor=community, at=at(2026, 11, 2, 9, 30))
    case = services.resolve_case(case=case, actor=community, feedback="已协调", at=at(2026, 11, 2, 17))
    made[5] = close(case, 2, 17, "grid_a", "satisfied")

    made[6] = services.reject_case(case=report(building="A1", at=monday, **RED), actor=community, reason="重复来电")
    made[7] = report(building="A1", at=at(2026, 11, 10, 9), **RED)

    case = report(building="D1", by="admin", at=at(2026, 11, 5, 10), **RED)
    case = services.whistle_case(case=case, actor=admin, note="需执法", at=at(2026, 11, 5, 11))
    made[8] = services.dispatch_case(
        case=case, actor=admin, department=depts["城管局"], at=timezone.now() - datetime.timedelta(hours=1)
    )

    case = report(building="C1", by="admin", code="dispute-neighbour", at=at(2026, 11, 3, 8), **RED)
    made[9] = services.accept_case(case=case, actor=admin, at=at(2026, 11, 3, 9))
    return made
