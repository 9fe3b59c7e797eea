"""Reads of visits and of the visit plans, always through the caller's scope: the household's
visit history, and which of the caller's households are due a visit (走访到期)."""

import datetime

from django.db.models import Count, F, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Visit, VisitRule
from core.scope import Scope
from grids import selectors as grid_selectors
from grids.access import may_edit_people
from grids.models import Household, HouseholdTag, KeyGroup, Resident, ResidentTag

HISTORY_ROWS = 20


def visits(scope: Scope) -> QuerySet[Visit]:
    return Visit.objects.within(scope)


def get_visit(scope: Scope, pk: int) -> Visit:
    visit = visits(scope).filter(pk=pk).first()
    if visit is None:
        raise Http404
    return visit


def household_visits(scope: Scope, household: Household) -> dict:
    """For the household card (grids.panels): its latest visits, and where to log one."""
    history = (visits(scope).filter(household=household).select_related("visitor", "case").order_by("-on", "-id"))[
        :HISTORY_ROWS
    ]
    may_visit = may_edit_people(scope, household.building)
    return {"visits": list(history), "may_visit": may_visit}


def case_visits(scope: Scope, case) -> list[Visit]:
    """The visit a case was raised from, if the caller may see its household."""
    return list(visits(scope).filter(case=case).select_related("household__building"))


def rules(scope: Scope) -> QuerySet[VisitRule]:
    return VisitRule.objects.within(scope).select_related("area", "group")


def listed_rules(scope: Scope) -> QuerySet[VisitRule]:
    """The rules a page may show: a sensitive group's only to those who may see sensitive groups
    (its households still fall due for everyone: the list shows them without the group)."""
    found = rules(scope)
    return found if scope.can_view_sensitive else found.exclude(group__sensitive=True)


def groups_to_plan(scope: Scope) -> QuerySet[KeyGroup]:
    groups = KeyGroup.objects.order_by("order", "pk")
    return groups if scope.can_view_sensitive else groups.filter(sensitive=False)


def get_rule(scope: Scope, pk: int) -> VisitRule:
    rule = listed_rules(scope).filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule


def _tagged(model, path: str, group_id: int, on: datetime.date) -> QuerySet:
    return model.objects.active(on).filter(group_id=group_id).values(path)


def _due_q(rule: VisitRule, on: datetime.date) -> Q:
    """Households the rule makes due on `on`: under its place, in its group (a living resident's
    tag or the household's, in force that day), not visited in its last N days."""
    area = rule.area
    q = Q(building__tree_id=area.tree_id, building__lft__gte=area.lft, building__lft__lte=area.rght)
    q &= Q(last_visited__isnull=True) | Q(last_visited__lte=on - datetime.timedelta(days=rule.every_days))
    if rule.group_id is not None:
        residents = _tagged(ResidentTag, "resident__household", rule.group_id, on).filter(
            resident__ended_on__isnull=True
        )
        households = _tagged(HouseholdTag, "household", rule.group_id, on)
        q &= Q(pk__in=residents) | Q(pk__in=households)
    return q


def rules_in_force(scope: Scope) -> list[VisitRule]:
    return list(rules(scope).filter(ended_on__isnull=True))


def overdue_households(scope: Scope, on: datetime.date | None = None, *, in_force=None) -> QuerySet[Household]:
    """The caller's households some rule in force says are due a visit: one query for any number
    of households (a rule adds a condition, not a query). Never visited come first, then oldest."""
    on = on or timezone.localdate()
    in_force = rules_in_force(scope) if in_force is None else in_force
    if not in_force:
        return grid_selectors.households(scope).none()
    due = Q()
    for rule in in_force:
        due |= _due_q(rule, on)
    return grid_selectors.households(scope).filter(due)


def overdue_count(scope: Scope, on: datetime.date | None = None) -> dict:
    """The workbench's figure: how many are due, and the oldest last visit among them."""
    found = overdue_households(scope, on).aggregate(count=Count("pk"), oldest=Min("last_visited"))
    return {"count": found["count"], "oldest": found["oldest"]}


def overdue_list(scope: Scope, on: datetime.date | None = None) -> tuple[QuerySet[Household], list[VisitRule]]:
    """For the list page: the households with their building and the key-group tags a list may show
    (never a sensitive group's name: grids.selectors.visible_tags), oldest visit first."""
    in_force = rules_in_force(scope)
    living = Resident.objects.living().prefetch_related(
        Prefetch(
            "tags", queryset=grid_selectors.visible_tags(ResidentTag.objects).select_related("group"), to_attr="shown"
        )
    )
    found = (
        overdue_households(scope, on, in_force=in_force)
        .select_related("building__parent")
        .prefetch_related(
            Prefetch("residents", queryset=living, to_attr="living"),
            Prefetch(
                "tags",
                queryset=grid_selectors.visible_tags(HouseholdTag.objects).select_related("group"),
                to_attr="shown",
            ),
        )
        .order_by(F("last_visited").asc(nulls_first=True), "building__tree_id", "building__lft", "unit", "room")
    )
    return found, in_force


def shown_groups(household: Household, in_force: list[VisitRule]) -> list[str]:
    """The visible key groups that put a household on the list (from overdue_list's prefetches)."""
    planned = {rule.group_id for rule in in_force}
    tags = [*household.shown, *(tag for resident in household.living for tag in resident.shown)]
    return sorted({tag.group.label for tag in tags if tag.group_id in planned})
