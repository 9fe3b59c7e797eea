"""The hall's deadline sweep (beat, every five minutes): an open request whose time limit ends
today is reminded to whoever holds it from the morning of its last day, and one past its limit is
told as overdue, each once (hall.notices keys them; a second sweep tells no one twice). It changes
no request: 超期 is computed on every read (ServiceRequest.overdue), so there is nothing to record
or audit, only people to tell."""

import datetime

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from cases.models import Notification, NotificationKind
from hall import notices
from hall.models import OPEN_STATUSES, ServiceRequest

# A limit ends at 23:59:59 of its last working day (hall.services.due_for): 08:00 that morning.
REMIND_BEFORE = datetime.timedelta(hours=16)
BATCH = 500


def _untold(kind: NotificationKind):
    key = Concat(Value("service_request:"), Cast(OuterRef("pk"), CharField()), Value(f":{kind.value}"))
    told = Notification.objects.unscoped("whether the sweep told of this request before").filter(key=key)
    requests = ServiceRequest.objects.unscoped("the sweep reads every station's open requests")
    requests = requests.filter(status__in=OPEN_STATUSES).exclude(Exists(told))
    return requests.select_related("item", "community", "building", "handler").order_by("due_at", "pk")


def sweep_deadlines(now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"reminded": 0, "overdue": 0}
    soon = _untold(NotificationKind.HALL_REMINDER).filter(due_at__gte=now, due_at__lte=now + REMIND_BEFORE)
    for kind, found, counted in (
        (NotificationKind.HALL_OVERDUE, _untold(NotificationKind.HALL_OVERDUE).filter(due_at__lt=now), "overdue"),
        (NotificationKind.HALL_REMINDER, soon, "reminded"),
    ):
        for request in found[:BATCH]:
            # Each request in its own transaction: one that fails leaves the others told.
            with transaction.atomic():
                notices.due(request, kind)
            counts[counted] += 1
    return counts
