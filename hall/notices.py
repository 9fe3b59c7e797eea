"""Whom the hall tells, and what: each hand-over of a service request tells whoever must act next
(cases.notifications.delivery.tell, in the service's own transaction, so a rollback tells no
one): a request from a QR plate or a grid worker's 代办 the station's staff, an assignment its
handler, a deadline near or past whoever holds the request; and the resident who applied from a
plate gets the result by SMS. Each notice opens the request's page, told to each person once."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.models import NotificationKind
from cases.notifications.delivery import tell, text_resident
from core.logmask import mask_numbers
from hall.models import ServiceRequest, Source, Status
from hall.selectors import station_staff


def _tell(users, request: ServiceRequest, kind: NotificationKind, key: str) -> list[int]:
    place = request.building or request.community
    return tell(
        users,
        kind=kind,
        text=f"{kind.label}:{request.item.name} · {place.name}",
        link=reverse("hall:request", args=[request.pk]),
        key=f"service_request:{request.pk}:{key}",
    )


def applied(request: ServiceRequest) -> list[int]:
    """From the building's QR plate or the grid worker's doorstep: the station's staff must hand it
    to someone."""
    return _tell(station_staff(request.community), request, NotificationKind.HALL_APPLIED, "applied")


def assigned(request: ServiceRequest, *, actor, hand_over: int) -> list[int]:
    """To its handler, unless they took it themselves; `hand_over` (the audit entry) makes a second
    assignment to the same person a second notice."""
    if request.handler_id == getattr(actor, "pk", None):
        return []
    return _tell([request.handler], request, NotificationKind.HALL_ASSIGNED, f"assigned:{hand_over}")


def holders(request: ServiceRequest) -> list:
    """Whoever holds it now: its handler, or the station's staff while no one has it."""
    return [request.handler] if request.handler_id else list(station_staff(request.community))


def due(request: ServiceRequest, kind: NotificationKind) -> list[int]:
    """The sweep's reminder, or its overdue notice (hall.sweep)."""
    return _tell(holders(request), request, kind, kind.value)


def finished(request: ServiceRequest) -> int | None:
    """The result, to the phone the resident left on the plate's form (a window's applicant hears
    it at the window)."""
    if request.source != Source.QR:
        return None
    values = {"station": request.community.name, "item": request.item.name, "result": mask_numbers(request.result)}
    if request.status == Status.REFUSED:
        text = _("您在%(station)s申请的“%(item)s”不予办理,理由:%(result)s") % values
    else:
        text = _("您在%(station)s申请的“%(item)s”已办结。%(result)s") % values
    key = f"service_request:{request.pk}:result"
    return text_resident(request.applicant_phone, kind=NotificationKind.HALL_RESULT, text=text.strip(), key=key)
