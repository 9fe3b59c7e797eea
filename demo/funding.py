"""The demo's finance data: what two communities add in 2026, and a finished budget run per district
and county so the pages have something to show."""

import random
from decimal import Decimal

from core.scope import SYSTEM
from demo.names import person_name
from funding import services, whatif
from funding.models import BudgetRun, NewUnitCost, PayRecord, Qualification, Scenario
from grids.models import Area

YEAR = 2026
NEW_COSTS = {
    # 新城社区 is split off a new grid this year: two more grid workers and nothing else.
    "新城社区": (2, Decimal("48000"), Decimal("0")),
    # 东风社区 was re-divided and needs a new party-organisation venue.
    "东风社区": (0, Decimal("0"), Decimal("350000")),
}


# How much each community's average monthly pay rose from 2023 to 2026: two fall short of 500.
PAY_RISE = {
    "银湖社区": 650,
    "丽景社区": 420,
    "文苑社区": 560,
    "书香社区": 380,
    "新城社区": 700,
    "城关社区": 530,
    "东风社区": 520,
}


def _payroll() -> None:
    for name, rise in PAY_RISE.items():
        community = Area.objects.get(name=name)
        if PayRecord.objects.filter(community=community).exists():
            continue
        rng = random.Random(f"{community.code}-pay")
        for _ in range(rng.randint(4, 6)):
            worker = person_name(rng)
            basic = Decimal(rng.randrange(2800, 3400, 50))
            seniority = Decimal(rng.randrange(100, 400, 50))
            qualification = rng.choice(list(Qualification))
            earlier = PayRecord(
                community=community,
                name=worker,
                year=YEAR - 3,
                basic=basic,
                seniority=seniority,
                grade=Decimal("300"),
                performance=Decimal("600"),
                annual_bonus=Decimal("3600"),
                qualification=qualification,
            )
            now = PayRecord(
                community=community,
                name=worker,
                year=YEAR,
                basic=basic + rise,
                seniority=seniority + 50,
                grade=Decimal("300"),
                performance=Decimal("550"),
                annual_bonus=Decimal("3600"),
                qualification=qualification,
            )
            for record in (earlier, now):
                services.save_pay_record(actor=SYSTEM, record=record)


def build(roots: list[Area]) -> None:
    _payroll()
    for name, (staff, salary, venue) in NEW_COSTS.items():
        community = Area.objects.get(name=name)
        if not NewUnitCost.objects.filter(year=YEAR, community=community).exists():
            services.record_new_unit_cost(
                actor=SYSTEM,
                year=YEAR,
                community=community,
                new_staff=staff,
                new_staff_annual_salary=salary,
                new_venue_cost=venue,
            )
    if not Scenario.objects.exists():
        # 新城社区 has grown past 6,000 households: what would splitting it in two cost?
        whatif.save_scenario(
            name="新城社区一分为二",
            year=YEAR,
            communities=[Area.objects.get(name="新城社区")],
            proposal=[
                {"name": "新城东社区", "households": 3400, "party_members": 45, "grid_party_org_leaders": 2},
                {
                    "name": "新城西社区",
                    "households": 2900,
                    "party_members": 33,
                    "grid_party_org_leaders": 2,
                    "new_staff": 4,
                    "new_staff_annual_salary": "48000",
                    "new_venue_cost": "300000",
                },
            ],
            actor=SYSTEM,
        )
    # Outside a transaction each run's task is queued at once (and run in-process without Redis).
    for root in roots:
        if not BudgetRun.objects.filter(area=root, year=YEAR).exists():
            services.start_budget_run(year=YEAR, area=root, actor=SYSTEM)
    city = roots[0].city
    if not BudgetRun.objects.filter(whole_city=city, year=YEAR).exists():
        services.start_budget_run(year=YEAR, whole_city=city, actor=SYSTEM)
