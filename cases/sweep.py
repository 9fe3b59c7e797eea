"""The deadline sweep (Celery beat, every 5 minutes).

Overdue itself is computed on every read; the sweep only records and tells: a reminder at 75 %
of a period, an overdue record, 督办 on an overdue resolution and the automatic escalation the
time limit asks for, each once per deadline. They are recorded for a batch of cases at a time,
in as many queries as for one case (`services.record_for_system`), and whoever holds each
case is told (cases.notifications) after the batch's transaction commits.
"""

import datetime
import logging
from collections import Counter

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
    TimeLimit,
)
from core.bulk import MANY, bulk_insert

log = logging.getLogger(__name__)


# Cases locked, read and recorded together, in one transaction: about 35 queries for each batch,
# and 4 more for each 200 days whose dashboard counts its escalations change (cases.rollup).
BATCH = 500
COUNTS = ("reminders", "overdue", "supervised", "escalated")


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


def _sweep_cases(pks: list[int], now: datetime.datetime, limits: dict) -> dict[str, int]:
    """One batch, in the caller's transaction: the cases locked and read again (a step may have
    moved one since the sweep found it), and the alerts they lack recorded once per deadline, in
    three passes that each write every case's events, audit entries and notifications together:
    reminders and overdue records, then 督办 on the overdue resolutions, then the escalations
    their time limits ask for. Each pass tells whoever holds the case at that point, as the
    same records one after another would."""
    cases = services.lock_all(Case.objects.unscoped("the sweep re-reads the cases it found").filter(pk__in=pks))
    # Under the cases' locks no other sweep can add to these (the unique constraint says so too).
    done = set(CaseAlert.objects.filter(case_id__in=pks).values_list("case_id", "kind", "due"))
    alerts, records, late = [], [], []
    for case in cases:
        for which, due, remind_at in _running(case):
            if due <= now:
                kind, action, note = AlertKind.OVERDUE, Action.OVERDUE, _overdue(which)
            elif remind_at and remind_at <= now:
                kind, action, note = AlertKind.REMINDER, Action.REMIND, _("即将到期")
            else:
                continue
            if (case.pk, kind, due) in done:
                continue
            alerts.append(CaseAlert(case=case, kind=kind, due=due))
            records.append(services.SystemRecord(case, action, note, {"due": due.isoformat()}))
            # 督办 goes with an overdue resolution's record, in the same transaction.
            if kind == AlertKind.OVERDUE and which == "resolution":
                late.append((case, due))
    services.record_for_system(records, now)
    for case, due in late:
        case.supervised = True
        alerts.append(CaseAlert(case=case, kind=AlertKind.SUPERVISION, due=due))
    services.record_for_system(
        [services.SystemRecord(c, Action.SUPERVISE, _("超期督办"), {"due": due.isoformat()}) for c, due in late], now
    )
    escalations = []
    for case, _due in late:
        limit = _limit(case, limits)
        if case.level != Level.DISTRICT and limit.escalate_when_overdue:
            to_status, data = services.lift(case, now, limit)
            escalations.append(services.SystemRecord(case, Action.ESCALATE, _("超期自动升级"), data, True, to_status))
    services.record_for_system(escalations, now)
    bulk_insert(alerts, copy_from=MANY)
    made = Counter(alert.kind for alert in alerts)
    return {
        "reminders": made[AlertKind.REMINDER],
        "overdue": made[AlertKind.OVERDUE],
        "supervised": made[AlertKind.SUPERVISION],
        "escalated": len(escalations),
    }


def _overdue(which: str) -> str:
    return {"response": _("响应已超期"), "dispatch": _("派遣已超期")}.get(which, _("办结已超期"))


def _limit(case: Case, known: dict) -> TimeLimit:
    """The case's time limit, read once a sweep for each category and colour."""
    key = (case.category_id, case.colour)
    if key not in known:
        known[key] = deadlines.limit_for(case.category, case.colour)
    return known[key]


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
    records and tells. Cases are swept a batch at a time, each batch its own transaction, and
    notifications go out after it commits. A batch that fails is swept again a case at a time, so
    the one case that fails (a broken time limit, say) is logged with its number and rolled back
    on its own; the others are still swept, and it is tried again on the next run."""
    now = now or timezone.now()
    counts = dict.fromkeys(COUNTS, 0)
    pending = Case.objects.unscoped("the sweep reads every case with a clock running").filter(pending_q(now))
    found = list(pending.order_by("pk").values_list("pk", "number"))
    limits: dict = {}
    for start in range(0, len(found), BATCH):
        _sweep_apart(found[start : start + BATCH], now, limits, counts)
    return counts


def _sweep_apart(batch: list[tuple[int, str]], now: datetime.datetime, limits: dict, counts: dict) -> None:
    try:
        with transaction.atomic():
            tally = _sweep_cases([pk for pk, _number in batch], now, limits)
    except Exception:
        if len(batch) == 1:
            # Counted nowhere on purpose: the counts say what was recorded, and this case recorded nothing.
            log.exception("deadline sweep: case %s failed; the others go on", batch[0][1])
            return
        log.warning("deadline sweep: a batch of %d cases failed; sweeping them one at a time", len(batch))
        for one in batch:
            _sweep_apart([one], now, limits, counts)
        return
    for key, n in tally.items():
        counts[key] += n
