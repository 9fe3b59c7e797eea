"""Reads of the service hall, through the caller's scope: its requests, the station's staff and
windows, the workbench's to-dos, the counts per item, window and staff member, and what each
person handled in a year (for the yearly evaluation)."""

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Min, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from core.capabilities import Capability
from core.scope import Scope
from grids import selectors as grid_selectors
from grids.access import may_edit_people
from grids.models import Area, AreaKind
from hall.models import FINISHED_STATUSES, OPEN_STATUSES, ServiceItem, ServiceRequest, Source, Window
from orgs.capabilities import roles_with
from orgs.models import Post

HISTORY_ROWS = 10


def requests(scope: Scope) -> QuerySet[ServiceRequest]:
    # No lists show who took or handles a request: their two user joins made the list's query take
    # PostgreSQL 3.2 ms to plan at city scale, 0.3 ms without them.
    return ServiceRequest.objects.within(scope).select_related("item__category", "community", "building", "window")


def get_request(scope: Scope, pk: int) -> ServiceRequest:
    found = requests(scope).select_related("handler", "received_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def items() -> QuerySet[ServiceItem]:
    """The catalogue is the same for every station: configuration, not anyone's records."""
    return (
        ServiceItem.objects.filter(active=True)
        .select_related("category")
        .order_by("category__position", "position", "id")
    )


def windows(scope: Scope) -> QuerySet[Window]:
    return Window.objects.within(scope).select_related("community")


def station_staff(community: Area):
    """The users holding a post at the community today that lets them serve at its station."""
    posts = Post.objects.unscoped("who serves at this community's station: the request's own community")
    posts = posts.active().filter(
        area=community, role__in=sorted(roles_with(Capability.HANDLE_IN_COMMUNITY)), user__isnull=False
    )
    users = get_user_model().objects.filter(pk__in=posts.values("user_id"), is_active=True)
    return users.order_by("last_name", "first_name", "username")


def communities(scope: Scope) -> QuerySet[Area]:
    """The stations the caller serves at: communities where they may handle requests."""
    found = grid_selectors.areas(scope).filter(kind=AreaKind.COMMUNITY).order_by("tree_id", "lft")
    if scope.unrestricted:
        return found
    ids = [a.pk for a in found if scope.capacity(Capability.HANDLE_IN_COMMUNITY, at=a) is not None]
    return found.filter(pk__in=ids)


# The workbench ---------------------------------------------------------------------------------


def to_dos(scope: Scope, user, now: datetime.datetime | None = None) -> dict[str, dict]:
    """待办: the open requests of the caller's stations, and those handed to the caller; each a
    count, how many are past their deadline, and the nearest deadline. One query."""
    now = now or timezone.now()
    open_ = requests(scope).filter(status__in=OPEN_STATUSES)
    mine = Q(handler_id=user.pk)
    late = Q(due_at__lt=now)
    row = open_.aggregate(
        count=Count("pk"),
        overdue=Count("pk", filter=late),
        oldest=Min("due_at"),
        mine=Count("pk", filter=mine),
        mine_overdue=Count("pk", filter=mine & late),
        mine_oldest=Min("due_at", filter=mine),
    )
    return {
        "open": {"count": row["count"], "overdue": row["overdue"], "oldest": row["oldest"]},
        "mine": {"count": row["mine"], "overdue": row["mine_overdue"], "oldest": row["mine_oldest"]},
    }


# Counts ----------------------------------------------------------------------------------------


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def counts(scope: Scope, year: int, now: datetime.datetime | None = None) -> dict[str, list[dict]]:
    """统计: the requests received in the year per item, per window and per staff member who handled
    them, with how many are done and how many ran late. Three grouped queries."""
    now = now or timezone.now()
    start, end = _year_bounds(year)
    received = requests(scope).filter(received_at__gte=start, received_at__lt=end).order_by()
    late = Q(finished_at__gt=F("due_at")) | Q(finished_at__isnull=True, due_at__lt=now)
    measures = {
        "count": Count("pk"),
        "done": Count("pk", filter=Q(status__in=FINISHED_STATUSES)),
        "late": Count("pk", filter=late),
    }

    def by(*fields):
        rows = received.values(*fields).annotate(**measures).order_by("-count", *fields)
        return list(rows)

    return {
        "items": [{"name": r["item__name"], **_m(r)} for r in by("item_id", "item__name")],
        "windows": [{"name": r["window__name"] or "", **_m(r)} for r in by("window__community__name", "window__name")],
        "staff": [
            {"name": _person(r["handler__last_name"], r["handler__first_name"], r["handler__username"]), **_m(r)}
            for r in by("handler_id", "handler__last_name", "handler__first_name", "handler__username")
        ],
    }


def _m(row: dict) -> dict:
    return {"count": row["count"], "done": row["done"], "late": row["late"]}


def _person(last: str | None, first: str | None, username: str | None) -> str:
    return f"{last or ''}{first or ''}" or username or ""


# For the yearly evaluation (issue 16) ---------------------------------------------------------


def handled_by(user_ids: Iterable[int], year: int) -> dict[int, int]:
    """便民服务办件: for each user, the requests they handled or took for a resident (网格员代办) that
    ended (done or refused) in the year, in Asia/Shanghai, each once. Every id asked for is in the
    answer, 0 if none. Two queries. Counts of a person's own work, read without a scope: the
    evaluation decides whose figures a caller may see."""
    ids = sorted(set(user_ids))
    rows = handled(ids, year)
    found = dict(rows.filter(handler_id__in=ids).values_list("handler_id").annotate(n=Count("pk")).order_by())
    taken = rows.filter(source=Source.PROXY, received_by_id__in=ids).exclude(handler_id=F("received_by_id"))
    for pk, n in taken.values_list("received_by_id").annotate(n=Count("pk")).order_by():
        found[pk] = found.get(pk, 0) + n
    return {pk: found.get(pk, 0) for pk in ids}


def handled(user_ids: Iterable[int], year: int) -> QuerySet[ServiceRequest]:
    """The requests behind `handled_by`'s counts, oldest first; `worked_by(pk)` picks one person's."""
    start, end = _year_bounds(year)
    ids = list(user_ids)
    return (
        ServiceRequest.objects.unscoped("each person's own handled requests, for their yearly evaluation")
        .filter(Q(handler_id__in=ids) | Q(source=Source.PROXY, received_by_id__in=ids))
        .filter(status__in=FINISHED_STATUSES, finished_at__gte=start, finished_at__lt=end)
        .order_by("finished_at", "pk")
    )


def worked_by(requests: QuerySet[ServiceRequest], user_id: int) -> QuerySet[ServiceRequest]:
    """One person's 便民服务 among `requests`: those they handled, and those they took for a resident."""
    return requests.filter(Q(handler_id=user_id) | Q(source=Source.PROXY, received_by_id=user_id))


def household_services(scope: Scope, household) -> dict:
    """For the household card (grids.panels): its latest requests, and whether the caller may take
    one for it (网格员代办: whoever keeps the card)."""
    latest = requests(scope).filter(household=household).order_by("-received_at", "-id")[:HISTORY_ROWS]
    return {"service_requests": list(latest), "may_take_service": may_edit_people(scope, household.building)}


def plate_link(scope: Scope, plate) -> dict:
    """For the building's QR page (grids.panels.PLATE): where a resident applies for a service."""
    return {"service_url": reverse("hall:plate_request", args=[plate.token])}
