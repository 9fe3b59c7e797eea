"""Every step of a case. Pages, the API, admin, commands and tasks call these and nothing else.

Each step locks the case row, checks the status it expects and who may take it, changes the
case and appends one `CaseEvent`, in one transaction. Two people acting on the same case at once
are serialised by the row lock: the second one finds the status moved and is told so.
"""

import datetime
import secrets
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import deadlines
from cases.models import (
    COLOUR_OF,
    ENDED,
    NEXT_LEVEL,
    OPEN,
    Action,
    Case,
    CaseCounter,
    CaseEvent,
    CasePhoto,
    Category,
    DoorPlate,
    Level,
    PhotoStage,
    Rating,
    Source,
    Status,
)
from cases.photos import CleanPhoto
from core.identity import normalize_phone
from core.scope import scope_for
from grids.models import Area, AreaKind
from orgs.models import Department, Role

COMMUNITY_HANDLERS = frozenset({Role.COMMUNITY_STAFF, Role.COMMITTEE_MEMBER, Role.GRID_CHIEF})
GRID_WORKERS = frozenset({Role.GRID_WORKER, Role.GRID_WORKER_PART_TIME, Role.GRID_GROUP_LEADER})
REPORTERS = GRID_WORKERS | COMMUNITY_HANDLERS | {Role.STREET_STAFF, Role.DISTRICT_STAFF}
VERIFIERS = GRID_WORKERS | COMMUNITY_HANDLERS
OFFICERS = frozenset({Role.DEPARTMENT_OFFICER, Role.SUNK_STAFF})
DISPATCHERS = {Level.STREET: frozenset({Role.STREET_STAFF, Role.DISTRICT_STAFF}), Level.DISTRICT: {Role.DISTRICT_STAFF}}
STAFF_SOURCES = {Source.GRID_PATROL, Source.HOTLINE, Source.WALK_IN, Source.REFERRAL}
ADMIN = "admin"
RESIDENT = "resident"
SYSTEM = "system"


class CaseConflict(ValidationError):
    """Someone else moved the case first."""


# Configuration ------------------------------------------------------------------------------


@transaction.atomic
def save_category(*, category: Category) -> Category:
    """Categories are a tree: an insert renumbers its neighbours (django-mptt), so it takes a lock
    on every root (a handful of rows) and two admins adding at once cannot interleave. A saved
    category keeps its parent: moving one would move every case's place in the statistics."""
    list(Category.objects.select_for_update().filter(parent__isnull=True).values_list("pk"))
    if category.pk and Category.objects.filter(pk=category.pk).exclude(parent=category.parent_id).exists():
        raise ValidationError({"parent": [_("已有类别不能调整上级")]})
    category.full_clean()
    category.save()
    return category


# Who may act ---------------------------------------------------------------------------------


def role_at(actor, case: Case, roles: Iterable[str]) -> str | None:
    """The actor's role among `roles` held at a place covering the case, or None."""
    scope = scope_for(actor)
    if scope.unrestricted:
        return ADMIN
    for post in scope.posts:
        if post.role in roles and post.area_id and case.area.is_descendant_of(post.area, include_self=True):
            return post.role
    return None


def officer_role(actor, case: Case) -> str | None:
    """The actor's role if they work for the case's lead department."""
    scope = scope_for(actor)
    if scope.unrestricted:
        return ADMIN
    for post in scope.posts:
        if post.role in OFFICERS and case.department_id and post.department_id == case.department_id:
            return post.role
    return None


def dispatcher_role(actor, case: Case) -> str | None:
    return role_at(actor, case, DISPATCHERS.get(case.level, ()))


def _require(role: str | None) -> str:
    if role is None:
        raise PermissionDenied(_("您的岗位不能办理这一步"))
    return role


# Recording -----------------------------------------------------------------------------------


def _lock(case: Case, expected: Iterable[str]) -> Case:
    # Only the case's row: a plain FOR UPDATE over the join would also lock its building and its
    # category, and every case at that building or of that category would queue behind it.
    locked = Case.objects.select_for_update(of=("self",)).select_related("area", "category").get(pk=case.pk)
    if locked.status not in expected:
        raise CaseConflict(
            _("案件%(number)s当前状态为“%(status)s”,不能进行此操作(可能已被他人处理,请刷新)"),
            code="conflict",
            params={"number": locked.number, "status": locked.get_status_display()},
        )
    return locked


def _record(
    case: Case,
    *,
    action: str,
    actor,
    role: str,
    to_status: str,
    at: datetime.datetime,
    note: str = "",
    data: dict | None = None,
    photos: Iterable[CleanPhoto] = (),
    stage: str = "",
) -> CaseEvent:
    from_status = case.status if case.pk else ""
    case.status = to_status
    case.last_action = action
    case.save()
    event = CaseEvent.objects.create(
        case=case,
        action=action,
        actor=actor,
        actor_role=role,
        at=at,
        from_status=from_status,
        to_status=to_status,
        department=case.department,
        note=note,
        data=data or {},
    )
    for photo in photos:
        CasePhoto.objects.create(
            case=case, event=event, stage=stage, image=photo.content, width=photo.width, height=photo.height
        )
    return event


def _required_text(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message, code="required")
    return text


# Reporting -----------------------------------------------------------------------------------


def _places(area: Area) -> dict[str, Area | None]:
    """The case's district, street, community and grid, from its location."""
    chain = list(area.get_ancestors(include_self=True))
    by_kind = {a.kind: a for a in chain}
    return {
        "district": chain[0],
        "street": by_kind.get(AreaKind.STREET) or by_kind.get(AreaKind.TOWN),
        "community": by_kind.get(AreaKind.COMMUNITY),
        "grid": by_kind.get(AreaKind.GRID),
    }


def _lock_counter(district: Area, day: datetime.date) -> CaseCounter:
    """Today's counter for the district, locked until the transaction ends: reports in one district
    are numbered one after the other, and a resubmitted form waits here for its first copy."""
    try:
        with transaction.atomic():
            CaseCounter.objects.get_or_create(district=district, day=day)
    except IntegrityError:
        pass  # created by someone else a moment ago
    return CaseCounter.objects.select_for_update().get(district=district, day=day)


def _tracking_code() -> str:
    # 10 characters from 31 (no 0/O, 1/I/L): about 2^50, and easy to read out on the phone.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def _create_case(
    *,
    category: Category,
    area: Area,
    description: str,
    source: str,
    reporter,
    role: str,
    importance: str,
    urgency: str,
    location_note: str,
    reporter_phone: str,
    photos: Iterable[CleanPhoto],
    submission_key: uuid.UUID | None,
    at: datetime.datetime,
) -> Case:
    description = _required_text(description, _("请描述问题"))
    if area.kind not in (AreaKind.GRID, AreaKind.COMPOUND, AreaKind.BUILDING, AreaKind.COMMUNITY):
        raise ValidationError({"area": [_("案件地点须为社区、网格、小区或楼栋")]})
    places = _places(area)
    day = timezone.localtime(at).date()
    counter = _lock_counter(places["district"], day)
    if submission_key is not None:
        existing = Case.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing  # the same form again: its case, not a second one
    counter.last += 1
    counter.save(update_fields=["last"])
    colour = COLOUR_OF[(importance, urgency)]
    limit = deadlines.limit_for(category, colour)
    due = deadlines.response_due(limit, at, deadlines.work_calendar())
    case = Case(
        number=f"{places['district'].code[:6]}{day:%Y%m%d}{counter.last:04d}",
        category=category,
        area=area,
        **places,
        location_note=location_note.strip(),
        source=source,
        description=description,
        reporter=reporter,
        reporter_phone=normalize_phone(reporter_phone) if reporter_phone else None,
        importance=importance,
        urgency=urgency,
        colour=colour,
        level=Level.COMMUNITY,
        status=Status.REPORTED,
        response_due=due.at,
        response_remind_at=due.remind_at,
        due_provisional=due.provisional,
        tracking_code=_tracking_code(),
        submission_key=submission_key,
        created_at=at,
    )
    case.full_clean(exclude=["status", "reporter_phone", "submission_key"])
    _record(
        case,
        action=Action.REPORT,
        actor=reporter,
        role=role,
        to_status=Status.REPORTED,
        at=at,
        note=description,
        data={"source": source},
        photos=photos,
        stage=PhotoStage.REPORT,
    )
    return case


@transaction.atomic
def report_case(
    *,
    actor,
    category: Category,
    area: Area,
    description: str,
    source: str = Source.GRID_PATROL,
    importance: str | None = None,
    urgency: str | None = None,
    location_note: str = "",
    reporter_phone: str = "",
    photos: Iterable[CleanPhoto] = (),
    submission_key: uuid.UUID | None = None,
    at: datetime.datetime | None = None,
) -> Case:
    """A grid worker's patrol find, or a hotline, walk-in or referred case entered by staff."""
    role = role_at(actor, Case(area=area), REPORTERS)
    if role is None:
        raise PermissionDenied(_("只能在本人负责的区域上报案件"))
    if source not in STAFF_SOURCES:
        raise ValidationError({"source": [_("工作人员上报的来源须为网格巡查、12345转办、来访或上级交办")]})
    return _create_case(
        category=category,
        area=area,
        description=description,
        source=source,
        reporter=actor,
        role=role,
        importance=importance or category.importance,
        urgency=urgency or category.urgency,
        location_note=location_note,
        reporter_phone=reporter_phone,
        photos=photos,
        submission_key=submission_key,
        at=at or timezone.now(),
    )


@transaction.atomic
def report_by_resident(
    *,
    plate: DoorPlate,
    category: Category,
    description: str,
    phone: str = "",
    photos: Iterable[CleanPhoto] = (),
    submission_key: uuid.UUID | None = None,
    at: datetime.datetime | None = None,
) -> Case:
    """居民点单 through the QR door plate: no account, no ID number, only what they choose to give."""
    if not category.resident_pickable:
        raise ValidationError({"category": [_("请选择列出的问题类别")]})
    return _create_case(
        category=category,
        area=plate.building,
        description=description,
        source=Source.RESIDENT_QR,
        reporter=None,
        role=RESIDENT,
        importance=category.importance,
        urgency=category.urgency,
        location_note="",
        reporter_phone=phone,
        photos=photos,
        submission_key=submission_key,
        at=at or timezone.now(),
    )


@transaction.atomic
def issue_door_plates(*, community: Area) -> list[DoorPlate]:
    """A plate for every building of the community that has none yet; existing plates keep their token."""
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationError(_("须为社区"), code="not_a_community")
    buildings = community.get_descendants().filter(kind=AreaKind.BUILDING)
    DoorPlate.objects.bulk_create(
        [DoorPlate(building=b, token=secrets.token_urlsafe(18)) for b in buildings.filter(door_plate__isnull=True)],
        ignore_conflicts=True,
    )
    return list(
        DoorPlate.objects.filter(building__in=buildings).select_related("building__parent").order_by("building__lft")
    )


# The community --------------------------------------------------------------------------------


def _start_resolution_clock(case: Case, at: datetime.datetime) -> None:
    limit = deadlines.limit_for(case.category, case.colour)
    calendar = deadlines.work_calendar()
    due = deadlines.resolution_due(limit, at, calendar)
    case.resolution_due, case.resolution_remind_at = due.at, due.remind_at
    case.due_provisional = due.provisional


@transaction.atomic
def accept_case(*, case: Case, actor, note: str = "", at: datetime.datetime | None = None) -> Case:
    """The community takes the case on and handles it itself (小事不出社区)."""
    at = at or timezone.now()
    case = _lock(case, {Status.REPORTED})
    role = _require(role_at(actor, case, COMMUNITY_HANDLERS))
    case.accepted_at = at
    _start_resolution_clock(case, at)
    _record(case, action=Action.ACCEPT, actor=actor, role=role, to_status=Status.ACCEPTED, at=at, note=note)
    return case


@transaction.atomic
def reject_case(*, case: Case, actor, reason: str, at: datetime.datetime | None = None) -> Case:
    at = at or timezone.now()
    reason = _required_text(reason, _("请填写不予受理的理由"))
    case = _lock(case, {Status.REPORTED})
    role = _require(role_at(actor, case, COMMUNITY_HANDLERS))
    case.closed_at = at
    _record(case, action=Action.REJECT, actor=actor, role=role, to_status=Status.REJECTED, at=at, note=reason)
    return case


@transaction.atomic
def merge_case(*, case: Case, actor, into: Case, at: datetime.datetime | None = None) -> Case:
    """A duplicate of an open case at the same place and of the same category is folded into it."""
    at = at or timezone.now()
    case = _lock(case, {Status.REPORTED})
    role = _require(role_at(actor, case, COMMUNITY_HANDLERS))
    into = Case.objects.select_for_update().get(pk=into.pk)
    if (
        into.pk == case.pk
        or into.status in ENDED
        or into.area_id != case.area_id
        or into.category_id != case.category_id
    ):
        raise ValidationError(_("只能合并到同一地点、同一类别且尚未办结的案件"), code="bad_merge")
    case.merged_into = into
    case.closed_at = at
    _record(
        case,
        action=Action.MERGE,
        actor=actor,
        role=role,
        to_status=Status.MERGED,
        at=at,
        note=_("与%(number)s重复") % {"number": into.number},
        data={"into": into.number},
    )
    return case


def move_up(case: Case, *, action: str, actor, role: str, note: str, at: datetime.datetime) -> Case:
    """One level up. The caller holds the case's lock: a step of this module, or the sweep."""
    next_level = NEXT_LEVEL[case.level]
    from_level = case.level
    case.level = next_level
    # A case still with the community goes to the street to be dispatched; one already with a
    # department stays there, now watched from the level above.
    to_status = Status.WHISTLED if case.status in (Status.REPORTED, Status.ACCEPTED) else case.status
    if case.status == Status.REPORTED:
        case.accepted_at = at
    _record(
        case,
        action=action,
        actor=actor,
        role=role,
        to_status=to_status,
        at=at,
        note=note,
        data={"from_level": from_level, "to_level": next_level},
    )
    return case


@transaction.atomic
def whistle_case(*, case: Case, actor, note: str, at: datetime.datetime | None = None) -> Case:
    """吹哨: the community calls the street in for what it cannot solve alone."""
    at = at or timezone.now()
    note = _required_text(note, _("请说明吹哨的原因"))
    case = _lock(case, {Status.REPORTED, Status.ACCEPTED})
    role = _require(role_at(actor, case, COMMUNITY_HANDLERS))
    return move_up(case, action=Action.WHISTLE, actor=actor, role=role, note=note, at=at)


@transaction.atomic
def escalate_case(*, case: Case, actor, reason: str, at: datetime.datetime | None = None) -> Case:
    """One level up (社区 → 街道 → 区), by staff of the level the case is at."""
    at = at or timezone.now()
    reason = _required_text(reason, _("请说明升级的原因"))
    case = _lock(case, OPEN)
    if case.level == Level.DISTRICT:
        raise ValidationError(_("案件已在区级,不能再升级"), code="top_level")
    holders = {Level.COMMUNITY: COMMUNITY_HANDLERS, Level.STREET: DISPATCHERS[Level.STREET]}
    role = _require(role_at(actor, case, holders[case.level]))
    return move_up(case, action=Action.ESCALATE, actor=actor, role=role, note=reason, at=at)


# The street (or district) ---------------------------------------------------------------------


@transaction.atomic
def dispatch_case(
    *,
    case: Case,
    actor,
    department: Department,
    assisting: Iterable[Department] = (),
    note: str = "",
    at: datetime.datetime | None = None,
) -> Case:
    """The street sends the case to a lead department (and any assisting ones); the clocks start."""
    at = at or timezone.now()
    case = _lock(case, {Status.WHISTLED})
    role = _require(dispatcher_role(actor, case))
    if not case.area.get_ancestors(include_self=True).filter(pk=department.jurisdiction_id).exists():
        raise ValidationError({"department": [_("%(dept)s不负责该地点") % {"dept": department}]})
    assisting = [d for d in assisting if d.pk != department.pk]
    limit = deadlines.limit_for(case.category, case.colour)
    calendar = deadlines.work_calendar()
    response = deadlines.response_due(limit, at, calendar)
    resolution = deadlines.resolution_due(limit, at, calendar)
    case.department = department
    case.dispatched_at = at
    case.signed_at = None
    case.response_due, case.response_remind_at = response.at, response.remind_at
    case.resolution_due, case.resolution_remind_at = resolution.at, resolution.remind_at
    case.due_provisional = response.provisional or resolution.provisional
    _record(
        case,
        action=Action.DISPATCH,
        actor=actor,
        role=role,
        to_status=Status.DISPATCHED,
        at=at,
        note=note,
        data={"assisting": [d.name for d in assisting]},
    )
    case.assisting.set(assisting)
    return case


@transaction.atomic
def decide_extension(*, case: Case, actor, approve: bool, note: str = "", at: datetime.datetime | None = None) -> Case:
    at = at or timezone.now()
    case = _lock(case, {Status.IN_PROGRESS})
    role = _require(dispatcher_role(actor, case))
    if not case.extension_days:
        raise CaseConflict(_("该案件没有待审批的延期申请"), code="conflict")
    days = case.extension_days
    data = {"days": days}
    if approve:
        due = deadlines.extended(case.resolution_due, days, at, deadlines.work_calendar())
        data["from"], data["to"] = case.resolution_due.isoformat(), due.at.isoformat()
        case.resolution_due, case.resolution_remind_at = due.at, due.remind_at
        case.due_provisional = case.due_provisional or due.provisional
    case.extension_days, case.extension_reason = None, ""
    _record(
        case,
        action=Action.APPROVE_EXTENSION if approve else Action.REFUSE_EXTENSION,
        actor=actor,
        role=role,
        to_status=case.status,
        at=at,
        note=note,
        data=data,
    )
    return case


# The department -------------------------------------------------------------------------------


@transaction.atomic
def sign_case(*, case: Case, actor, at: datetime.datetime | None = None) -> Case:
    """报到: a department officer takes the case on; on time if before the response deadline."""
    at = at or timezone.now()
    case = _lock(case, {Status.DISPATCHED})
    role = _require(officer_role(actor, case))
    case.signed_at = at
    on_time = case.response_due is None or at <= case.response_due
    _record(
        case, action=Action.SIGN, actor=actor, role=role, to_status=Status.IN_PROGRESS, at=at, data={"on_time": on_time}
    )
    return case


@transaction.atomic
def return_case(*, case: Case, actor, reason: str, at: datetime.datetime | None = None) -> Case:
    """Not ours: back to the street to be routed again, with the reason."""
    at = at or timezone.now()
    reason = _required_text(reason, _("请填写退回理由"))
    case = _lock(case, {Status.DISPATCHED})
    role = _require(officer_role(actor, case))
    _record(case, action=Action.RETURN, actor=actor, role=role, to_status=Status.WHISTLED, at=at, note=reason)
    case.department = None
    case.response_due = case.resolution_due = case.response_remind_at = case.resolution_remind_at = None
    case.save()
    case.assisting.clear()
    return case


@transaction.atomic
def request_extension(*, case: Case, actor, days: int, reason: str, at: datetime.datetime | None = None) -> Case:
    at = at or timezone.now()
    reason = _required_text(reason, _("请填写延期理由"))
    if not 1 <= days <= 30:
        raise ValidationError({"days": [_("延期天数须在1到30个工作日之间")]})
    case = _lock(case, {Status.IN_PROGRESS})
    role = _require(officer_role(actor, case))
    if case.extension_days:
        raise CaseConflict(_("已有延期申请等待街道审批"), code="conflict")
    case.extension_days, case.extension_reason = days, reason
    _record(
        case,
        action=Action.REQUEST_EXTENSION,
        actor=actor,
        role=role,
        to_status=case.status,
        at=at,
        note=reason,
        data={"days": days},
    )
    return case


@transaction.atomic
def resolve_case(
    *, case: Case, actor, feedback: str, photos: Iterable[CleanPhoto] = (), at: datetime.datetime | None = None
) -> Case:
    """Handled: the department (or the community, for its own cases) reports back for verification."""
    at = at or timezone.now()
    feedback = _required_text(feedback, _("请填写处置情况"))
    case = _lock(case, {Status.IN_PROGRESS, Status.ACCEPTED})
    if case.status == Status.IN_PROGRESS:
        role = _require(officer_role(actor, case))
    else:
        role = _require(role_at(actor, case, COMMUNITY_HANDLERS))
    case.resolved_at = at
    case.extension_days, case.extension_reason = None, ""
    on_time = case.resolution_due is None or at <= case.resolution_due
    _record(
        case,
        action=Action.RESOLVE,
        actor=actor,
        role=role,
        to_status=Status.RESOLVED,
        at=at,
        note=feedback,
        data={"on_time": on_time},
        photos=photos,
        stage=PhotoStage.AFTER,
    )
    return case


# Verification and the resident ----------------------------------------------------------------


def _back_to_work(case: Case) -> str:
    return Status.IN_PROGRESS if case.department_id else Status.ACCEPTED


@transaction.atomic
def verify_case(
    *,
    case: Case,
    actor,
    passed: bool,
    note: str = "",
    photos: Iterable[CleanPhoto] = (),
    at: datetime.datetime | None = None,
) -> Case:
    """The grid worker checks on site: closed, or back for rework."""
    at = at or timezone.now()
    if not passed:
        note = _required_text(note, _("请说明需要返工的问题"))
    case = _lock(case, {Status.RESOLVED})
    role = _require(role_at(actor, case, VERIFIERS))
    case.verifications += 1
    if passed:
        case.closed_at = at
        to_status, action = Status.CLOSED, Action.VERIFY_PASS
    else:
        case.reworks += 1
        case.resolved_at = None
        to_status, action = _back_to_work(case), Action.VERIFY_REWORK
    _record(
        case,
        action=action,
        actor=actor,
        role=role,
        to_status=to_status,
        at=at,
        note=note,
        photos=photos,
        stage=PhotoStage.VERIFY,
    )
    return case


@transaction.atomic
def rate_case(
    *, case: Case, rating: str, reopen: bool = False, note: str = "", at: datetime.datetime | None = None
) -> Case:
    """The resident's verdict on a closed case. Each closing is rated once; a dissatisfied resident
    may have it reopened once, and the resolution clock starts again."""
    at = at or timezone.now()
    if rating not in Rating.values:
        raise ValidationError({"rating": [_("请选择满意、基本满意或不满意")]})
    case = _lock(case, {Status.CLOSED})
    if case.rating:
        raise CaseConflict(_("该案件已评价过"), code="conflict")
    if reopen and rating != Rating.DISSATISFIED:
        raise ValidationError(_("只有不满意时可以要求重新办理"), code="reopen_needs_dissatisfied")
    if reopen and case.reopened >= 1:
        raise ValidationError(_("该案件已重新办理过一次,不能再次重办"), code="reopened_once")
    case.rating = rating
    _record(
        case,
        action=Action.RATE,
        actor=None,
        role=RESIDENT,
        to_status=Status.CLOSED,
        at=at,
        note=note.strip(),
        data={"rating": rating},
    )
    if reopen:
        case.reopened += 1
        case.rating = ""
        case.closed_at = case.resolved_at = None
        _start_resolution_clock(case, at)
        _record(case, action=Action.REOPEN, actor=None, role=RESIDENT, to_status=_back_to_work(case), at=at, note=note)
    return case


def permitted_steps(actor, case: Case) -> set[str]:
    """The steps the page offers this user on this case; each service checks again when taken."""
    steps: set[str] = set()
    community = role_at(actor, case, COMMUNITY_HANDLERS)
    dispatcher = dispatcher_role(actor, case)
    officer = officer_role(actor, case)
    if community and case.status == Status.REPORTED:
        steps |= {"accept", "reject", "merge", "whistle"}
    if community and case.status == Status.ACCEPTED:
        steps |= {"whistle", "resolve"}
    if dispatcher and case.status == Status.WHISTLED:
        steps.add("dispatch")
    if officer and case.status == Status.DISPATCHED:
        steps |= {"sign", "return"}
    if officer and case.status == Status.IN_PROGRESS:
        steps |= {"resolve"} if case.extension_days else {"resolve", "extend"}
    if dispatcher and case.status == Status.IN_PROGRESS and case.extension_days:
        steps.add("decide_extension")
    if case.status == Status.RESOLVED and role_at(actor, case, VERIFIERS):
        steps.add("verify")
    if case.level == Level.STREET and case.status in OPEN and role_at(actor, case, DISPATCHERS[Level.STREET]):
        steps.add("escalate")
    return steps
