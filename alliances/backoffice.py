"""区域化党建联盟, the joint meetings with their decisions, and in-service members' service records
(双报告), declared with core.backoffice: each write is the object's service with the acting user."""

from django.db.models import Q
from django.utils.translation import gettext_lazy

from alliances import forms, selectors, services
from alliances.models import ALLIANCE_PLACES, Alliance, CommitteeMember
from cobuilding import selectors as cobuilding_selectors
from cobuilding.models import JointMeeting
from core.backoffice import Action, Column, ObjectPages
from core.capabilities import Capability
from grids import selectors as grid_selectors
from grids.models import AreaKind
from orgs import selectors as org_selectors


def keeps(scope, area) -> bool:
    return scope.capacity(Capability.MANAGE_COMMUNITY, at=area) is not None


def _inside(area, prefix: str) -> Q:
    return Q(**{f"{prefix}tree_id": area.tree_id, f"{prefix}lft__gte": area.lft, f"{prefix}lft__lte": area.rght})


def _member_choices(scope, alliance) -> dict:
    units = cobuilding_selectors.current_units(scope).filter(_inside(alliance.area, "community__"))
    organizations = org_selectors.organizations(scope).filter(_inside(alliance.area, "area__"))
    return {"units": units.order_by("community", "name"), "organizations": organizations.order_by("tree_id", "lft")}


def _admit(*, actor, obj, data) -> Alliance:
    services.admit_member(actor=actor, alliance=obj, **data)
    return obj


def _appoint(*, actor, obj, data) -> Alliance:
    services.appoint_to_committee(actor=actor, member=CommitteeMember(alliance=obj, **data))
    return obj


def _hand_over(*, actor, obj, data) -> Alliance:
    services.hand_over_chair(actor=actor, alliance=obj, on=data["on"])
    return obj


ALLIANCES = ObjectPages(
    namespace="alliances",
    name="alliance",
    prefix="alliances",
    title=gettext_lazy("区域化党建联盟"),
    rows=lambda scope: selectors.alliances(scope).order_by("ended_on", "area__tree_id", "area__lft", "name"),
    get=selectors.get_alliance,
    detail_route="alliances:alliance",
    columns=[
        Column(gettext_lazy("联盟名称"), lambda a: a.name, link=True),
        Column(gettext_lazy("所在街道或区"), lambda a: a.area.name),
        Column(gettext_lazy("成立日期"), lambda a: a.founded_on),
        Column(gettext_lazy("轮值任期(月)"), lambda a: a.chair_term_months),
    ],
    create=Action(
        "new",
        gettext_lazy("成立联盟"),
        forms.AllianceForm,
        perform=lambda *, actor, obj, data: services.create_alliance(actor=actor, alliance=Alliance(**data)),
        allowed=lambda scope, obj: scope.may(Capability.MANAGE_COMMUNITY),
        form_kwargs=lambda scope, obj: {
            "places": grid_selectors.areas(scope).filter(kind__in=ALLIANCE_PLACES).order_by("tree_id", "lft")
        },
        done=gettext_lazy("联盟已成立,请登记指导委员会和成员单位"),
    ),
    actions=[
        Action(
            "committee",
            gettext_lazy("增补指导委员会委员"),
            forms.CommitteeForm,
            perform=_appoint,
            allowed=lambda scope, obj: obj.ended_on is None and keeps(scope, obj.area),
            done=gettext_lazy("委员已登记"),
        ),
        Action(
            "member",
            gettext_lazy("吸纳成员单位"),
            forms.MemberForm,
            perform=_admit,
            allowed=lambda scope, obj: obj.ended_on is None and keeps(scope, obj.area),
            form_kwargs=_member_choices,
            done=gettext_lazy("成员已加入"),
        ),
        Action(
            "hand_over",
            gettext_lazy("轮值主席交接"),
            forms.HandOverForm,
            perform=_hand_over,
            allowed=lambda scope, obj: obj.ended_on is None and keeps(scope, obj.area),
            done=gettext_lazy("轮值主席已交接"),
        ),
    ],
)

# Joint meetings (all three levels; an alliance's among them) ------------------------------------

MEETING_PLACES = [AreaKind.STREET, AreaKind.TOWN, AreaKind.COMMUNITY, AreaKind.COMPOUND]


def _units_at(scope, area):
    return cobuilding_selectors.current_units(scope).filter(_inside(area, "community__")).select_related("community")


def _meeting_form(scope, obj) -> dict:
    kept = selectors.alliances(scope).filter(scope.area_q("area__"), ended_on__isnull=True)
    committee = CommitteeMember.objects.within(scope).filter(alliance__in=kept, end__isnull=True)
    return {
        "alliances": kept,
        "areas": grid_selectors.areas(scope).filter(kind__in=MEETING_PLACES).order_by("tree_id", "lft"),
        "units": cobuilding_selectors.current_units(scope).select_related("community"),
        "committee": committee.select_related("alliance"),
    }


def _hold(*, actor, obj, data) -> JointMeeting:
    units, committee = data.pop("units"), data.pop("committee")
    return services.hold_joint_meeting(actor=actor, meeting=JointMeeting(**data), units=units, committee=committee)


def _decision_form(scope, meeting) -> dict:
    if meeting.area.kind in services.CASE_PLACES:
        places = grid_selectors.areas(scope).none()
    else:  # a street's meeting names the community or grid what it raises is at
        kinds = [AreaKind.COMMUNITY, AreaKind.GRID]
        places = grid_selectors.areas(scope).filter(_inside(meeting.area, ""), kind__in=kinds)
    return {"places": places.order_by("tree_id", "lft"), "units": _units_at(scope, meeting.area)}


def _decide(*, actor, obj, data) -> JointMeeting:
    services.decide_joint(
        actor=actor,
        meeting=obj,
        text=data["text"],
        raises=data.get("raises") or "",
        category=data.get("category"),
        title=data.get("title", ""),
        unit=data.get("unit"),
        place=data.get("place"),
    )
    return obj


MEETINGS = ObjectPages(
    namespace="alliances",
    name="meeting",
    prefix="joint-meetings",
    title=gettext_lazy("三级党建联席会议"),
    rows=lambda scope: selectors.meetings(scope).order_by("-held_on", "-id"),
    get=selectors.get_meeting,
    detail_route="alliances:meeting",
    columns=[
        Column(gettext_lazy("召开日期"), lambda m: m.held_on, link=True),
        Column(gettext_lazy("层级"), lambda m: m.get_level_display()),
        Column(gettext_lazy("区域"), lambda m: m.area.name),
        Column(gettext_lazy("区域化党建联盟"), lambda m: m.alliance.name if m.alliance else "—"),
        Column(gettext_lazy("议题"), lambda m: m.title),
    ],
    create=Action(
        "new",
        gettext_lazy("记录联席会议"),
        forms.JointMeetingForm,
        perform=_hold,
        allowed=lambda scope, obj: scope.may(Capability.MANAGE_COMMUNITY),
        form_kwargs=_meeting_form,
        done=gettext_lazy("联席会议已记录,请记录议定事项"),
    ),
    actions=[
        Action(
            "committee",
            gettext_lazy("出席委员"),
            forms.CommitteeAttendanceForm,
            perform=lambda *, actor, obj, data: services.record_committee_attendance(
                actor=actor, meeting=obj, committee=data["committee"]
            ),
            allowed=lambda scope, obj: obj.alliance_id is not None and keeps(scope, obj.area),
            form_kwargs=lambda scope, obj: {"committee": selectors.committee_at(obj)},
            initial=lambda m: {"committee": list(m.committee_present.all())},
            done=gettext_lazy("出席委员已保存"),
        ),
        Action(
            "decide",
            gettext_lazy("记录议定事项"),
            forms.DecisionForm,
            perform=_decide,
            allowed=lambda scope, obj: keeps(scope, obj.area),
            form_kwargs=_decision_form,
            done=gettext_lazy("议定事项已记录"),
        ),
    ],
)

# 双报告: in-service members' service records -------------------------------------------------------


def _keeps_roll(scope, member) -> bool:
    return scope.capacity(Capability.KEEP_PARTY_MEMBERS, at=member.organization.area) is not None


SERVICE = ObjectPages(
    namespace="alliances",
    name="service",
    prefix="dual-reports/members",
    title=gettext_lazy("在职党员双报告"),
    rows=lambda scope: (
        selectors.in_service_members(scope)
        .select_related("organization", "co_building_unit")
        .order_by("organization__tree_id", "organization__lft", "name", "pk")
    ),
    get=selectors.get_member,
    detail_route="alliances:service",
    columns=[
        Column(gettext_lazy("姓名"), lambda m: m.name, link=True),
        Column(gettext_lazy("所在党组织"), lambda m: m.organization.name),
        Column(gettext_lazy("工作单位"), lambda m: m.work_unit),
        Column(gettext_lazy("共建单位"), lambda m: m.co_building_unit.name if m.co_building_unit else "—"),
        Column(gettext_lazy("到社区报到日期"), lambda m: m.reported_on),
    ],
    actions=[
        Action(
            "record",
            gettext_lazy("登记服务"),
            forms.ServiceActivityForm,
            perform=lambda *, actor, obj, data: services.record_service(actor=actor, member=obj, **data) and obj,
            allowed=_keeps_roll,
            done=gettext_lazy("服务记录已登记"),
        ),
    ],
)

PAGES = [ALLIANCES, MEETINGS, SERVICE]
