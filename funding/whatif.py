"""The re-division what-if (seed 004: six communities merged into four): budgets before and after."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.capabilities import Capability
from core.scope import SYSTEM, scope_for
from funding import selectors
from funding.calculators import Estimate, Inputs, estimate
from funding.models import Item, Scenario
from funding.services import community_inputs
from grids.models import Area, AreaKind
from orgs.advisories import COMMUNITY_COMMITTEE_FROM, GENERAL_BRANCH_FROM
from orgs.models import OrgKind


def advised_kind(party_members: int) -> str:
    """The organisation a new community would set up: 100+ members a 党委, 50+ a 党总支, else a 党支部."""
    if party_members >= COMMUNITY_COMMITTEE_FROM:
        return OrgKind.COMMUNITY_COMMITTEE
    if party_members >= GENERAL_BRANCH_FROM:
        return OrgKind.COMMUNITY_GENERAL_BRANCH
    return OrgKind.COMMUNITY_BRANCH


def _as_rows(name: str, result: Estimate, org_kind: str, households: int) -> dict:
    return {
        "name": name,
        "org_kind": org_kind,
        "households": households,
        "lines": [
            {
                "item": line.item,
                "amount": str(line.amount),
                "city": str(line.city),
                "local": str(line.local),
                "clause": line.clause,
            }
            for line in result.lines
        ],
    }


@transaction.atomic
def save_scenario(*, actor, name: str, year: int, communities: list[Area], proposal: list[dict]) -> Scenario:
    """`proposal`: one dict per new community (name, households, party_members, grid_party_org_leaders,
    new_staff, new_staff_annual_salary, new_venue_cost). The actor must be allowed to plan a
    re-division at every community it redraws."""
    scope = scope_for(actor)
    scope.require(Capability.PLAN_REDIVISION)
    if not communities or not proposal:
        raise ValidationError(_("请选择现有社区并填写至少一个调整后的社区"))
    roots = {area.tree_id for area in communities}
    if len(roots) != 1 or any(area.kind != AreaKind.COMMUNITY for area in communities):
        raise ValidationError(_("涉及的须是同一区县的社区"))
    capacities = [scope.capacity(Capability.PLAN_REDIVISION, at=area) for area in communities]
    if None in capacities:
        raise PermissionDenied(_("您的岗位不能办理这一步"))
    policy = selectors.policy_for(year)
    if policy is None:
        raise ValidationError({"year": [_("%(year)s年没有适用的经费政策") % {"year": year}]})
    rules = selectors.rules_for(policy)
    fiscal_class = communities[0].fiscal_class
    read = Area.objects.within(scope).filter(pk__in=[c.pk for c in communities])
    current = {area.pk: area for area in community_inputs(read)}
    before = []
    for area in communities:
        area = current[area.pk]
        if area.org_kind is None:
            raise ValidationError(_("%(name)s未建立社区党组织,无法测算") % {"name": area.name})
        inputs = Inputs(
            fiscal_class=fiscal_class,
            org_kind=area.org_kind,
            households=area.declared_households or 0,
            grid_party_org_leaders=area.led_grids or 0,
        )
        before.append(_as_rows(area.name, estimate(rules, inputs), area.org_kind, inputs.households))
    after = []
    for new in proposal:
        org_kind = advised_kind(new["party_members"])
        inputs = Inputs(
            fiscal_class=fiscal_class,
            org_kind=org_kind,
            households=new["households"],
            grid_party_org_leaders=new.get("grid_party_org_leaders", 0),
            new_staff=new.get("new_staff", 0),
            new_staff_annual_salary=Decimal(str(new.get("new_staff_annual_salary", "0"))),
            new_venue_cost=Decimal(str(new.get("new_venue_cost", "0"))),
        )
        after.append(_as_rows(new["name"], estimate(rules, inputs), org_kind, inputs.households))
    scenario = Scenario.objects.create(
        name=name.strip(),
        year=year,
        proposal=proposal,
        before=before,
        after=after,
        created_by=None if actor is SYSTEM else actor,
    )
    scenario.communities.set(communities)
    audit.record(
        actor=actor,
        action="funding.save_scenario",
        target=scenario,
        fields=["name", "year", "communities", "proposal", "before", "after"],
        capacity=capacities[0],
    )
    return scenario


def differences(scenario: Scenario) -> list[dict]:
    """Per item: the total before and after, and how much more (or less) the city and the district pay."""

    def summed(side: list[dict]) -> dict[str, dict[str, Decimal]]:
        totals = {item: {"amount": Decimal("0"), "city": Decimal("0"), "local": Decimal("0")} for item in Item}
        for community in side:
            for line in community["lines"]:
                for key in ("amount", "city", "local"):
                    totals[line["item"]][key] += Decimal(line[key])
        return totals

    before, after = summed(scenario.before), summed(scenario.after)
    rows = []
    for item in Item:
        row = {"item": item.label}
        for key in ("amount", "city", "local"):
            row[f"{key}_before"] = before[item][key]
            row[f"{key}_after"] = after[item][key]
            row[f"{key}_change"] = after[item][key] - before[item][key]
        rows.append(row)
    total = {"item": _("合计")}
    for key in list(rows[0])[1:]:
        total[key] = sum((row[key] for row in rows), Decimal("0"))
    return [*rows, total]


def labelled(side: list[dict]) -> list[dict]:
    """The stored side with display names for the organisation kind and each item."""
    return [
        {
            **community,
            "org_kind": OrgKind(community["org_kind"]).label,
            "lines": [{**line, "item": Item(line["item"]).label} for line in community["lines"]],
        }
        for community in side
    ]
