"""What every step shares: the row lock, who may take it (from the workflow table), and the one
recorder that appends the event, stores the photos, writes the audit entry and notifies. The sweep
records through it too, so a case's history has one author and every event one way to be told."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import rollup, workflow
from cases.models import Case, CaseEvent, CasePhoto
from cases.notifications.delivery import announce, announce_all
from cases.photos import CleanPhoto
from cases.webhooks.outbox import record_all_deliveries, record_deliveries
from core import audit
from core.bulk import MANY, bulk_insert
from core.scope import SYSTEM, scope_for

RESIDENT = "resident"
SYSTEM_ROLE = "system"
_SNAPSHOT = "_fields_as_locked"


class CaseConflict(ValidationError):
    """Someone else moved the case first."""


def _snapshot(case: Case) -> dict:
    return {f.attname: getattr(case, f.attname) for f in case._meta.concrete_fields}


def _lock(case: Case, expected: Iterable[str]) -> Case:
    # Only the case's row: a plain FOR UPDATE over the join would also lock its building and its
    # category, and every case at that building or of that category would queue behind it.
    locked = Case.objects.reread(case).select_for_update(of=("self",)).select_related("area", "category").get()
    if locked.status not in expected:
        raise CaseConflict(
            _("案件%(number)s当前状态为“%(status)s”,不能进行此操作(可能已被他人处理,请刷新)"),
            code="conflict",
            params={"number": locked.number, "status": locked.get_status_display()},
        )
    setattr(locked, _SNAPSHOT, _snapshot(locked))
    return locked


def begin(slug: str, case: Case, actor, *, check=None) -> tuple[Case, str]:
    """Lock the case in a status the step may start from and find the actor's capacity for it.
    `check(locked)` runs in between, for a rule about the case that comes before who asks."""
    step = workflow.STEPS[slug]
    locked = _lock(case, step.starts_from)
    if check is not None:
        check(locked)
    role = workflow.capacity(step, scope_for(actor), locked)
    if role is None:
        raise PermissionDenied(_("您的岗位不能办理这一步"))
    return locked, role


def record(
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
    moves: bool = True,
) -> CaseEvent:
    """Save the case, append its event (and photos), audit who did it and tell whoever the event
    hands the case to (cases.notifications), in the caller's transaction.
    `actor` is a user, None for the anonymous resident, or SYSTEM for the sweep. An event that
    does not move the case (`moves=False`: the sweep's reminders and overdue records) leaves its
    status and last action as they are. The subscribed systems' deliveries are recorded beside the
    notifications (cases.webhooks)."""
    creating = case.pk is None
    before = {} if creating else getattr(case, _SNAPSHOT, None) or _snapshot(case)
    from_status = "" if creating else case.status
    if moves:
        case.status = to_status
        case.last_action = action
        case.save()
    user = actor if actor is not None and actor is not SYSTEM else None
    post = _acting_post(user, role, case)
    event = CaseEvent.objects.create(
        case=case,
        action=action,
        actor=user,
        actor_role=role,
        actor_area_id=post.area_id if post else None,
        actor_department_id=post.department_id if post else None,
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
    after = _snapshot(case)
    changed = [name for name, value in after.items() if before.get(name, None) != value and name != "updated_at"]
    setattr(case, _SNAPSHOT, after)
    announce(case, event)
    record_deliveries(case, event)
    # Last, and in this order. Every write queues on the audit chain's lock, and writers on one
    # street's day on its row (cases.rollup); each holds them until it commits, so whatever a
    # step does after taking them, every other writer waits for. The chain's lock comes first,
    # then the day rows, in every write, so no two writers take them in opposite orders.
    audit.record(actor=actor, action=f"case.{action}", target=case, fields=changed, capacity=role)
    if rollup.counts_changed(changed):
        rollup.recount(rollup.keys_of(case, before))
    return event


def lock_all(cases) -> list[Case]:
    """`_lock` for many cases at once (the sweep's): their rows locked and read again, each
    remembered as it was locked, for `record_for_system` to say what changed. What they point at
    comes in a query of its own by primary key: joined, PostgreSQL hashes every area of the city
    for a batch of 500 cases."""
    locked = cases.select_for_update(of=("self",)).prefetch_related("area", "category", "district", "department")
    locked = list(locked.order_by("pk"))
    for case in locked:
        setattr(case, _SNAPSHOT, _snapshot(case))
    return locked


@dataclass(frozen=True)
class SystemRecord:
    """One of the sweep's records: a reminder, an overdue record, 督办, or (`moves`, to
    `to_status`) an automatic escalation. The case carries whatever else the sweep changed."""

    case: Case
    action: str
    note: str
    data: dict
    moves: bool = False
    to_status: str = ""


def record_for_system(records: list[SystemRecord], at: datetime.datetime) -> list[CaseEvent]:
    """What `record` does for each, with the system as actor, for many cases at once (each case
    once; cases from `lock_all`): the changed cases saved, the events, the audit entries and the
    notifications, each in one statement, in the caller's transaction. Whoever must be told is
    read from the cases as they stand after this call's changes."""
    events, entries, saved, days = [], [], [], set()
    for r in records:
        case, from_status = r.case, r.case.status
        if r.moves:
            case.status, case.last_action = r.to_status, r.action
        before, after = getattr(case, _SNAPSHOT), _snapshot(case)
        changed = [name for name, value in after.items() if before.get(name) != value and name != "updated_at"]
        if changed:
            saved.append((case, changed))
        if rollup.counts_changed(changed):
            days |= rollup.keys_of(case, before)
        events.append(
            CaseEvent(case=case, action=r.action, actor=None, actor_role=SYSTEM_ROLE, at=at, from_status=from_status,
                      to_status=case.status, department_id=case.department_id, note=r.note, data=r.data)
        )  # fmt: skip
        entries.append(audit.entry(actor=SYSTEM, action=f"case.{r.action}", target=case, fields=changed,
                                   capacity=SYSTEM_ROLE))  # fmt: skip
        setattr(case, _SNAPSHOT, after)
    # One UPDATE for each set of new values: the sweep's cases change alike (督办; one level up at
    # the same moment), so a batch takes a handful, not one for each case.
    alike = defaultdict(list)
    for case, changed in saved:
        alike[tuple((name, getattr(case, name)) for name in sorted(changed))].append(case)
    saved_at = timezone.now()  # as `auto_now` would have it
    written = Case.objects.unscoped("the sweep saves the cases it locked")
    for values, cases in alike.items():
        written.filter(pk__in=[case.pk for case in cases]).update(updated_at=saved_at, **dict(values))
        for case in cases:
            case.updated_at = saved_at
    bulk_insert(events, copy_from=MANY)
    told = [(r.case, event) for r, event in zip(records, events, strict=True)]
    announce_all(told)
    record_all_deliveries(told)
    audit.record_all(entries)  # last, and before the day rows, as in `record`
    rollup.recount(days)
    return events


def _acting_post(user, role: str, case: Case):
    """The actor's post of that role at or above the case's place, or in its lead department."""
    if user is None:
        return None
    for post in scope_for(user).posts:
        if post.role != role:
            continue
        if (post.area_id and case.area.is_descendant_of(post.area, include_self=True)) or (
            post.department_id and post.department_id == case.department_id
        ):
            return post
    return None


def required_text(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message, code="required")
    return text
