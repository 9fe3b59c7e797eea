"""The deadline sweep (Celery beat, every 5 minutes) and the notifications it sends.

Overdue itself is computed on every read; the sweep only records and tells: a reminder at 75 %
of a period, an overdue record, 督办 on an overdue resolution and the automatic escalation the
time limit asks for, each once per deadline. Notifications go out after the case's transaction
commits, and each is sent once however often its task arrives; beat sends any the queue lost.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import deadlines, services
from cases.models import (
    AWAITING_DISPATCH,
    AWAITING_RESPONSE,
    WORKING,
    Action,
    AlertKind,
    Case,
    CaseAlert,
    Level,
    Notification,
    Status,
)
from cases.services import SYSTEM_ROLE
from core import gateway
from core.after_commit import enqueue_on_commit
from core.capabilities import Capability
from core.scope import SYSTEM
from orgs.capabilities import roles_with
from orgs.models import Post

log = logging.getLogger(__name__)


def _recipients(case: Case, kind: str) -> list:
    """Whoever holds the case now; a supervision flag goes to the street (or district) as well."""
    posts = Post.objects.unscoped("the sweep tells whoever holds the case, wherever they are").active()
    posts = posts.filter(user__isnull=False)
    street = Q(area_id=case.street_id, role__in=sorted(roles_with(Capability.DISPATCH_FOR_STREET)))
    if case.department_id and case.status in (Status.DISPATCHED, Status.IN_PROGRESS):
        holders = posts.filter(
            department_id=case.department_id, role__in=sorted(roles_with(Capability.WORK_FOR_DEPARTMENT))
        )
    elif case.status == Status.WHISTLED:
        holders = posts.filter(
            street | Q(area_id=case.district_id, role__in=sorted(roles_with(Capability.DISPATCH_FOR_DISTRICT)))
        )
    else:
        holders = posts.filter(area_id=case.community_id, role__in=sorted(roles_with(Capability.HANDLE_IN_COMMUNITY)))
    if kind == AlertKind.SUPERVISION:
        holders = holders | posts.filter(street)
    return list(get_user_model().objects.filter(pk__in=holders.values("user_id")).order_by("pk"))


def _alert(
    case: Case, kind: str, due: datetime.datetime, now: datetime.datetime, action: str, note: str
) -> list[int] | None:
    """Records the alert once per deadline and returns the notifications to send; None if the
    alert was recorded before (a second sweep changes nothing and sends nothing)."""
    _row, created = CaseAlert.objects.get_or_create(case=case, kind=kind, due=due)
    if not created:
        return None
    services.record(
        case,
        action=action,
        actor=SYSTEM,
        role=SYSTEM_ROLE,
        to_status=case.status,
        at=now,
        note=note,
        data={"due": due.isoformat()},
        moves=False,
    )
    notes = Notification.objects.bulk_create(
        [
            Notification(user=user, case=case, kind=kind, text=f"{case.number} {note}")
            for user in _recipients(case, kind)
        ]
    )
    return [n.pk for n in notes]


def _running(case: Case) -> list[tuple[str, datetime.datetime, datetime.datetime | None]]:
    """The deadlines the case runs against in its status: (which, due, remind at)."""
    running = []
    if case.status in AWAITING_RESPONSE and case.response_due:
        running.append(("response", case.response_due, case.response_remind_at))
    if case.status in AWAITING_DISPATCH and case.dispatch_due:
        running.append(("dispatch", case.dispatch_due, case.dispatch_remind_at))
    if case.status in WORKING and case.resolution_due:
        running.append(("resolution", case.resolution_due, case.resolution_remind_at))
    return running


def _sweep_case(case: Case, now: datetime.datetime, counts: dict[str, int]) -> list[int]:
    sent: list[int] = []
    for which, due, remind_at in _running(case):
        if due <= now:
            label = {"response": _("响应已超期"), "dispatch": _("派遣已超期")}.get(which, _("办结已超期"))
            new = _alert(case, AlertKind.OVERDUE, due, now, Action.OVERDUE, label)
            if new is None:
                continue
            counts["overdue"] += 1
            sent += new
            if which == "resolution":
                case.supervised = True
                case.save(update_fields=["supervised", "updated_at"])
                sent += _alert(case, AlertKind.SUPERVISION, due, now, Action.SUPERVISE, _("超期督办")) or []
                counts["supervised"] += 1
                if (
                    case.level != Level.DISTRICT
                    and deadlines.limit_for(case.category, case.colour).escalate_when_overdue
                ):
                    note = _("超期自动升级")
                    services.move_up(case, action=Action.ESCALATE, actor=SYSTEM, role=SYSTEM_ROLE, note=note, at=now)
                    counts["escalated"] += 1
        elif remind_at and remind_at <= now:
            new = _alert(case, AlertKind.REMINDER, due, now, Action.REMIND, _("即将到期"))
            if new is not None:
                counts["reminders"] += 1
                sent += new
    return sent


def _pending(statuses: frozenset[str], which: str, now: datetime.datetime) -> Q:
    """Cases past the reminder point of this deadline that the sweep has not finished with: no
    overdue record for it yet, and no reminder either while it is still ahead. A case overdue for
    months is not read again every five minutes."""
    alerts = CaseAlert.objects.filter(case=OuterRef("pk"), due=OuterRef(f"{which}_due"))
    reminded_and_not_yet_due = Q(**{f"{which}_due__gt": now}) & Exists(alerts.filter(kind=AlertKind.REMINDER))
    return (
        Q(status__in=sorted(statuses), **{f"{which}_remind_at__lte": now})
        & ~Exists(alerts.filter(kind=AlertKind.OVERDUE))
        & ~reminded_and_not_yet_due
    )


def pending_q(now: datetime.datetime) -> Q:
    """The cases the sweep reads: its partial indexes cover exactly these statuses."""
    return (
        _pending(AWAITING_RESPONSE, "response", now)
        | _pending(AWAITING_DISPATCH, "dispatch", now)
        | _pending(WORKING, "resolution", now)
    )


def sweep_deadlines(now: datetime.datetime | None = None) -> dict[str, int]:
    """Reminders at 75% of a period, overdue records, 督办 on an overdue resolution and automatic
    escalation where the time limit says so. Overdue itself is computed on every read; this only
    records and tells. Each case is its own transaction; notifications go out after it commits.
    One case that fails (a broken time limit, say) is logged with its number and rolled back on
    its own; the others are still swept, and it is tried again on the next run."""
    from cases.tasks import deliver_notifications

    now = now or timezone.now()
    counts = dict.fromkeys(["reminders", "overdue", "supervised", "escalated"], 0)
    pending = Case.objects.unscoped("the sweep reads every case with a clock running").filter(pending_q(now))
    for pk, number in pending.values_list("pk", "number").iterator():
        tally = dict.fromkeys(counts, 0)
        try:
            with transaction.atomic():
                case = (
                    Case.objects.unscoped("the sweep re-reads the case it found, under its lock")
                    .select_for_update(of=("self",))
                    .select_related("category", "area")
                    .get(pk=pk)
                )
                sent = _sweep_case(case, now, tally)
                if sent:
                    enqueue_on_commit(deliver_notifications, sent)
        except Exception:
            # Counted nowhere on purpose: the counts say what was recorded, and this case recorded nothing.
            log.exception("deadline sweep: case %s failed; the others go on", number)
            continue
        for key, n in tally.items():
            counts[key] += n
    return counts


def send_notifications(ids: list[int]) -> int:
    """Hands notifications to the message channel once each. A row is claimed by a conditional
    update and the claim commits only with the hand-over: a task delivered twice sends nothing
    twice (the second claim waits on the first's row lock, then finds it sent), and a worker killed
    while sending leaves the row unclaimed for the redelivered task. The channel is the in-app
    list and the log, and NOTIFICATION_GATEWAY_URL when set (an SMS or WeChat relay)."""
    sent = 0
    unsent = Notification.objects.unscoped("the delivery task sends the notifications it was handed, by id")
    for notification in unsent.filter(pk__in=ids, sent_at__isnull=True).select_related("user"):
        with transaction.atomic():
            claim = Notification.objects.reread(notification).filter(sent_at__isnull=True)
            if claim.update(sent_at=timezone.now()):
                _hand_over(notification)
                sent += 1
    return sent


def _hand_over(notification: Notification) -> None:
    log.info("notify %s: %s", notification.user.username, notification.text)
    if settings.NOTIFICATION_GATEWAY_URL:
        gateway.post(
            settings.NOTIFICATION_GATEWAY_URL,
            {"user": notification.user.username, "case": notification.case_id, "text": notification.text},
            idempotency_key=f"notification-{notification.pk}",
            timeout=settings.NOTIFICATION_GATEWAY_TIMEOUT,
        )


# Left for the task queued after its commit first; past this, that task is taken to be lost
# (the broker was down, or the worker died before it ran) and beat's pass sends the row.
PENDING_AFTER = datetime.timedelta(minutes=1)
PENDING_BATCH = 1000


def send_pending(now: datetime.datetime | None = None) -> int:
    """Beat's pass (every minute): notifications still unsent a minute after they were recorded.
    A batch per pass, oldest first; the next pass takes the rest."""
    cutoff = (now or timezone.now()) - PENDING_AFTER
    pending = Notification.objects.unscoped("beat's pass sends whatever notifications are still unsent")
    pending = pending.filter(sent_at__isnull=True, created_at__lte=cutoff).order_by("created_at", "pk")
    return send_notifications(list(pending.values_list("pk", flat=True)[:PENDING_BATCH]))
