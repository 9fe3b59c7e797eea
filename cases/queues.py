"""Work queues (待办): the named, filtered case lists a workbench counts and links to.

Each queue says which capability opens it, whether it reaches the caller's cases by place or by
department, which cases are in it and which time it runs on. The list page and the workbench's
counts read the same definition, so a count always matches the list it links to; a caller whose
posts do not allow the capability gets a 404 for the list and no panel for it.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import INBOX, INBOX_DUE, OPEN, Action, Case, Colour, Level, Status, area_case_q
from cases.selectors import cases, overdue_q
from core.capabilities import Capability
from core.scope import Scope

PLACE, DEPARTMENT = "place", "department"


@dataclass(frozen=True)
class Queue:
    slug: str
    title: Promise
    capability: Capability
    reach: str  # PLACE: cases at the places of the posts allowing it; DEPARTMENT: their departments' cases
    # The statuses its cases are in (None: any); the workbench's counts name them outside the
    # queues' ORs, so the planner reaches them through a status index, not the scope's history.
    statuses: frozenset[str] | None
    # (now, user) → which of the cases in those statuses, if not all of them.
    where: Callable[[datetime.datetime, object], Q] | None = None
    # The time the list runs on, oldest (or soonest due) first; None for newest reported first.
    key: object = None
    # What the workbench shows of the oldest: how long it has waited ("since") or how long is left ("due").
    shows: str = "since"

    def holds(self, now: datetime.datetime, user) -> Q:
        q = Q() if self.statuses is None else Q(status__in=sorted(self.statuses))
        return q & self.where(now, user) if self.where else q


def _one(status: str) -> frozenset[str]:
    return frozenset({status})


QUEUES: dict[str, Queue] = {
    q.slug: q
    for q in [
        Queue("triage", _("待受理"), Capability.HANDLE_IN_COMMUNITY, PLACE, _one(Status.REPORTED), key=F("created_at")),
        Queue(
            "late", _("社区办理中已超期"), Capability.HANDLE_IN_COMMUNITY, PLACE, _one(Status.ACCEPTED),
            lambda now, user: Q(resolution_due__lt=now), F("resolution_due"), "due",
        ),
        Queue(
            "verify", _("待核查"), Capability.VERIFY_CASE, PLACE, _one(Status.RESOLVED),
            key=Coalesce("resolved_at", "created_at"),
        ),
        Queue(
            "dispatch", _("待派遣"), Capability.DISPATCH_FOR_STREET, PLACE, _one(Status.WHISTLED),
            key=F("updated_at"),
        ),
        Queue(
            "extensions", _("延期申请"), Capability.DISPATCH_FOR_STREET, PLACE, _one(Status.IN_PROGRESS),
            lambda now, user: Q(extension_days__isnull=False), F("updated_at"),
        ),
        Queue(
            "escalated", _("升级来的案件"), Capability.DISPATCH_FOR_STREET, PLACE, OPEN,
            lambda now, user: Q(last_action=Action.ESCALATE), F("updated_at"),
        ),
        Queue("inbox", _("部门待办"), Capability.WORK_FOR_DEPARTMENT, DEPARTMENT, INBOX, key=INBOX_DUE, shows="due"),
        Queue(
            "to-sign", _("待签收"), Capability.WORK_FOR_DEPARTMENT, DEPARTMENT, _one(Status.DISPATCHED),
            key=Coalesce("response_due", "created_at"), shows="due",
        ),
        Queue(
            "working", _("部门办理中"), Capability.WORK_FOR_DEPARTMENT, DEPARTMENT, _one(Status.IN_PROGRESS),
            key=Coalesce("resolution_due", "created_at"), shows="due",
        ),
        Queue(
            "rework", _("核查退回"), Capability.WORK_FOR_DEPARTMENT, DEPARTMENT, _one(Status.IN_PROGRESS),
            lambda now, user: Q(last_action=Action.VERIFY_REWORK), Coalesce("resolution_due", "created_at"), "due",
        ),
        Queue("mine", _("我上报的"), Capability.REPORT_CASE, PLACE, None, lambda now, user: Q(reporter=user)),
        Queue(
            "my-open", _("我上报的未办结案件"), Capability.REPORT_CASE, PLACE, OPEN,
            lambda now, user: Q(reporter=user), F("created_at"),
        ),
    ]
}  # fmt: skip


def _reach_q(scope: Scope, queue: Queue) -> Q:
    """The cases a queue may hold for this caller: at the places (or of the departments) of the posts
    whose role allows the queue's capability, not everywhere the caller sees."""
    if scope.unrestricted:
        return Q()
    allowed = [post for post in scope.posts if queue.capability in scope.role_capabilities.get(post.role, ())]
    q = Q(pk__in=[])
    if queue.reach == DEPARTMENT:
        departments = sorted({post.department_id for post in allowed if post.department_id})
        return Q(department_id__in=departments) if departments else q
    for post in allowed:
        if not post.area_id:
            continue
        here = area_case_q(post.area)
        if queue.slug == "escalated":
            # Escalations come in at the level each post dispatches for: the district's, or the street's.
            district = Capability.DISPATCH_FOR_DISTRICT in scope.role_capabilities.get(post.role, ())
            here &= Q(level=Level.DISTRICT if district else Level.STREET)
        q |= here
    return q


def may_open(scope: Scope, queue: Queue) -> bool:
    return scope.may(queue.capability) and (scope.has_areas if queue.reach == PLACE else bool(scope.department_ids))


def open_for(scope: Scope, slug: str) -> Queue:
    queue = QUEUES.get(slug)
    if queue is None or not may_open(scope, queue):
        raise Http404
    return queue


def queue_cases(scope: Scope, queue: Queue, user, now: datetime.datetime | None = None) -> QuerySet[Case]:
    now = now or timezone.now()
    return cases(scope).filter(_reach_q(scope, queue), queue.holds(now, user))


def counts(scope: Scope, slugs: Iterable[str], user, now: datetime.datetime | None = None) -> dict[str, dict]:
    """For each queue: how many cases, how many of them overdue, and the oldest's time: one query,
    over only the cases some queue holds (an index on the place or department and the status
    finds them), never the scope's whole history."""
    now = now or timezone.now()
    late = overdue_q(now)
    aggregates, held, statuses = {}, Q(pk__in=[]), set()
    for slug in slugs:
        queue = QUEUES[slug]
        q = _reach_q(scope, queue) & queue.holds(now, user)
        held |= q
        statuses = None if statuses is None or queue.statuses is None else statuses | queue.statuses
        aggregates[f"{slug}__count"] = Count("pk", filter=q)
        aggregates[f"{slug}__overdue"] = Count("pk", filter=q & late)
        aggregates[f"{slug}__oldest"] = Min(queue.key if queue.key is not None else F("created_at"), filter=q)
    if not aggregates:
        return {}
    # The statuses outside the ORs: left inside them alone, they let the planner walk a whole
    # deadline index (every working case in the city) and filter it by department.
    in_statuses = Q() if statuses is None else Q(status__in=sorted(statuses))
    row = cases(scope).filter(in_statuses, held).aggregate(**aggregates)
    return {
        slug: {"count": row[f"{slug}__count"], "overdue": row[f"{slug}__overdue"], "oldest": row[f"{slug}__oldest"]}
        for slug in slugs
    }


def today(scope: Scope, now: datetime.datetime | None = None) -> dict:
    """The leader's figures for today across the scope: reported, closed, open, overdue, red open.
    (Overdue and red are of open cases: overdue_q holds only open statuses.)"""
    now = now or timezone.now()
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    reported, closed = Q(created_at__gte=midnight), Q(status=Status.CLOSED, closed_at__gte=midnight)
    # Only today's and the open cases are read, not the scope's history, in two reads: today's
    # through the created and closed indexes, the open ones through case_district_open alone. One
    # read of their OR visited a table page for every open case.
    figures = (
        cases(scope)
        .filter(reported | closed)
        .aggregate(reported=Count("pk", filter=reported), closed=Count("pk", filter=closed))
    )
    return figures | (
        cases(scope)
        .filter(status__in=sorted(OPEN))
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=overdue_q(now)),
            red=Count("pk", filter=Q(colour=Colour.RED)),
        )
    )
