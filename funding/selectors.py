"""Funding reads, always through the caller's scope: who sees which run and scenario, and where a
user may run budgets or plan a re-division (a post allows it at its own place and below)."""

from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404

from core.capabilities import Capability
from core.scope import Scope
from funding.calculators import Rules
from funding.models import BudgetCommunity, BudgetRun, NewUnitCost, Policy, PolicySubject, RunStatus, Scenario
from grids.models import ROOT_KINDS, Area, AreaKind, City


def policy_for(year: int, subject: str = PolicySubject.COMMUNITY_FUNDS) -> Policy | None:
    """The policy on a subject in force in a year: the latest that started on or before it and had not ended."""
    return (
        Policy.objects.filter(subject=subject, effective_from__year__lte=year)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__year__gte=year))
        .order_by("-effective_from")
        .first()
    )


def rules_for(policy: Policy) -> Rules:
    return Rules(
        policy=policy,
        party_building={rate.org_kind: rate for rate in policy.partybuildingrate_set.all()},
        bands=list(policy.householdband_set.order_by("min_households")),
        subsidies={subsidy.role: subsidy for subsidy in policy.monthlysubsidy_set.all()},
        splits={(s.item, s.fiscal_class): s for s in policy.costsplit_set.all()},
    )


def where_allowed(scope: Scope, capability: Capability) -> Scope:
    """The part of the scope where its posts allow `capability`: a finance officer who also holds a
    post elsewhere runs budgets only where the finance post is."""
    if scope.unrestricted:
        return scope
    areas = tuple(
        post.area for post in scope.posts if post.area_id and capability in scope.role_capabilities.get(post.role, ())
    )
    return Scope(areas=areas, capabilities=frozenset({capability}) if areas else frozenset(), user=scope.user)


# Budget runs ---------------------------------------------------------------------------------


def run_options(scope: Scope) -> tuple[list[Area], list[City]]:
    """The districts and counties the scope may run budgets for, and the cities all of whose
    districts and counties it may: nothing for a scope without the capability."""
    allowed = where_allowed(scope, Capability.RUN_BUDGETS)
    if not allowed.may(Capability.RUN_BUDGETS):
        return [], []
    roots = list(
        Area.objects.within(allowed).filter(kind__in=sorted(ROOT_KINDS)).select_related("city").order_by("code")
    )
    held = {root.pk for root in roots}
    cities = [
        city
        for city in City.objects.filter(pk__in={root.city_id for root in roots})
        .prefetch_related("districts")
        .order_by("code")
        if {d.pk for d in city.districts.all()} <= held
    ]
    return roots, cities


def runs(scope: Scope) -> QuerySet[BudgetRun]:
    """Runs of the districts the user works in; what they show of each is narrowed by visible_communities."""
    return BudgetRun.objects.within(scope).select_related("area", "whole_city", "policy", "created_by")


def get_run(scope: Scope, pk: int) -> BudgetRun:
    run = runs(scope).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def visible_communities(scope: Scope, run: BudgetRun) -> QuerySet[BudgetCommunity]:
    """Community staff see their community's lines only; district staff the whole run."""
    return (
        run.communities.within(scope)
        .select_related("community")
        .prefetch_related("lines")
        .order_by("community__tree_id", "community__lft")
    )


def totals(communities) -> dict:
    rows = list(communities)
    return {
        "amount": sum((c.amount for c in rows), Decimal("0.00")),
        "city": sum((c.city for c in rows), Decimal("0.00")),
        "local": sum((c.local for c in rows), Decimal("0.00")),
    }


def _lines_by_key(scope: Scope, run: BudgetRun) -> dict:
    found = {}
    for community in visible_communities(scope, run):
        for line in community.lines.all():
            found[(community.community_id, line.item)] = (community.name, line)
    return found


def compare(scope: Scope, first: BudgetRun, second: BudgetRun) -> list[dict]:
    """Line by line: each (community, item) in either run, with both amounts and the change."""
    before, after = _lines_by_key(scope, first), _lines_by_key(scope, second)
    rows = []
    for key in sorted(set(before) | set(after)):
        name, line = after.get(key) or before[key]
        old = before[key][1].amount if key in before else Decimal("0.00")
        new = after[key][1].amount if key in after else Decimal("0.00")
        rows.append(
            {"community": name, "item": line.get_item_display(), "before": old, "after": new, "change": new - old}
        )
    return rows


# New-unit costs and scenarios ----------------------------------------------------------------


def _communities_where(scope: Scope, capability: Capability) -> QuerySet[Area]:
    """The communities where the scope may do `capability`; a 404 for a scope that may not at all."""
    allowed = where_allowed(scope, capability)
    if not allowed.may(capability):
        raise Http404
    return Area.objects.within(allowed).filter(kind=AreaKind.COMMUNITY).order_by("tree_id", "lft")


def cost_communities(scope: Scope) -> QuerySet[Area]:
    """The communities whose new staff and venues the user may enter (the finance office's)."""
    return _communities_where(scope, Capability.RUN_BUDGETS)


def new_unit_costs(scope: Scope) -> QuerySet[NewUnitCost]:
    allowed = where_allowed(scope, Capability.RUN_BUDGETS)
    return (
        NewUnitCost.objects.within(allowed)
        .select_related("community")
        .order_by("-year", "community__tree_id", "community__lft")
    )


def planning_communities(scope: Scope) -> QuerySet[Area]:
    """The communities a re-division what-if may redraw: where the user may plan one."""
    return _communities_where(scope, Capability.PLAN_REDIVISION)


def scenarios(scope: Scope) -> QuerySet[Scenario]:
    """Scenarios touching a community in the user's scope."""
    return Scenario.objects.within(scope).select_related("created_by")


def get_scenario(scope: Scope, pk: int) -> Scenario:
    scenario = scenarios(scope).prefetch_related("communities").filter(pk=pk).first()
    if scenario is None:
        raise Http404
    return scenario


# Started and not yet finished: what a finance officer waits for.
IN_PROGRESS = Q(status__in=[RunStatus.PENDING, RunStatus.RUNNING])


def runs_in_progress(scope: Scope) -> dict:
    """Runs queued or computing, and since when the oldest of them: one query."""
    return runs(scope).filter(IN_PROGRESS).order_by().aggregate(count=Count("pk"), oldest=Min("created_at"))
