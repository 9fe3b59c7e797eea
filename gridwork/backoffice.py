"""网格例会 and 例会制度 pages (core.backoffice): a grid's meetings for those who hold them, their
attendance and decisions as the meeting's writes; the rules for the community's staff."""

from django.utils.translation import gettext_lazy

from cobuilding import selectors as cobuilding_selectors
from core.backoffice import Action, Column, ObjectPages
from core.capabilities import Capability
from grids import selectors as grid_selectors
from grids.models import AreaKind
from gridwork import forms, selectors, services
from gridwork.models import RULE_PLACES


def _holds(scope, grid) -> bool:
    return scope.capacity(Capability.EDIT_PEOPLE, at=grid) is not None


def _keeps_lists(scope, grid) -> bool:
    return scope.capacity(Capability.MANAGE_COMMUNITY, at=grid) is not None


def _grids(scope):
    return {"grids": grid_selectors.areas(scope).filter(kind=AreaKind.GRID).order_by("tree_id", "lft")}


def _decision_form(scope, meeting) -> dict:
    lists = _keeps_lists(scope, meeting.grid)
    units = cobuilding_selectors.current_units(scope).filter(community_id=meeting.grid.parent_id)
    return {"units": units, "community_lists": lists}


def _decide(*, actor, obj, data):
    services.decide(
        actor=actor,
        meeting=obj,
        text=data["text"],
        raises=data.get("raises") or "",
        category=data.get("category"),
        title=data.get("title", ""),
        unit=data.get("unit"),
    )
    return obj


MEETINGS = ObjectPages(
    namespace="gridwork",
    name="meeting",
    prefix="grid-meetings",
    title=gettext_lazy("网格例会"),
    rows=lambda scope: selectors.meetings(scope).order_by("-held_on", "-id"),
    get=selectors.get_meeting,
    detail_route="gridwork:meeting",
    columns=[
        Column(gettext_lazy("召开日期"), lambda m: m.held_on, link=True),
        Column(gettext_lazy("网格"), lambda m: m.grid.name),
        Column(gettext_lazy("议题"), lambda m: m.topic),
    ],
    create=Action(
        "new",
        gettext_lazy("登记网格例会"),
        forms.GridMeetingForm,
        perform=lambda *, actor, obj, data: services.hold_grid_meeting(actor=actor, **data),
        allowed=lambda scope, obj: scope.may(Capability.EDIT_PEOPLE),
        form_kwargs=lambda scope, obj: _grids(scope),
        done=gettext_lazy("网格例会已登记,请记录参会人员和议定事项"),
    ),
    actions=[
        Action(
            "attendance",
            gettext_lazy("参会人员"),
            forms.AttendanceForm,
            perform=lambda *, actor, obj, data: services.record_attendance(
                actor=actor, meeting=obj, attendees=data["attendees"]
            ),
            allowed=lambda scope, obj: _holds(scope, obj.grid),
            form_kwargs=lambda scope, obj: {"people": selectors.grid_people(obj.grid, obj.held_on)},
            initial=lambda m: {"attendees": list(m.attendees.all())},
            done=gettext_lazy("参会人员已保存"),
        ),
        Action(
            "decide",
            gettext_lazy("记录议定事项"),
            forms.DecisionForm,
            perform=_decide,
            allowed=lambda scope, obj: _holds(scope, obj.grid),
            form_kwargs=_decision_form,
            done=gettext_lazy("议定事项已记录"),
        ),
    ],
)


def _keeps(scope, area) -> bool:
    return scope.capacity(Capability.MANAGE_COMMUNITY, at=area) is not None


def _places(scope):
    return {"places": grid_selectors.areas(scope).filter(kind__in=RULE_PLACES).order_by("tree_id", "lft")}


RULE_FIELDS = [
    Column(gettext_lazy("社区或网格"), lambda r: r.area.name),
    Column(gettext_lazy("会议类型"), lambda r: r.get_kind_display()),
    Column(gettext_lazy("召开周期(月)"), lambda r: r.every_months),
    Column(gettext_lazy("起算日期"), lambda r: r.starts_on),
    Column(gettext_lazy("停用日期"), lambda r: r.ended_on),
]

RULES = ObjectPages(
    namespace="gridwork",
    name="meeting_rule",
    prefix="meeting-rules",
    title=gettext_lazy("例会制度"),
    rows=lambda scope: selectors.rules(scope).order_by("ended_on", "area__tree_id", "area__lft", "kind", "id"),
    get=selectors.get_rule,
    columns=RULE_FIELDS,
    fields=RULE_FIELDS,
    create=Action(
        "new",
        gettext_lazy("新增例会制度"),
        forms.MeetingRuleForm,
        perform=lambda *, actor, obj, data: services.add_meeting_rule(actor=actor, **data),
        allowed=lambda scope, obj: scope.may(Capability.MANAGE_COMMUNITY),
        form_kwargs=lambda scope, obj: _places(scope),
        done=gettext_lazy("例会制度已保存"),
    ),
    actions=[
        Action(
            "end",
            gettext_lazy("停用"),
            forms.EndMeetingRuleForm,
            perform=lambda *, actor, obj, data: services.end_meeting_rule(actor=actor, rule=obj, on=data["ended_on"]),
            allowed=lambda scope, obj: obj.ended_on is None and _keeps(scope, obj.area),
            done=gettext_lazy("例会制度已停用"),
        ),
    ],
)
