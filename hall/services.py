"""The service hall's writes, one per step of a request: received (at a window by the station's
staff, from the building's QR plate by the resident, or on the doorstep by the grid worker as
网格员代办), handed to a window and a staff member, completed, or refused with the reason. Each
authorises itself, records its audit entry and tells whoever must act next (hall.notices).

The station's staff are the community's handlers (Capability.HANDLE_IN_COMMUNITY at the
community: 社区工作人员、两委委员、网格总长), who also keep its windows."""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import work_calendar
from cases.models import DoorPlate
from cases.services.recording import required_text
from core import audit
from core.capabilities import Capability
from core.identity import normalize_phone
from core.scope import SYSTEM, scope_for
from core.scoping import full_clean
from grids.access import require_people_editor
from grids.models import Area, AreaKind, Household
from hall import notices
from hall.models import OPEN_STATUSES, ServiceItem, ServiceRequest, Source, Status, Window, WindowKind
from hall.selectors import station_staff

FIELDS = ["item", "community", "building", "household", "window", "applicant_name", "applicant_phone", "due_at"]


def _require_staff(actor, community: Area) -> str:
    capacity = scope_for(actor).capacity(Capability.HANDLE_IN_COMMUNITY, at=community)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能办理这个社区的便民服务"))
    return capacity


def due_for(item: ServiceItem, received_at: datetime.datetime) -> tuple[datetime.datetime, bool]:
    """限时办结: the end of the item's N-th working day after the day it was received."""
    return work_calendar().add_working_days(timezone.localtime(received_at), item.limit_days)


def _window_of(community: Area, kind: str) -> Window | None:
    windows = Window.objects.unscoped("the station's open window of the item's kind: the request's own community")
    return windows.filter(community=community, kind=kind, active=True).first()


def _build(
    *, item: ServiceItem, community: Area, building, household, name: str, phone: str, note: str, at, source: str
) -> ServiceRequest:
    if not item.active:
        raise ValidationError({"item": [_("该事项已停办")]})
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationError({"community": [_("便民服务须在社区办理")]})
    if household is not None:
        building = household.building
    if building is not None and not community.is_ancestor_of(building):
        raise ValidationError({"building": [_("楼栋或住户不在本社区")]})
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"applicant_phone": exc.messages}) from None
    due_at, provisional = due_for(item, at)
    return ServiceRequest(
        item=item,
        community=community,
        building=building,
        household=household,
        window=_window_of(community, item.window),
        source=source,
        applicant_name=required_text(name, _("请填写申请人姓名")),
        applicant_phone=phone or None,
        note=(note or "").strip(),
        received_at=at,
        due_at=due_at,
        due_provisional=provisional,
    )


@transaction.atomic
def receive_request(
    *,
    actor,
    item: ServiceItem,
    community: Area,
    applicant_name: str,
    applicant_phone: str = "",
    building: Area | None = None,
    household: Household | None = None,
    note: str = "",
    source: str = Source.WINDOW,
    received_at: datetime.datetime | None = None,
) -> ServiceRequest:
    """A resident at the window (or a system through the API): entered by the station's staff."""
    capacity = _require_staff(actor, community)
    at = received_at or timezone.now()
    if at > timezone.now():
        raise ValidationError({"received_at": [_("受理时间不能晚于现在")]})
    request = _build(
        item=item, community=community, building=building, household=household,
        name=applicant_name, phone=applicant_phone, note=note, at=at, source=source,
    )  # fmt: skip
    request.received_by = None if actor is SYSTEM else actor
    full_clean(request, exclude=["item", "community", "building", "household", "window", "received_by"])
    request.save()
    audit.record(actor=actor, action="service_request.receive", target=request, fields=FIELDS, capacity=capacity)
    return request


def request_from_plate(
    *,
    actor=None,
    plate: DoorPlate,
    item: ServiceItem,
    applicant_name: str,
    applicant_phone: str,
    note: str = "",
    submission_key: uuid.UUID | None = None,
) -> ServiceRequest:
    """办事 through the building's QR plate: no account; the plate's token places the request at its
    building and community (as the QR report does, cases.resident_limits counts the page's use).
    The form's key makes a resend (a double-click) the first request, not a second one."""
    if actor is not None:
        raise ValueError("a resident applies anonymously: actor must be None")
    if not applicant_phone.strip():
        raise ValidationError({"applicant_phone": [_("请留下联系电话,以便窗口联系您")]})
    if submission_key is not None and (earlier := _resubmitted(submission_key, item, plate.building)) is not None:
        return earlier
    community = plate.building.get_ancestors().filter(kind=AreaKind.COMMUNITY).get()
    try:
        with transaction.atomic():
            request = _build(
                item=item, community=community, building=plate.building, household=None,
                name=applicant_name, phone=applicant_phone, note=note, at=timezone.now(), source=Source.QR,
            )  # fmt: skip
            request.submission_key = submission_key
            full_clean(request, exclude=["item", "community", "building", "window"], validate_unique=False)
            request.save()
            audit.record(actor=None, action="service_request.apply", target=request, fields=FIELDS, capacity="resident")
            notices.applied(request)
    except IntegrityError:
        # The same form sent at the same moment committed first.
        earlier = _resubmitted(submission_key, item, plate.building) if submission_key is not None else None
        if earlier is None:
            raise
        return earlier
    return request


def _resubmitted(key: uuid.UUID, item: ServiceItem, building: Area) -> ServiceRequest | None:
    earlier = ServiceRequest.objects.unscoped("the applicant's own earlier form under its own key")
    earlier = earlier.filter(submission_key=key).first()
    if earlier is None:
        return None
    if (earlier.item_id, earlier.building_id) != (item.pk, building.pk):
        raise ValidationError(_("该提交标识已用于另一份申请"), code="key_reused")
    return earlier


def take_for_resident(
    *,
    actor,
    item: ServiceItem,
    household: Household,
    applicant_name: str,
    applicant_phone: str = "",
    note: str = "",
    submission_key: uuid.UUID | None = None,
    received_at: datetime.datetime | None = None,
) -> ServiceRequest:
    """网格员代办: the grid worker (whoever keeps the household's card) takes a resident's request on
    the doorstep; it reaches the station as received, to be handed to a window, and counts for the
    worker's 便民服务 once it ends. The form's key makes a resend the first request."""
    capacity = require_people_editor(actor, household.building)
    at = received_at or timezone.now()
    if at > timezone.now():
        raise ValidationError({"received_at": [_("受理时间不能晚于现在")]})
    if submission_key is not None and (earlier := _resubmitted(submission_key, item, household.building)):
        return earlier
    community = household.building.get_ancestors().filter(kind=AreaKind.COMMUNITY).get()
    try:
        with transaction.atomic():
            request = _build(
                item=item, community=community, building=None, household=household,
                name=applicant_name, phone=applicant_phone, note=note, at=at, source=Source.PROXY,
            )  # fmt: skip
            request.received_by = actor
            request.submission_key = submission_key
            full_clean(
                request,
                exclude=["item", "community", "building", "household", "window", "received_by"],
                validate_unique=False,
            )
            request.save()
            action = "service_request.take_for_resident"
            audit.record(actor=actor, action=action, target=request, fields=FIELDS, capacity=capacity)
            notices.applied(request)
    except IntegrityError:
        earlier = _resubmitted(submission_key, item, household.building) if submission_key is not None else None
        if earlier is None:
            raise
        return earlier
    return request


def _locked(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest.objects.reread(request).select_for_update().get()


def _require_open(request: ServiceRequest) -> None:
    if request.status not in OPEN_STATUSES:
        raise ValidationError(_("该办件已办结"), code="finished")


@transaction.atomic
def assign_request(*, actor, request: ServiceRequest, handler, window: Window | None = None) -> ServiceRequest:
    """分办: to a window of the station and the staff member who must act (their workbench shows it)."""
    capacity = _require_staff(actor, request.community)
    request = _locked(request)
    _require_open(request)
    if not station_staff(request.community).filter(pk=handler.pk).exists():
        raise ValidationError({"handler": [_("经办人须为本社区服务站在岗工作人员")]})
    if window is not None and (window.community_id != request.community_id or not window.active):
        raise ValidationError({"window": [_("请选择本社区开放的窗口")]})
    request.handler = handler
    request.window = window or request.window
    request.status = Status.ASSIGNED
    request.save(update_fields=["handler", "window", "status"])
    entry = audit.record(
        actor=actor, action="service_request.assign", target=request, fields=["handler", "window"], capacity=capacity
    )
    notices.assigned(request, actor=actor, hand_over=entry.pk)
    return request


def _finish(actor, request: ServiceRequest, status: str, result: str, action: str, at) -> ServiceRequest:
    capacity = _require_staff(actor, request.community)
    request = _locked(request)
    _require_open(request)
    at = at or timezone.now()
    if at < request.received_at or at > timezone.now():
        raise ValidationError({"finished_at": [_("办结时间须在受理之后、不晚于现在")]})
    request.status = status
    request.result = result
    request.finished_at = at
    # Whoever ends it without a hand-over handled it (一站办结: the window's own staff, first asked).
    if request.handler_id is None and actor is not SYSTEM:
        request.handler = actor
    request.save(update_fields=["status", "result", "finished_at", "handler"])
    audit.record(
        actor=actor, action=action, target=request, fields=["status", "result", "finished_at"], capacity=capacity
    )
    notices.finished(request)
    return request


@transaction.atomic
def complete_request(
    *, actor, request: ServiceRequest, result: str = "", finished_at: datetime.datetime | None = None
) -> ServiceRequest:
    return _finish(actor, request, Status.DONE, (result or "").strip(), "service_request.complete", finished_at)


@transaction.atomic
def refuse_request(
    *, actor, request: ServiceRequest, reason: str, finished_at: datetime.datetime | None = None
) -> ServiceRequest:
    reason = required_text(reason, _("不予办理须说明理由"))
    return _finish(actor, request, Status.REFUSED, reason, "service_request.refuse", finished_at)


@transaction.atomic
def open_windows(*, actor, community: Area) -> list[Window]:
    """The station's four windows (seed 004), those it does not have yet."""
    if community.kind != AreaKind.COMMUNITY:
        raise ValidationError({"community": [_("服务窗口须设在社区")]})
    capacity = _require_staff(actor, community)
    have = set(
        Window.objects.unscoped("which of the four the station has: kinds only")
        .filter(community=community)
        .values_list("kind", flat=True)
    )
    made = [
        Window.objects.create(community=community, kind=kind, name=str(label))
        for kind, label in WindowKind.choices
        if kind not in have
    ]
    for window in made:
        audit.record(actor=actor, action="window.open", target=window, fields=["community", "kind"], capacity=capacity)
    return made
