"""The department's steps (sign, return, ask for more time, resolve), the grid worker's
verification, and the rating: the resident's own, or recorded by staff on a call-back (回访)."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Action, Case, PhotoStage, RatedVia, Rating, Status
from cases.photos import CleanPhoto
from cases.services.recording import RESIDENT, CaseConflict, _lock, begin, record, required_text
from cases.services.steps import start_dispatch_clock, start_resolution_clock


@transaction.atomic
def sign_case(*, actor, case: Case, at: datetime.datetime | None = None) -> Case:
    """报到: a department officer takes the case on; on time if before the response deadline."""
    at = at or timezone.now()
    case, role = begin("sign", case, actor)
    case.signed_at = at
    on_time = case.response_due is None or at <= case.response_due
    record(
        case, action=Action.SIGN, actor=actor, role=role, to_status=Status.IN_PROGRESS, at=at, data={"on_time": on_time}
    )
    return case


@transaction.atomic
def return_case(*, actor, case: Case, reason: str, at: datetime.datetime | None = None) -> Case:
    """Not ours: back to the street to be routed again, with the reason."""
    at = at or timezone.now()
    reason = required_text(reason, _("请填写退回理由"))
    case, role = begin("return", case, actor)
    # Recorded first, so the event names the department the case came back from.
    data = start_dispatch_clock(case, at)
    record(case, action=Action.RETURN, actor=actor, role=role, to_status=Status.WHISTLED, at=at, note=reason, data=data)
    case.department = None
    case.response_due = case.resolution_due = case.response_remind_at = case.resolution_remind_at = None
    case.save()
    case.assisting.clear()
    return case


@transaction.atomic
def request_extension(*, actor, case: Case, days: int, reason: str, at: datetime.datetime | None = None) -> Case:
    at = at or timezone.now()
    reason = required_text(reason, _("请填写延期理由"))
    if not 1 <= days <= 30:
        raise ValidationError({"days": [_("延期天数须在1到30个工作日之间")]})
    case, role = begin("extend", case, actor)
    if case.extension_days:
        raise CaseConflict(_("已有延期申请等待街道审批"), code="conflict")
    case.extension_days, case.extension_reason = days, reason
    record(
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
    *, actor, case: Case, feedback: str, photos: Iterable[CleanPhoto] = (), at: datetime.datetime | None = None
) -> Case:
    """Handled: the department (or the community, for its own cases) reports back for verification."""
    at = at or timezone.now()
    feedback = required_text(feedback, _("请填写处置情况"))
    case, role = begin("resolve", case, actor)
    case.resolved_at = at
    case.extension_days, case.extension_reason = None, ""
    on_time = case.resolution_due is None or at <= case.resolution_due
    record(
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


def _back_to_work(case: Case) -> str:
    return Status.IN_PROGRESS if case.department_id else Status.ACCEPTED


@transaction.atomic
def verify_case(
    *,
    actor,
    case: Case,
    passed: bool,
    note: str = "",
    photos: Iterable[CleanPhoto] = (),
    at: datetime.datetime | None = None,
) -> Case:
    """The grid worker checks on site: closed, or back for rework."""
    at = at or timezone.now()
    if not passed:
        note = required_text(note, _("请说明需要返工的问题"))
    case, role = begin("verify", case, actor)
    case.verifications += 1
    if passed:
        case.closed_at = at
        to_status, action = Status.CLOSED, Action.VERIFY_PASS
    else:
        case.reworks += 1
        case.resolved_at = None
        to_status, action = _back_to_work(case), Action.VERIFY_REWORK
    record(
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


def _rate(case: Case, *, actor, role: str, action: str, via: str, rating: str, reopen: bool, note: str, at) -> Case:
    """Each closing is rated once; a dissatisfied rating may have the case reopened once, and the
    resolution clock starts again. `case` is locked in CLOSED by the caller."""
    if case.rating:
        raise CaseConflict(_("该案件已评价过"), code="conflict")
    if reopen and rating != Rating.DISSATISFIED:
        raise ValidationError(_("只有不满意时可以要求重新办理"), code="reopen_needs_dissatisfied")
    if reopen and case.reopened >= 1:
        raise ValidationError(_("该案件已重新办理过一次,不能再次重办"), code="reopened_once")
    case.rating, case.rated_via = rating, via
    note = note.strip()
    record(
        case, action=action, actor=actor, role=role, to_status=Status.CLOSED, at=at, note=note, data={"rating": rating}
    )
    if reopen:
        case.reopened += 1
        case.rating = case.rated_via = ""
        case.closed_at = case.resolved_at = None
        start_resolution_clock(case, at)
        record(case, action=Action.REOPEN, actor=actor, role=role, to_status=_back_to_work(case), at=at, note=note)
    return case


def _valid_rating(rating: str) -> None:
    if rating not in Rating.values:
        raise ValidationError({"rating": [_("请选择满意、基本满意或不满意")]})


@transaction.atomic
def rate_case(
    *,
    actor=None,
    case: Case,
    rating: str,
    reopen: bool = False,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Case:
    """The resident's verdict on a closed case. `actor` is None: the resident is anonymous, and
    holding the tracking code is what lets them rate."""
    if actor is not None:
        raise ValueError("a resident rates anonymously: actor must be None")
    _valid_rating(rating)
    # Not a row of the workflow table: the resident is no post, and the page is the QR one.
    case = _lock(case, {Status.CLOSED})
    return _rate(
        case,
        actor=None,
        role=RESIDENT,
        action=Action.RATE,
        via=RatedVia.RESIDENT,
        rating=rating,
        reopen=reopen,
        note=note,
        at=at or timezone.now(),
    )


@transaction.atomic
def rate_by_callback(
    *,
    actor,
    case: Case,
    rating: str,
    reopen: bool = False,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Case:
    """回访: staff call the person who reported a closed case and record their rating for them,
    marked as a call-back in the case and the metrics. The same once-only rules as the resident's."""
    _valid_rating(rating)
    case, role = begin("callback", case, actor)
    return _rate(
        case,
        actor=actor,
        role=role,
        action=Action.CALLBACK,
        via=RatedVia.CALLBACK,
        rating=rating,
        reopen=reopen,
        note=note,
        at=at or timezone.now(),
    )
