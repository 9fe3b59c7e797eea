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

from collections import defaultdict
from dataclasses import dataclass, field

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
    """Whom an event is told to: the holders of these roles at these places, the officers of these
    departments (only `only_user` of them, for a return to the one who dispatched), and the units'
    group robots. Read for many events at once by `users_of` and `hooks_of`."""

    areas: dict[int, frozenset[str]] = field(default_factory=dict)
    department_ids: set[int] = field(default_factory=set)
    only_user: int | None = None

    @property
    def area_ids(self) -> set[int]:
        return set(self.areas)

    def add_area(self, area_id: int | None, capability: Capability | None = None, roles=None) -> None:
        if area_id is None:
            return
        roles = roles if roles is not None else roles_with(capability)
        self.areas[area_id] = self.areas.get(area_id, frozenset()) | frozenset(roles)

    def add_department(self, department_id: int | None) -> None:
        if department_id is not None:
            self.department_ids.add(department_id)

    def holds(self, post: Post) -> bool:
        if self.only_user is not None and post.user_id != self.only_user:
            return False
        if post.role in self.areas.get(post.area_id, ()):
            return True
        return post.department_id in self.department_ids and post.role in roles_with(Capability.WORK_FOR_DEPARTMENT)

    def users(self) -> list:
        return users_of([self])[0]


def users_of(audiences: list[Audience]) -> list[list]:
    """Each audience's active holders, by id, each with their 通知设置 (if they saved any), all
    read in one query. Not a client key's service account: the system behind it hears by
    webhook, if it subscribed."""
    area_ids = sorted(set().union(*(a.areas for a in audiences)))
    department_ids = sorted(set().union(*(a.department_ids for a in audiences)))
    if not (area_ids or department_ids):
        return [[] for _ in audiences]
    posts = Post.objects.unscoped("whoever must be told of a case, wherever they are").active()
    held = posts.filter(
        Q(area_id__in=area_ids) | Q(department_id__in=department_ids),
        user__is_active=True,
        user__client_key__isnull=True,
    ).select_related("user__notification_settings")
    near: dict[tuple[str, int], list[Post]] = defaultdict(list)
    for post in held.order_by("pk"):
        near["area", post.area_id].append(post)
        near["department", post.department_id].append(post)
    told = []
    for audience in audiences:
        units = [("area", area_id) for area_id in audience.areas]
        units += [("department", department_id) for department_id in audience.department_ids]
        posts = [post for unit in units for post in near.get(unit, ())]
        people = {post.user_id: post.user for post in posts if audience.holds(post)}
        told.append([people[user_id] for user_id in sorted(people)])
    return told


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


def _dispatcher_of(case: Case, event: CaseEvent) -> Audience:
    """Back to whoever dispatched it, if they still dispatch there; else to the level's dispatchers."""
    dispatched = case.events.filter(action=Action.DISPATCH, at__lte=event.at).order_by("-at", "-pk").first()
    audience = Audience()
    _dispatchers(audience, case)
    if dispatched and dispatched.actor_id and any(u.pk == dispatched.actor_id for u in audience.users()):
        audience.only_user = dispatched.actor_id
    return audience


def audience_for(case: Case, event: CaseEvent, kind: str) -> Audience:
    audience = Audience()
    if kind == NotificationKind.REPORTED:
        _community(audience, case)
    elif kind in (NotificationKind.WHISTLED, NotificationKind.ESCALATED, NotificationKind.EXTENSION_ASKED):
        _dispatchers(audience, case)
    elif kind == NotificationKind.RETURNED:
        audience = _dispatcher_of(case, event)
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
