"""The demo district's party organisations and members (seed 000, 001, 003).

Chosen so that the coverage report and the advisories have something to say: one grid of
丽景社区 has no party organisation, about a third of buildings have no 党小组, 文苑社区 is a
党总支 with over a hundred members (so it should become a 党委), one compound's owners'
committee and one property company have no party organisation, and the terms of the
communities elected in 2021 have run out.
"""

import datetime
import random

from core.scope import SYSTEM
from demo.names import person_name
from grids.models import Area, AreaKind, Resident
from orgs import services
from orgs.models import (
    Department,
    DepartmentKind,
    MemberKind,
    MemberStatus,
    Organization,
    OrgKind,
    OwnersCommittee,
    PartyMember,
    Post,
    Role,
)

# Per community: the kind of its party organisation, the share of adults who are members,
# and when its current term began.
COMMUNITY_ORGS = {
    "银湖社区": (OrgKind.COMMUNITY_BRANCH, 0.12, datetime.date(2021, 5, 1)),
    "丽景社区": (OrgKind.COMMUNITY_GENERAL_BRANCH, 0.14, datetime.date(2023, 3, 1)),
    "文苑社区": (OrgKind.COMMUNITY_GENERAL_BRANCH, 0.40, datetime.date(2023, 3, 1)),
    "书香社区": (OrgKind.COMMUNITY_COMMITTEE, 0.20, datetime.date(2021, 5, 1)),
    "新城社区": (OrgKind.COMMUNITY_COMMITTEE, 0.20, datetime.date(2023, 3, 1)),
    "城关社区": (OrgKind.COMMUNITY_BRANCH, 0.10, datetime.date(2023, 3, 1)),
    "东风社区": (OrgKind.COMMUNITY_GENERAL_BRANCH, 0.12, datetime.date(2023, 3, 1)),
}
WORK_UNITS = ["区教育局", "区人民医院", "区税务局", "市供电公司", "区财政局", "区住建局"]
UNCOVERED_GRID = ("丽景社区", 2)
TODAY = datetime.date(2026, 11, 1)


def build(streets: list[Area], property_company: Department) -> None:
    for street in streets:
        if Organization.objects.filter(area=street).exists():
            continue
        rng = random.Random(f"{street.code}-party")
        root = services.create_organization(
            actor=SYSTEM, kind=OrgKind.STREET_WORKING_COMMITTEE, name=f"{street.name}党工委", area=street
        )
        for community in street.get_children().filter(kind=AreaKind.COMMUNITY):
            _community(root, community, rng)
        if property_company.jurisdiction_id == street.pk:
            org = services.create_organization(
                actor=SYSTEM,
                kind=OrgKind.PROPERTY_COMPANY,
                name=f"{property_company.name}党支部",
                area=street,
                parent=root,
                property_company=property_company,
            )
            for _ in range(5):
                _member(org, rng, name=person_name(rng), kind=MemberKind.RESIDENT)
            # A second company in the street has no party organisation yet (seed 003: each should).
            Department.objects.get_or_create(
                code=f"{street.code}-property-2",
                defaults={"name": "安居物业管理有限公司", "kind": DepartmentKind.PROPERTY, "jurisdiction": street},
            )


def _community(root: Organization, community: Area, rng: random.Random) -> None:
    kind, member_rate, term_start = COMMUNITY_ORGS[community.name]
    org = services.create_organization(
        actor=SYSTEM,
        kind=kind,
        name=f"{community.name}{OrgKind(kind).label[2:]}",
        area=community,
        parent=root,
        term_start=term_start,
    )
    services.appoint(
        actor=SYSTEM, post=Post(holder_name=person_name(rng), role=Role.SECRETARY, organization=org, start=term_start)
    )
    services.appoint(
        actor=SYSTEM,
        post=Post(holder_name=person_name(rng), role=Role.DEPUTY_SECRETARY, organization=org, start=term_start),
    )
    for _ in range(3):  # in-service members reporting to the community (双报到) with service points
        member = _member(org, rng, name=person_name(rng), kind=MemberKind.IN_SERVICE, work_unit=rng.choice(WORK_UNITS))
        for _ in range(rng.randint(1, 4)):
            services.award_points(
                actor=SYSTEM,
                member=member,
                on=TODAY - datetime.timedelta(days=rng.randrange(300)),
                points=rng.choice((2, 5, 10)),
                reason=rng.choice(["参加社区志愿服务", "认领服务项目", "入户走访"]),
            )
    _member(org, rng, name=person_name(rng), kind=MemberKind.FLOATING)
    for number, grid in enumerate(community.get_children().filter(kind=AreaKind.GRID), start=1):
        parent = org
        if (community.name, number) != UNCOVERED_GRID:
            parent = services.create_organization(
                actor=SYSTEM, kind=OrgKind.GRID_BRANCH, name=f"{grid.name}党支部", area=grid, parent=org
            )
            services.appoint(
                actor=SYSTEM,
                post=Post(holder_name=person_name(rng), role=Role.SECRETARY, organization=parent, start=term_start),
            )
        for compound in grid.get_children().filter(kind=AreaKind.COMPOUND):
            committee = OwnersCommittee.objects.create(compound=compound, name=f"{compound.name}业主委员会")
            if number % 2:  # 红色业委会 in half of the estates
                services.create_organization(
                    actor=SYSTEM,
                    kind=OrgKind.OWNERS_COMMITTEE,
                    name=f"{committee.name}党支部",
                    area=compound,
                    parent=org,
                    owners_committee=committee,
                )
        _grid_members(parent, grid, member_rate, rng)


def _grid_members(branch: Organization, grid: Area, member_rate: float, rng: random.Random) -> None:
    buildings = list(grid.get_descendants().filter(kind=AreaKind.BUILDING))
    adults = [
        r
        for r in Resident.objects.filter(household__building__in=buildings).select_related("household")
        if r.age(TODAY) >= 18
    ]
    members = [r for r in adults if rng.random() < member_rate]
    by_building: dict[int, list[Resident]] = {}
    for resident in members:
        by_building.setdefault(resident.household.building_id, []).append(resident)
    for building in buildings:
        in_building = by_building.get(building.pk, [])
        group = branch
        if in_building and rng.random() < 0.7 and branch.kind == OrgKind.GRID_BRANCH:
            group = services.create_organization(
                actor=SYSTEM, kind=OrgKind.BUILDING_GROUP, name=f"{building.name}党小组", area=building, parent=branch
            )
            services.appoint(
                actor=SYSTEM,
                post=Post(
                    holder_name=in_building[0].name,
                    role=Role.GROUP_LEADER,
                    organization=group,
                    start=TODAY.replace(year=2024),
                ),
            )
        households = list(building.households.order_by("pk"))
        for resident in in_building:
            cared_for = rng.sample(households, min(len(households), rng.randint(2, 4)))
            _member(group, rng, resident=resident, kind=MemberKind.RESIDENT, households=cared_for)


def _member(org: Organization, rng: random.Random, *, households=(), **fields) -> PartyMember:
    status = MemberStatus.PROBATIONARY if rng.random() < 0.08 else MemberStatus.FULL
    joined = TODAY - datetime.timedelta(days=rng.randrange(1 if status == MemberStatus.PROBATIONARY else 400, 15000))
    if status == MemberStatus.PROBATIONARY:
        joined = TODAY - datetime.timedelta(days=rng.randrange(30, 360))
    member = PartyMember(organization=org, status=status, joined=joined, **fields)
    if member.kind == MemberKind.IN_SERVICE:
        member.reported_on = joined + datetime.timedelta(days=30)
    return services.register_member(actor=SYSTEM, member=member, households=list(households))
