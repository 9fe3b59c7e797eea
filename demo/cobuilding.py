"""The demo's co-building units, their points and ratings, the four lists and joint meetings,
and who holds the posts of 一委一站一居.

Points land on both sides of the seed-001 thresholds: one unit below 60 (no resource sharing),
one above 100 (an honour). One unit carries a pilot-era credit code that fails today's check.
"""

import datetime
import random

from stdnum.cn import uscc

from cobuilding import services
from cobuilding.models import (
    Agreement,
    CoBuildingUnit,
    JointMeeting,
    MeetingLevel,
    Need,
    NeedDirection,
    Pricing,
    Rating,
    RatingDirection,
    ResourceKind,
    ServiceProject,
    SharedResource,
    UnitKind,
)
from core.scope import SYSTEM
from demo.names import person_name
from grids.models import Area
from orgs import services as org_services
from orgs.models import COMMUNITY_LEVEL_KINDS, WINDOWS, WORK_COMMITTEES, Post, Role

TODAY = datetime.date(2026, 11, 1)
UNITS = [
    ("区人民医院", UnitKind.INSTITUTION, 112),
    ("区税务局", UnitKind.AGENCY, 85),
    ("新川实验小学", UnitKind.INSTITUTION, 72),
    ("银河超市有限公司", UnitKind.ENTERPRISE, 48),
]
NEEDS = ["老旧小区加装电梯协调", "独居老人助餐", "青少年暑期托管", "小区停车位紧张", "外墙宣传栏更新"]
RESOURCES = [
    ("会议室", ResourceKind.VENUE, Pricing.FREE),
    ("职工停车场夜间车位", ResourceKind.PARKING, Pricing.LOW_COST),
    ("篮球场", ResourceKind.SPORTS, Pricing.FREE),
    ("临街围墙", ResourceKind.WALL, Pricing.LOW_COST),
]


def credit_code(rng: random.Random, *, valid: bool) -> str:
    body = (
        "9111"
        + "".join(rng.choice("0123456789") for _ in range(4))
        + "MA"
        + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(7))
    )
    check = uscc.calc_check_digit(body)
    if not valid:  # a pilot-era code: any other last character
        check = "0" if check != "0" else "1"
    return body + check


def build(communities: list[Area]) -> None:
    for community in communities:
        if CoBuildingUnit.objects.filter(community=community).exists():
            continue
        rng = random.Random(f"{community.code}-cobuilding")
        units = _units(community, rng)
        _lists(community, units, rng)
        _structure(community, rng)
        services.record_meeting(
            actor=SYSTEM,
            meeting=JointMeeting(
                level=MeetingLevel.COMMUNITY,
                area=community,
                held_on=TODAY - datetime.timedelta(days=40),
                title="第三季度社区党建联席会议",
                minutes="通报共建项目进展,研究加装电梯和停车位共享。",
                decisions="一、区人民医院开放夜间车位;二、下季度开展独居老人健康义诊。",
            ),
            units=units,
        )
    _street_meetings(communities)


def _units(community: Area, rng: random.Random) -> list[CoBuildingUnit]:
    units = []
    party = community.seated_organizations.filter(kind__in=sorted(COMMUNITY_LEVEL_KINDS)).first()
    for index, (name, kind, target_points) in enumerate(UNITS):
        unit = services.register_unit(
            actor=SYSTEM,
            unit=CoBuildingUnit(
                name=f"{name}({community.name[:2]})",
                kind=kind,
                credit_code=credit_code(rng, valid=index != 2),
                community=community,
                contact=person_name(rng),
                phone=f"0951-{rng.randrange(10**7):07d}",
            ),
        )
        units.append(unit)
        remaining = target_points
        while remaining > 0:
            points = min(remaining, rng.choice((10, 15, 20)))
            services.award_unit_points(
                actor=SYSTEM,
                unit=unit,
                on=TODAY - datetime.timedelta(days=rng.randrange(330)),
                points=points,
                reason=rng.choice(["参与社区联席会议", "开放共享场地", "认领治理需求", "组织志愿服务"]),
            )
            remaining -= points
        services.sign_agreement(
            actor=SYSTEM,
            agreement=Agreement(
                unit=unit,
                community=community,
                signed_on=datetime.date(2024, 3, 1),
                valid_until=datetime.date(2027, 2, 28),
                content="共驻共建、资源共享、活动共办、难题共解",
            ),
        )
        for direction in RatingDirection:
            services.rate(
                actor=SYSTEM, rating=Rating(unit=unit, year=2025, direction=direction, score=rng.randint(78, 98))
            )
        if index == 0 and party is not None:  # 共建书记 from the unit's leadership (seed 001)
            org_services.appoint(
                actor=SYSTEM,
                post=Post(
                    holder_name=person_name(rng),
                    role=Role.CO_BUILDING_SECRETARY,
                    organization=party,
                    co_building_unit=unit,
                    start=datetime.date(2024, 3, 1),
                ),
            )
    return units


def _lists(community: Area, units: list[CoBuildingUnit], rng: random.Random) -> None:
    # A unit under 60 points lists nothing (seed 001): the providers are the units above the line.
    providers = [unit for unit in units if not services.sharing_refusal(unit)] or [None]
    for name, kind, pricing in RESOURCES:
        services.list_resource(
            actor=SYSTEM,
            resource=SharedResource(
                community=community, unit=rng.choice(providers), kind=kind, name=name, pricing=pricing
            ),
        )
    for index, title in enumerate(NEEDS):
        need = services.raise_need(
            actor=SYSTEM,
            need=Need(community=community, title=title, raised_on=TODAY - datetime.timedelta(days=90 - index * 10)),
        )
        if index < 3:
            unit = units[index]
            services.claim_need(actor=SYSTEM, need=need, unit=unit, on=need.raised_on + datetime.timedelta(days=7))
            services.start_project(
                actor=SYSTEM,
                project=ServiceProject(
                    community=community,
                    unit=unit,
                    need=need,
                    title=f"{title}项目",
                    starts_on=need.raised_on + datetime.timedelta(days=14),
                ),
            )
        if index == 0:
            services.complete_need(
                actor=SYSTEM, need=need, on=TODAY - datetime.timedelta(days=5), result="已完成协调,居民满意"
            )
    # The other direction of the 双向需求清单: a unit's own need, answered by the community.
    unit_need = services.raise_need(
        actor=SYSTEM,
        need=Need(
            community=community,
            direction=NeedDirection.UNIT,
            raised_by=units[0],
            title="职工子女暑期托管场地",
            raised_on=TODAY - datetime.timedelta(days=30),
        ),
    )
    services.answer_need(
        actor=SYSTEM, need=unit_need, on=TODAY - datetime.timedelta(days=25), answer="社区党群服务中心活动室暑期开放"
    )


def _structure(community: Area, rng: random.Random) -> None:
    start = datetime.date(2024, 1, 1)
    org_services.appoint(
        actor=SYSTEM, post=Post(holder_name=person_name(rng), role=Role.STATION_HEAD, area=community, start=start)
    )
    org_services.appoint(
        actor=SYSTEM, post=Post(holder_name=person_name(rng), role=Role.RC_DIRECTOR, area=community, start=start)
    )
    for window in WINDOWS[: 3 if community.name == "城关社区" else 4]:  # one window still unstaffed there
        org_services.appoint(
            actor=SYSTEM,
            post=Post(
                holder_name=person_name(rng), role=Role.WINDOW_STAFF, function=window, area=community, start=start
            ),
        )
    for committee in WORK_COMMITTEES:
        org_services.appoint(
            actor=SYSTEM,
            post=Post(
                holder_name=person_name(rng), role=Role.RC_MEMBER, function=committee, area=community, start=start
            ),
        )


def _street_meetings(communities: list[Area]) -> None:
    for street in {c.parent for c in communities}:
        if JointMeeting.objects.filter(area=street).exists():
            continue
        services.record_meeting(
            actor=SYSTEM,
            meeting=JointMeeting(
                level=MeetingLevel.STREET,
                area=street,
                held_on=TODAY - datetime.timedelta(days=60),
                title=f"{street.name}区域化党建联席会议",
                minutes="各社区通报四张清单落实情况。",
                decisions="推动驻区单位向居民开放共享资源。",
            ),
            units=list(CoBuildingUnit.objects.filter(community__parent=street)),
        )
