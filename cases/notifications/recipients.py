"""Who must be told of an event: computed from the posts held at that moment, here and nowhere else.

Each kind of event hands the case to someone: a report to the community's handlers, a whistle or
an escalation to the dispatchers of the level it reached, a dispatch (or a decision on an
extension, or a rework) to the department's officers (and a dispatch, as 协办, to the officers of
the departments assisting), a return to whoever dispatched it, a
request for more time to the level's dispatchers, a resolution to the grid's workers who verify
it. The sweep's reminders, overdue records and 督办 go to whoever holds the case now (督办 to the
street as well). Besides the users, an audience names the units (places and departments) whose
work-messaging group robots hear of it.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q

from cases.models import Action, Case, CaseEvent, Level, NotificationKind, Status
from core.capabilities import Capability
from orgs.capabilities import GRID_TEAM, roles_with
from orgs.models import Post

KIND_OF_ACTION = {
    Action.REPORT: NotificationKind.REPORTED,
    Action.WHISTLE: NotificationKind.WHISTLED,
    Action.ESCALATE: NotificationKind.ESCALATED,
    Action.DISPATCH: NotificationKind.DISPATCHED,
    Action.RETURN: NotificationKind.RETURNED,
    Action.REQUEST_EXTENSION: NotificationKind.EXTENSION_ASKED,
    Action.APPROVE_EXTENSION: NotificationKind.EXTENSION_DECIDED,
    Action.REFUSE_EXTENSION: NotificationKind.EXTENSION_DECIDED,
    Action.RESOLVE: NotificationKind.RESOLVED,
    Action.VERIFY_REWORK: NotificationKind.REWORK,
    Action.REOPEN: NotificationKind.REOPENED,
    Action.REMIND: NotificationKind.REMINDER,
    Action.OVERDUE: NotificationKind.OVERDUE,
    Action.SUPERVISE: NotificationKind.SUPERVISION,
}


@dataclass
class Audience:
    posts: Q = field(default_factory=lambda: Q(pk__in=[]))
    area_ids: set[int] = field(default_factory=set)
    department_ids: set[int] = field(default_factory=set)

    def add_area(self, area_id: int | None, capability: Capability | None = None, roles=None) -> None:
        if area_id is None:
            return
        roles = roles if roles is not None else roles_with(capability)
        self.posts |= Q(area_id=area_id, role__in=sorted(roles))
        self.area_ids.add(area_id)

    def add_department(self, department_id: int | None) -> None:
        if department_id is None:
            return
        self.posts |= Q(department_id=department_id, role__in=sorted(roles_with(Capability.WORK_FOR_DEPARTMENT)))
        self.department_ids.add(department_id)

    def users(self) -> list:
        """The active holders, each with their 通知设置 (if they saved any) read in the same query.
        Not a client key's service account: the system behind it hears by webhook, if it subscribed."""
        posts = Post.objects.unscoped("whoever must be told of a case, wherever they are").active()
        holders = posts.filter(self.posts, user__isnull=False).values("user_id")
        people = get_user_model().objects.filter(pk__in=holders, is_active=True, client_key__isnull=True)
        users = people.select_related("notification_settings")
        return list(users.order_by("pk"))


def _community(audience: Audience, case: Case) -> None:
    audience.add_area(case.community_id, Capability.HANDLE_IN_COMMUNITY)


def _dispatchers(audience: Audience, case: Case) -> None:
    """The level the case is at dispatches it: the street, or the district once escalated."""
    if case.level == Level.DISTRICT:
        audience.add_area(case.district_id, Capability.DISPATCH_FOR_DISTRICT)
    else:
        audience.add_area(case.street_id, Capability.DISPATCH_FOR_STREET)


def _holders(audience: Audience, case: Case) -> None:
    """Whoever holds the case now: its department, the dispatchers, or the community."""
    if case.department_id and case.status in (Status.DISPATCHED, Status.IN_PROGRESS):
        audience.add_department(case.department_id)
    elif case.status == Status.WHISTLED:
        _dispatchers(audience, case)
    else:
        _community(audience, case)


def _verifiers(audience: Audience, case: Case) -> None:
    """The grid workers of the case's grid check the fix; a case without a grid, the community."""
    if case.grid_id:
        audience.add_area(case.grid_id, roles=GRID_TEAM)
    else:
        audience.add_area(case.community_id, Capability.VERIFY_CASE)


def _dispatcher_of(audience: Audience, case: Case, event: CaseEvent) -> None:
    """Back to whoever dispatched it, if they still dispatch there; else to the level's dispatchers."""
    dispatched = case.events.filter(action=Action.DISPATCH, at__lte=event.at).order_by("-at", "-pk").first()
    level = Audience()
    _dispatchers(level, case)
    if dispatched and dispatched.actor_id and any(u.pk == dispatched.actor_id for u in level.users()):
        audience.posts |= level.posts & Q(user_id=dispatched.actor_id)
        audience.area_ids |= level.area_ids
        return
    _dispatchers(audience, case)


def audience_for(case: Case, event: CaseEvent, kind: str) -> Audience:
    audience = Audience()
    if kind == NotificationKind.REPORTED:
        _community(audience, case)
    elif kind in (NotificationKind.WHISTLED, NotificationKind.ESCALATED, NotificationKind.EXTENSION_ASKED):
        _dispatchers(audience, case)
    elif kind == NotificationKind.RETURNED:
        _dispatcher_of(audience, case, event)
    elif kind in (NotificationKind.DISPATCHED, NotificationKind.EXTENSION_DECIDED):
        audience.add_department(case.department_id)
    elif kind == NotificationKind.RESOLVED:
        _verifiers(audience, case)
    elif kind in (NotificationKind.REWORK, NotificationKind.REOPENED):
        if case.department_id:
            audience.add_department(case.department_id)
        else:
            _community(audience, case)
    else:  # the sweep's reminders, overdue records and 督办
        _holders(audience, case)
        if kind == NotificationKind.SUPERVISION:
            audience.add_area(case.street_id, Capability.DISPATCH_FOR_STREET)
    return audience


def audiences_for(case: Case, event: CaseEvent, kind: str) -> list[tuple[str, Audience]]:
    """Each kind the event is told as, with its audience: a dispatch also tells the departments
    assisting the lead one, as 协办 (they work on it but do not sign for it)."""
    told = [(kind, audience_for(case, event, kind))]
    if kind == NotificationKind.DISPATCHED:
        assisting = Audience()
        for department_id in case.assisting.values_list("pk", flat=True):
            assisting.add_department(department_id)
        if assisting.department_ids:
            told.append((NotificationKind.ASSISTING, assisting))
    return told
