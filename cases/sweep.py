"""The deadline sweep (Celery beat, every 5 minutes).

Overdue itself is computed on every read; the sweep only records and tells: a reminder at 75 %
of a period, an overdue record, 督办 on an overdue resolution and the automatic escalation the
time limit asks for, each once per deadline. Each is recorded through the case recorder, which
tells whoever holds the case (cases.notifications) after the case's transaction commits.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import deadlines, services
from cases.models import AWAITING_DISPATCH, AWAITING_RESPONSE, WORKING, Action, AlertKind, Case, CaseAlert, Level
from cases.services import SYSTEM_ROLE
from core.scope import SYSTEM

log = logging.getLogger(__name__)


def _alert(case: Case, kind: str, due: datetime.datetime, now: datetime.datetime, action: str, note: str) -> bool:
    """Records the alert once per deadline, and through the recorder whoever holds the case is
    told; False if the alert was recorded before (a second sweep changes nothing and sends nothing)."""
    _row, created = CaseAlert.objects.get_or_create(case=case, kind=kind, due=due)
    if not created:
        return False
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
    return True


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


def _sweep_case(case: Case, now: datetime.datetime, counts: dict[str, int]) -> None:
    for which, due, remind_at in _running(case):
        if due <= now:
            label = {"response": _("响应已超期"), "dispatch": _("派遣已超期")}.get(which, _("办结已超期"))
            if not _alert(case, AlertKind.OVERDUE, due, now, Action.OVERDUE, label):
                continue
            counts["overdue"] += 1
            if which == "resolution":
                case.supervised = True
                case.save(update_fields=["supervised", "updated_at"])
                _alert(case, AlertKind.SUPERVISION, due, now, Action.SUPERVISE, _("超期督办"))
                counts["supervised"] += 1
                if (
                    case.level != Level.DISTRICT
                    and deadlines.limit_for(case.category, case.colour).escalate_when_overdue
                ):
                    note = _("超期自动升级")
                    services.move_up(case, action=Action.ESCALATE, actor=SYSTEM, role=SYSTEM_ROLE, note=note, at=now)
                    counts["escalated"] += 1
        elif (
            remind_at and remind_at <= now and _alert(case, AlertKind.REMINDER, due, now, Action.REMIND, _("即将到期"))
        ):
            counts["reminders"] += 1


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
                _sweep_case(case, now, tally)
        except Exception:
            # Counted nowhere on purpose: the counts say what was recorded, and this case recorded nothing.
            log.exception("deadline sweep: case %s failed; the others go on", number)
            continue
        for key, n in tally.items():
            counts[key] += n
    return counts
