"""The demo's 区域化党建: 银湖社区's street founds an alliance two years ago with a guidance
committee, its communities' co-building units as members in a rotation of one-year terms and the
street's party committee among them; two chairs have served and the second term ended ten days
ago, so the street's workbench shows the hand-over due. Its joint meeting last month had the
committee present and decided two things: a case at a grid and a need of 银湖社区. And 双报告: the
community's in-service members report through its units, each with services in the half-year just
ended, the units' contacts with an e-mail to receive them."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from alliances import services
from alliances.models import Alliance, CommitteeMember, add_months, previous_half_year
from cases.models import Category
from cobuilding import services as cobuilding_services
from cobuilding.models import CoBuildingUnit, JointMeeting, MeetingLevel
from core.scope import SYSTEM
from grids.models import Area, AreaKind
from orgs import member_services
from orgs.models import MemberKind, Organization, OrgKind, PartyMember

COMMITTEE = [("director", "街道党工委书记"), ("deputy", "区人民医院党委书记"), ("secretary_general", "街道党建办主任")]
ACTIVITIES = ["社区义诊", "政策宣讲", "环境整治志愿服务", "独居老人走访", "法律咨询"]


def build() -> None:
    yinhu = Area.objects.get(name="银湖社区")
    street = yinhu.parent
    if Alliance.objects.filter(area=street).exists():
        return
    today = timezone.localdate()
    founded = add_months(today, -24) - datetime.timedelta(days=10)
    alliance = services.create_alliance(
        actor=SYSTEM,
        alliance=Alliance(
            name=f"{street.name}区域化党建联盟",
            area=street,
            founded_on=founded,
            chair_term_months=12,
            clause="seed 001:全面建立街道区域化党建工作指导委员会;seed 003:驻区单位社区轮值主席制",
        ),
    )
    rng = random.Random("alliance")
    for role, affiliation in COMMITTEE:
        services.appoint_to_committee(
            actor=SYSTEM,
            member=CommitteeMember(
                alliance=alliance, name=_name(rng), role=role, affiliation=affiliation, start=founded
            ),
        )
    units = list(CoBuildingUnit.objects.filter(community__parent=street, ended_on__isnull=True).order_by("pk"))
    for order, unit in enumerate(units, start=1):
        services.admit_member(actor=SYSTEM, alliance=alliance, unit=unit, joined_on=founded, rotation_order=order)
    committee = Organization.objects.filter(area=street, kind=OrgKind.STREET_WORKING_COMMITTEE).first()
    if committee is not None:
        services.admit_member(actor=SYSTEM, alliance=alliance, organization=committee, joined_on=founded)
    services.hand_over_chair(actor=SYSTEM, alliance=alliance, on=founded)
    services.hand_over_chair(actor=SYSTEM, alliance=alliance, on=add_months(founded, 12))
    _meeting(alliance, yinhu, units, today, User.objects.get(username="street"))
    _dual_reports(yinhu, today, rng)


def _name(rng: random.Random) -> str:
    return rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["建国", "秀英", "海燕", "志强", "丽华", "文博"])


def _meeting(alliance: Alliance, yinhu: Area, units: list[CoBuildingUnit], today: datetime.date, street) -> None:
    """Held and decided by the street's staff: a case is reported by a person, never the system."""
    meeting = services.hold_joint_meeting(
        actor=street,
        meeting=JointMeeting(
            alliance=alliance,
            level=MeetingLevel.STREET,
            area=alliance.area,
            held_on=today - datetime.timedelta(days=30),
            title="区域化党建联盟联席会议",
            minutes="轮值主席单位通报上半年共建项目;各成员单位认领社区需求。",
        ),
        units=units,
        committee=list(alliance.committee.all()),
    )
    grid = yinhu.get_children().filter(kind=AreaKind.GRID).order_by("code").first()
    services.decide_joint(
        actor=street,
        meeting=meeting,
        text="银湖社区一网格背街小巷路灯损坏,转城管修复",
        raises=services.Raise.CASE,
        category=Category.objects.get(code="urban-events-clutter"),
        place=grid,
    )
    services.decide_joint(
        actor=street,
        meeting=meeting,
        text="联盟成员单位为银湖社区独居老人开展每月上门服务",
        raises=services.Raise.NEED,
        title="独居老人每月上门服务",
        place=yinhu,
    )


def _dual_reports(yinhu: Area, today: datetime.date, rng: random.Random) -> None:
    units = list(CoBuildingUnit.objects.filter(community=yinhu, ended_on__isnull=True).order_by("pk"))
    for index, unit in enumerate(units):
        unit.email = f"unit{index + 1}@demo.example.org"
        cobuilding_services.update_unit(actor=SYSTEM, unit=unit)
    members = PartyMember.objects.filter(
        organization__area__tree_id=yinhu.tree_id,
        organization__area__lft__gte=yinhu.lft,
        organization__area__lft__lte=yinhu.rght,
        kind=MemberKind.IN_SERVICE,
        left_on__isnull=True,
    ).order_by("pk")[: len(units) * 2]
    start, end = previous_half_year(today)
    for index, member in enumerate(members):
        unit = units[index % len(units)]
        reported = member.reported_on
        if reported is None or reported > start:
            reported = max(start, member.joined)
        if reported > end:  # joined since: nothing of the half-year to report
            continue
        member_services.report_dual(
            actor=SYSTEM, member=member, work_unit=unit.name, reported_on=reported, co_building_unit=unit
        )
        for _ in range(rng.randint(2, 5)):
            services.record_service(
                actor=SYSTEM,
                member=member,
                on=reported + datetime.timedelta(days=rng.randrange((end - reported).days + 1)),
                activity=rng.choice(ACTIVITIES),
                hours=Decimal(rng.choice(["1.5", "2", "3", "4"])),
            )
