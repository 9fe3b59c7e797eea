"""网格例会: a meeting held and its attendance, a decision recorded (raising a case, a need or a
service project in the same transaction), and the meeting rules the community keeps.

A grid's meetings are held by those who keep the grid's work (its grid workers, and the community's
staff above them: the posts that may keep its households, Capability.EDIT_PEOPLE); the rules, like
the visit plans, by the community's staff (MANAGE_COMMUNITY)."""

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Category
from cases.services.recording import required_text
from cases.services.reporting import report_case
from cobuilding import services as cobuilding_services
from cobuilding.models import CoBuildingUnit, Need, ServiceProject
from core import audit
from core.capabilities import Capability
from core.scope import SYSTEM, scope_for
from core.scoping import full_clean
from grids.models import Area, AreaKind
from gridwork.models import RULE_PLACES, Decision, GridMeeting, MeetingKind, MeetingRule
from gridwork.selectors import grid_posts_q
from orgs.models import Post


def _require_holder(actor, grid: Area) -> str:
    capacity = scope_for(actor).capacity(Capability.EDIT_PEOPLE, at=grid)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能登记这个网格的例会"))
    return capacity


def _check_attendance(grid: Area, on: datetime.date, attendees: list[Post]) -> None:
    ids = {post.pk for post in attendees}
    if not ids:
        return
    found = Post.objects.unscoped("whether the people named held a post in the grid that day: ids only")
    found = set(found.filter(grid_posts_q(grid, on), pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        raise ValidationError({"attendees": [_("参会人员须为本网格当日在岗的人员")]})


@transaction.atomic
def hold_grid_meeting(
    *,
    actor,
    grid: Area,
    held_on: datetime.date,
    topic: str,
    minutes: str,
    attendees: Iterable[Post] = (),
) -> GridMeeting:
    if grid.kind != AreaKind.GRID:
        raise ValidationError({"grid": [_("网格例会须在网格召开")]})
    capacity = _require_holder(actor, grid)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": [_("召开日期不能晚于今天")]})
    attendees = list(attendees)
    _check_attendance(grid, held_on, attendees)
    meeting = GridMeeting(
        grid=grid,
        held_on=held_on,
        topic=required_text(topic, _("请填写议题")),
        minutes=required_text(minutes, _("请填写会议纪要")),
        convener=None if actor is SYSTEM else actor,
        convener_role=capacity,
    )
    full_clean(meeting, exclude=["grid", "convener"])
    meeting.save()
    meeting.attendees.set(attendees)
    audit.record(
        actor=actor,
        action="meeting.hold",
        target=meeting,
        fields=["grid", "held_on", "topic", "minutes", "attendees"],
        capacity=capacity,
    )
    return meeting


@transaction.atomic
def record_attendance(*, actor, meeting: GridMeeting, attendees: Iterable[Post]) -> GridMeeting:
    """Who came, corrected after the meeting (a sign-in sheet typed in later)."""
    capacity = _require_holder(actor, meeting.grid)
    attendees = list(attendees)
    _check_attendance(meeting.grid, meeting.held_on, attendees)
    meeting.attendees.set(attendees)
    audit.record(actor=actor, action="meeting.attendance", target=meeting, fields=["attendees"], capacity=capacity)
    return meeting


class Raise:
    """What a decision may raise, as the form's choice."""

    NOTHING = ""
    CASE = "case"
    NEED = "need"
    PROJECT = "project"


def raise_from(
    decision,
    *,
    actor,
    raises: str,
    locate: Callable[[], Area],
    community_of: Callable[[Area], Area],
    note: str,
    held_on: datetime.date,
    category: Category | None,
    title: str,
    unit: CoBuildingUnit | None,
) -> None:
    """What a meeting's decision raises, through that thing's own service (which authorises it
    again), set on the decision, in the decision's words: a case at the place `locate()` gives, or a
    need or a service project of that place's community. `locate` is asked only once the choice
    needs a place (it may refuse one). Grid meetings and the alliances' joint meetings both decide so."""
    if raises == Raise.CASE:
        if category is None:
            raise ValidationError({"category": [_("请选择案件类别")]})
        decision.case = report_case(
            actor=actor, category=category, area=locate(), description=decision.text, location_note=note
        )
    elif raises == Raise.NEED:
        decision.need = cobuilding_services.raise_need(
            actor=actor,
            need=Need(
                community=community_of(locate()),
                title=required_text(title, _("请填写需求或项目名称")),
                description=decision.text,
                raised_on=held_on,
            ),
        )
    elif raises == Raise.PROJECT:
        if unit is None:
            raise ValidationError({"unit": [_("请选择实施单位")]})
        decision.project = cobuilding_services.start_project(
            actor=actor,
            project=ServiceProject(
                community=community_of(locate()),
                unit=unit,
                title=required_text(title, _("请填写需求或项目名称")),
                starts_on=held_on,
            ),
        )
    elif raises:
        raise ValidationError({"raises": [_("无效的选项")]})


@transaction.atomic
def decide(
    *,
    actor,
    meeting: GridMeeting,
    text: str,
    raises: str = Raise.NOTHING,
    category: Category | None = None,
    title: str = "",
    unit: CoBuildingUnit | None = None,
) -> Decision:
    """A decision of the meeting, and what it raises through that thing's own service (which
    authorises it again: a grid worker may raise a case at the grid, a need or a service project
    only the community's staff), all or nothing. The case, need or project says what it is about
    in the decision's words; the decision names it, and its page names the decision."""
    capacity = _require_holder(actor, meeting.grid)
    text = required_text(text, _("请填写议定事项"))
    decision = Decision(meeting=meeting, text=text)
    raise_from(
        decision,
        actor=actor,
        raises=raises,
        locate=lambda: meeting.grid,
        community_of=lambda grid: grid.parent,
        note=_("网格例会 %(date)s") % {"date": f"{meeting.held_on:%Y-%m-%d}"},
        held_on=meeting.held_on,
        category=category,
        title=title,
        unit=unit,
    )
    full_clean(decision, exclude=["meeting", "case", "need", "project"])
    decision.save()
    fields = ["meeting", "text"] + ([raises] if raises else [])
    audit.record(actor=actor, action="meeting.decide", target=decision, fields=fields, capacity=capacity)
    return decision


# 例会制度: the meeting rules, kept by the community's staff ----------------------------------------


def _require_rule_keeper(actor, area: Area) -> str:
    capacity = scope_for(actor).capacity(Capability.MANAGE_COMMUNITY, at=area)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能维护这里的例会制度"))
    return capacity


@transaction.atomic
def add_meeting_rule(
    *, actor, area: Area, kind: str, every_months: int, starts_on: datetime.date | None = None
) -> MeetingRule:
    if area.kind not in RULE_PLACES:
        raise ValidationError({"area": [_("例会制度须定在社区或网格")]})
    if kind == MeetingKind.COMMUNITY_JOINT and area.kind != AreaKind.COMMUNITY:
        raise ValidationError({"area": [_("社区党建联席会议的制度须定在社区")]})
    capacity = _require_rule_keeper(actor, area)
    in_force = MeetingRule.objects.unscoped("whether the place already has a rule of the kind: a yes or no")
    if in_force.filter(area=area, kind=kind, ended_on__isnull=True).exists():
        raise ValidationError({"kind": [_("该区域已有此类会议的例会制度,请先停用")]})
    rule = MeetingRule(area=area, kind=kind, every_months=every_months, starts_on=starts_on or timezone.localdate())
    full_clean(rule, exclude=["area"])
    rule.save()
    audit.record(
        actor=actor,
        action="meeting_rule.add",
        target=rule,
        fields=["area", "kind", "every_months", "starts_on"],
        capacity=capacity,
    )
    return rule


@transaction.atomic
def end_meeting_rule(*, actor, rule: MeetingRule, on: datetime.date | None = None) -> MeetingRule:
    capacity = _require_rule_keeper(actor, rule.area)
    if rule.ended_on is not None:
        raise ValidationError(_("该例会制度已停用"), code="ended")
    today = timezone.localdate()
    if on is not None and on > today:
        raise ValidationError({"ended_on": [_("停用日期不能晚于今天")]})
    rule.ended_on = on or today
    full_clean(rule, exclude=["area"])
    rule.save(update_fields=["ended_on"])
    audit.record(actor=actor, action="meeting_rule.end", target=rule, fields=["ended_on"], capacity=capacity)
    return rule
