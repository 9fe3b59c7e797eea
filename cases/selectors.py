"""Reads of cases, always through the caller's scope."""

import datetime
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from cases.models import (
    AWAITING_DISPATCH,
    AWAITING_RESPONSE,
    INBOX,
    INBOX_DUE,
    OPEN,
    WORKING,
    Case,
    CaseEvent,
    Category,
    DoorPlate,
    Notification,
    NotificationSettings,
    ReplyTemplate,
    RoutingRule,
    SavedFilter,
    Source,
)
from core.capabilities import Capability
from core.scope import Scope
from grids import locate
from grids.models import Area, AreaKind
from orgs.models import Department


def case_scope_or_404(scope: Scope) -> Scope:
    """The scope of someone who works with cases: by place, by department or both; else a 404."""
    if not (scope.has_areas or scope.department_ids):
        raise Http404
    return scope


def cases(scope: Scope) -> QuerySet[Case]:
    return Case.objects.within(scope)


def for_list(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("category", "area", "community", "department")


# The places a case names above its own area, read in one query after the case: joined into the
# case's query, nine tables took PostgreSQL 5.5 ms to plan for a 0.3 ms read (0.6 ms with five).
PLACES = ("district", "street", "community", "grid")


def get_case(scope: Scope, pk: int) -> Case:
    # No ORDER BY: one row by its key, and a sort is one more thing to plan against 38 indexes.
    found = list(cases(scope).select_related("category", "area", "department", "reporter").filter(pk=pk).order_by()[:1])
    if not found:
        raise Http404
    (case,) = found
    ids = {name: getattr(case, f"{name}_id") for name in PLACES}
    places = Area.objects.unscoped("the places of a case the caller may read, named on it").order_by()
    by_pk = places.in_bulk({place_id for place_id in ids.values() if place_id is not None})
    for name, place_id in ids.items():
        if place_id is not None:
            setattr(case, name, by_pk[place_id])
    return case


def resident_reports_since(building, since: datetime.datetime) -> int:
    """Reports through a building's door plate since a time: the ceiling on anonymous reporting,
    answered from the database so that it holds when the cache does not (index case_resident_area)."""
    return (
        Case.objects.unscoped("the QR page's ceiling: a count of one building's anonymous reports, nothing shown")
        .filter(area=building, source=Source.RESIDENT_QR, created_at__gte=since)
        .count()
    )


def overdue_q(now=None) -> Q:
    """Open cases past the deadline their status runs against. "Open" is also said outside the
    ORs, where the planner can prove it against case_district_open's condition and read a
    district's open cases from that index alone."""
    now = now or timezone.now()
    return Q(status__in=sorted(OPEN)) & (
        Q(status__in=sorted(AWAITING_RESPONSE), response_due__lt=now)
        | Q(status__in=sorted(AWAITING_DISPATCH), dispatch_due__lt=now)
        | Q(status__in=sorted(WORKING), resolution_due__lt=now)
    )


SEARCH_MAX = 100


def search_q(text: str) -> Q:
    """Free text over the case number, the description and the location (the building's name and
    the location note). A plain substring match (icontains; the trigram indexes serve it on
    PostgreSQL), so any characters are just characters; longer input is cut at SEARCH_MAX."""
    text = (text or "").strip()[:SEARCH_MAX]
    if not text:
        return Q()
    return (
        Q(number__icontains=text)
        | Q(description__icontains=text)
        | Q(location_note__icontains=text)
        | Q(area__name__icontains=text)
    )


def timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "actor_area", "actor_department").prefetch_related("photos")


def duplicate_candidates(scope: Scope, case: Case) -> QuerySet[Case]:
    """Open cases at the same place and of the same category that the caller sees: what triage
    offers to merge into."""
    return (
        cases(scope)
        .filter(area_id=case.area_id, category_id=case.category_id, status__in=sorted(OPEN))
        .exclude(pk=case.pk)
        .order_by("created_at")
    )


def by_tracking_code(code: str) -> Case:
    case = (
        Case.objects.unscoped("the resident's tracking page: the unguessable code is the only key")
        .select_related("category", "area")
        .filter(tracking_code=code.strip().upper())
        .first()
    )
    if case is None:
        raise Http404
    return case


def resident_categories() -> QuerySet[Category]:
    return Category.objects.filter(resident_pickable=True).order_by("tree_id", "lft")


@dataclass(frozen=True)
class Suggestion:
    department: Department | None
    # Rules that match equally well: a configuration error the admin page also lists.
    ties: tuple[RoutingRule, ...] = ()
    rule: RoutingRule | None = None


def _more_specific(a: RoutingRule, b: RoutingRule) -> bool:
    """a is at least as specific as b in both category and area."""
    return a.category.is_descendant_of(b.category, include_self=True) and a.area.is_descendant_of(
        b.area, include_self=True
    )


def suggest_department(case: Case) -> Suggestion:
    """The routing rule whose category and area are both the narrowest among those matching; if
    no single rule is narrowest in both, the matches are a tie and nothing is suggested."""
    category, area = case.category, case.area
    matches = list(
        RoutingRule.objects.filter(
            category__tree_id=category.tree_id,
            category__lft__lte=category.lft,
            category__rght__gte=category.rght,
            area__tree_id=area.tree_id,
            area__lft__lte=area.lft,
            area__rght__gte=area.rght,
        ).select_related("category", "area", "department")
    )
    best = [m for m in matches if all(_more_specific(m, other) for other in matches)]
    if best:
        return Suggestion(department=best[0].department, rule=best[0])
    if matches:
        narrowest = [m for m in matches if not any(o is not m and _more_specific(o, m) for o in matches)]
        return Suggestion(department=None, ties=tuple(narrowest))
    fallback = (
        category.get_ancestors(include_self=True, ascending=True)
        .filter(default_department__isnull=False)
        .select_related("default_department")
        .first()
    )
    return Suggestion(department=fallback.default_department if fallback else None)


def routing_ties() -> list[tuple[RoutingRule, RoutingRule]]:
    """Pairs of rules a case could match without either being narrower in both category and area,
    and with no rule covering exactly where they overlap: each is a configuration error."""
    rules = list(RoutingRule.objects.select_related("category", "area", "department"))
    places = {(r.category_id, r.area_id) for r in rules}
    ties = []
    for i, a in enumerate(rules):
        for b in rules[i + 1 :]:
            cat_a_in_b = a.category.is_descendant_of(b.category, include_self=True)
            cat_b_in_a = b.category.is_descendant_of(a.category, include_self=True)
            area_a_in_b = a.area.is_descendant_of(b.area, include_self=True)
            area_b_in_a = b.area.is_descendant_of(a.area, include_self=True)
            # They overlap only if one category holds the other and one area holds the other.
            if not (cat_a_in_b or cat_b_in_a) or not (area_a_in_b or area_b_in_a):
                continue
            if (cat_a_in_b and area_a_in_b) or (cat_b_in_a and area_b_in_a):
                continue  # one is narrower in both: no tie
            narrow_category = a.category_id if cat_a_in_b else b.category_id
            narrow_area = a.area_id if area_a_in_b else b.area_id
            if (narrow_category, narrow_area) not in places:
                ties.append((a, b))
    return ties


def departments_for(scope: Scope, case: Case) -> QuerySet[Department]:
    """Departments the caller may choose whose jurisdiction covers the case's place: the lead and
    assisting departments a dispatch may name."""
    ancestors = case.area.get_ancestors(include_self=True)
    return Department.objects.within(scope).filter(jurisdiction__in=ancestors).order_by("name")


def _cursor_of(value: datetime.datetime, pk: int) -> str:
    return urlsafe_b64encode(f"{value.isoformat()}|{pk}".encode()).decode()


def _position(cursor: str) -> tuple[datetime.datetime, int]:
    value, pk = urlsafe_b64decode(cursor.encode()).decode().split("|")
    return datetime.datetime.fromisoformat(value), int(pk)


def keyset_page(qs: QuerySet[Case], cursor: str | None, size: int) -> tuple[list[Case], str | None]:
    """One page newest first, after `cursor`: no COUNT and no OFFSET, so page 50 costs what page 1 does.
    A cursor that does not decode raises ValueError."""
    qs = qs.order_by("-created_at", "-id")
    if cursor:
        created, pk = _position(cursor)
        qs = qs.filter(Q(created_at__lt=created) | Q(created_at=created, pk__lt=pk))
    rows = list(qs[: size + 1])
    return rows[:size], (_cursor_of(rows[size - 1].created_at, rows[size - 1].pk) if len(rows) > size else None)


def inbox(scope: Scope) -> QuerySet[Case]:
    """部门待办: the cases the caller's departments lead and have to sign or resolve."""
    qs = cases(scope).filter(status__in=sorted(INBOX))
    if not scope.unrestricted:
        qs = qs.filter(department_id__in=sorted(scope.department_ids))
    return qs


def inbox_page(qs: QuerySet[Case], cursor: str | None, size: int, key=INBOX_DUE) -> tuple[list[Case], str | None]:
    """The inbox most urgent first: the deadline each case runs against now, oldest first, so the
    overdue ones lead. The order is the `case_department_inbox` index's, so a page reads `size`
    rows of it however large the backlog; keyset like `keyset_page`. Another work queue passes the
    time it runs on as `key` (the oldest report first, the soonest deadline first); a list sorted
    by time left passes CURRENT_DUE: overdue first, cases without a clock last."""
    return _due_page(qs.annotate(due=key), cursor, size)


def _due_page(qs: QuerySet[Case], cursor: str | None, size: int) -> tuple[list[Case], str | None]:
    qs = qs.order_by("due", "id")
    if cursor:
        due, pk = _position(cursor)
        qs = qs.filter(Q(due__gt=due) | Q(due=due, pk__gt=pk))
    rows = list(qs[: size + 1])
    return rows[:size], (_cursor_of(rows[size - 1].due, rows[size - 1].pk) if len(rows) > size else None)


def notifications_page(scope: Scope, before: int | None, size: int) -> tuple[list[Notification], int | None]:
    """A user's own notifications, newest first, the page before notification `before`."""
    # Filtered on the user even for a superuser: an inbox is one person's, not everything they may see.
    qs = Notification.objects.within(scope).filter(user=scope.user).select_related("case").order_by("-pk")
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(qs[: size + 1])
    return rows[:size], (rows[size - 1].pk if len(rows) > size else None)


def notification_settings(scope: Scope) -> NotificationSettings:
    """The user's own channel choices, or the defaults if they never chose."""
    return NotificationSettings.objects.filter(user=scope.user).first() or NotificationSettings(user=scope.user)


def unread_count(scope: Scope) -> int:
    return Notification.objects.within(scope).filter(user=scope.user, read_at__isnull=True).count()


def reply_templates(case: Case, steps: set[str]) -> dict[str, list[ReplyTemplate]]:
    """常用语 for the steps offered on this case: those for any step or that step, for the case's
    category or one above it (or any), at the case's place or above it (or anywhere). One query."""
    category, area = case.category, case.area
    rows = ReplyTemplate.objects.filter(
        Q(step="") | Q(step__in=sorted(steps)),
        Q(category__isnull=True)
        | Q(category__tree_id=category.tree_id, category__lft__lte=category.lft, category__rght__gte=category.rght),
        Q(area__isnull=True) | Q(area__tree_id=area.tree_id, area__lft__lte=area.lft, area__rght__gte=area.rght),
    )
    by_step: dict[str, list[ReplyTemplate]] = {slug: [] for slug in steps}
    for row in rows:
        for slug in [row.step] if row.step else steps:
            by_step[slug].append(row)
    return by_step


def saved_filters(scope: Scope) -> QuerySet[SavedFilter]:
    """The user's own saved filters, whatever their posts."""
    return SavedFilter.objects.within(scope).filter(user=scope.user)


DUPLICATE_DAYS = 7
DUPLICATE_LIMIT = 10


def possible_duplicates(qs: QuerySet[Case], area, category: Category | None, now=None) -> QuerySet[Case]:
    """Open cases a new report may repeat: at the same place, or of the same category within the
    last week in the same grid or at a building within CASE_DUPLICATE_RADIUS_METRES. `qs` is what
    the caller may see (staff: their scope; a door plate: its building's grid). Newest first, at
    most DUPLICATE_LIMIT."""
    now = now or timezone.now()
    same = Q(area=area)
    grid = area.get_ancestors(include_self=True).filter(kind=AreaKind.GRID).first()
    recent = now - datetime.timedelta(days=DUPLICATE_DAYS)
    if grid is not None and category is not None:
        same |= Q(grid=grid, category=category, created_at__gte=recent)
    if category is not None:
        # A case's place is its building's point: the neighbours' too, across a grid's edge.
        nearby = locate.buildings_near(area, settings.CASE_DUPLICATE_RADIUS_METRES)
        if nearby:
            same |= Q(area_id__in=nearby, category=category, created_at__gte=recent)
    return (
        qs.filter(same, status__in=sorted(OPEN))
        .select_related("category")
        .order_by("-created_at", "-id")[:DUPLICATE_LIMIT]
    )


def plate_duplicates(building, category: Category | None) -> QuerySet[Case]:
    """What the QR page may say of a building's open cases: read without a scope, shown as
    category, status and day only (no number, description, name or phone)."""
    qs = Case.objects.unscoped("the QR page: open cases at the plate's building and grid, shown without details")
    return possible_duplicates(qs, building, category)


def door_plates_link(scope: Scope, area) -> dict:
    """For the places' pages: where the QR door plates of a community, grid or building are, for
    whoever may issue them (the door-plate page's own check)."""
    if area.kind not in (AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.BUILDING) or not scope.may(
        Capability.MANAGE_COMMUNITY
    ):
        return {}
    if area.kind == AreaKind.COMMUNITY:
        community = area
    else:
        community = area.get_ancestors().filter(kind=AreaKind.COMMUNITY).first()
    if community is None or not scope.covers(community):
        return {}
    url = reverse("cases:door_plates", args=[community.pk])
    return {"door_plates_url": url + (f"#plate-{area.pk}" if area.kind == AreaKind.BUILDING else "")}


def door_plate(token: str) -> DoorPlate:
    """The plate a resident's QR code names, with its building and grid; the token is the authority."""
    return get_object_or_404(DoorPlate.objects.select_related("building__parent"), token=token)


def category_or_none(pk: int | None) -> Category | None:
    """A category named in a query string (configuration, the same for everyone), or None."""
    return Category.objects.filter(pk=pk).first() if pk is not None else None
