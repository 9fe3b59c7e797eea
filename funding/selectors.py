from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404

from funding.calculators import Rules
from funding.models import BudgetCommunity, BudgetRun, Policy, PolicySubject, Scenario
from grids.models import Area


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


def runs(scope) -> QuerySet[BudgetRun]:
    """Runs of the districts the user works in; what they show of each is narrowed by visible_communities."""
    found = BudgetRun.objects.select_related("area", "whole_city", "policy", "created_by")
    if scope.unrestricted:
        return found
    trees = {area.tree_id for area in scope.areas}
    cities = Area.objects.filter(tree_id__in=trees, parent__isnull=True).values("city_id")
    return found.filter(Q(area__tree_id__in=trees) | Q(whole_city__in=cities))


def get_run(scope, pk: int) -> BudgetRun:
    run = runs(scope).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def visible_communities(scope, run: BudgetRun) -> QuerySet[BudgetCommunity]:
    """Community staff see their community's lines only; district staff the whole run."""
    return (
        run.communities.filter(scope.area_q("community__"))
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


def _lines_by_key(scope, run: BudgetRun) -> dict:
    found = {}
    for community in visible_communities(scope, run):
        for line in community.lines.all():
            found[(community.community_id, line.item)] = (community.name, line)
    return found


def compare(scope, first: BudgetRun, second: BudgetRun) -> list[dict]:
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


def scenarios(scope) -> QuerySet[Scenario]:
    """Scenarios touching a community in the user's scope."""
    found = Scenario.objects.select_related("created_by")
    if scope.unrestricted:
        return found
    touching = Scenario.communities.through.objects.filter(scope.area_q("area__")).values("scenario_id")
    return found.filter(pk__in=touching)


def get_scenario(scope, pk: int) -> Scenario:
    scenario = scenarios(scope).prefetch_related("communities").filter(pk=pk).first()
    if scenario is None:
        raise Http404
    return scenario
