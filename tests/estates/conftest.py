"""Compounds and property companies in the persona world: compound 甲小区 in grid A (community K1,
street S1) with building AC1, compound 乙小区 in grid C (K2, S1), compound 丙小区 in grid E (K4,
town T, outside everyone's street); 甲物业 and 乙物业 serve S1, 丙物业 the town."""

import datetime
from decimal import Decimal

import pytest

from core.scope import SYSTEM
from estates import services
from estates.models import AssessmentRule
from grids.models import AreaKind
from orgs.models import Department, DepartmentKind
from tests.factories import AreaFactory

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def estate(world):
    a = world.areas
    made = {
        "甲": AreaFactory(kind=AreaKind.COMPOUND, name="甲小区", parent=a["A"]),
        "乙": AreaFactory(kind=AreaKind.COMPOUND, name="乙小区", parent=a["C"]),
        "丙": AreaFactory(kind=AreaKind.COMPOUND, name="丙小区", parent=a["E"]),
    }
    made["AC1"] = AreaFactory(kind=AreaKind.BUILDING, name="AC1楼", parent=made["甲"])
    for area in list(a.values()) + list(made.values()):
        area.refresh_from_db()
    a.update(made)
    for key, where in [("甲物业", "S1"), ("乙物业", "S1"), ("丙物业", "T")]:
        a[key] = Department.objects.create(
            name=key, code=f"property-{where}-{key}", kind=DepartmentKind.PROPERTY, jurisdiction=a[where]
        )
    return a


@pytest.fixture
def serving(estate):
    """甲物业 at 甲小区 and 乙小区, 丙物业 at 丙小区, all since DAY."""
    return {
        compound: services.admit_company(
            actor=SYSTEM,
            compound=estate[compound],
            company=estate[company],
            starts_on=DAY,
            admission_ref="街准〔2026〕1号",
        )
        for compound, company in [("甲", "甲物业"), ("乙", "甲物业"), ("丙", "丙物业")]
    }


def rule(starts_on=datetime.date(2026, 1, 1), **kwargs) -> AssessmentRule:
    values = {
        "name": "测试办法",
        "satisfaction_weight": Decimal(40),
        "timeliness_weight": Decimal(30),
        "volume_weight": Decimal(10),
        "inspection_weight": Decimal(20),
        "points_per_case": Decimal(2),
        "pass_score": Decimal(60),
        "rectify_working_days": 15,
        "clause": "测试条款",
    } | kwargs
    return AssessmentRule.objects.create(starts_on=starts_on, **values)
