"""Pure calculators: a snapshot of policy rows and the inputs in, budget lines out. No queries.

Money is Decimal in yuan to the fen; every line carries the clause it comes from.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from core.money import split, to_fen
from funding.models import CostSplit, HouseholdBand, Item, MonthlySubsidy, PartyBuildingRate, Policy, SubsidyRole

ASSUMPTION_NOTE = "(文件未规定承担主体,按区县全额测算,属假设)"


@dataclass(frozen=True)
class Rules:
    """The rows of one policy, loaded once (funding.selectors.rules_for)."""

    policy: Policy
    party_building: dict[str, PartyBuildingRate]
    bands: list[HouseholdBand]
    subsidies: dict[str, MonthlySubsidy]
    splits: dict[tuple[str, str], CostSplit]


@dataclass(frozen=True)
class Inputs:
    fiscal_class: str
    org_kind: str  # the community party organisation's actual kind (orgs.OrgKind value)
    households: int  # the declared (official) household count
    grid_party_org_leaders: int = 0
    months: int = 12
    new_staff: int = 0
    new_staff_annual_salary: Decimal = Decimal("0")
    new_venue_cost: Decimal = Decimal("0")
    branch_committee_members: int = 0
    building_group_leaders: int = 0
    building_heads: int = 0


# The district's optional monthly subsidies (seed 000: 区(市、县)可以根据实际情况给予…一定工作补助).
OPTIONAL_SUBSIDIES = [
    (SubsidyRole.BRANCH_COMMITTEE_MEMBER, Item.BRANCH_COMMITTEE_SUBSIDY, "branch_committee_members"),
    (SubsidyRole.BUILDING_GROUP_LEADER, Item.BUILDING_GROUP_LEADER_SUBSIDY, "building_group_leaders"),
    (SubsidyRole.BUILDING_HEAD, Item.BUILDING_HEAD_SUBSIDY, "building_heads"),
]


@dataclass(frozen=True)
class Line:
    item: str
    amount: Decimal
    city: Decimal
    local: Decimal
    clause: str
    assumption: bool = False


@dataclass(frozen=True)
class Estimate:
    lines: list[Line]
    amount: Decimal = field(init=False)
    city: Decimal = field(init=False)
    local: Decimal = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "amount", sum((line.amount for line in self.lines), Decimal("0.00")))
        object.__setattr__(self, "city", sum((line.city for line in self.lines), Decimal("0.00")))
        object.__setattr__(self, "local", sum((line.local for line in self.lines), Decimal("0.00")))


def service_band(rules: Rules, households: int) -> HouseholdBand:
    matches = [band for band in rules.bands if band.contains(households)]
    if len(matches) != 1:
        # Bands that overlap or leave a gap are a data error, never a silent pick.
        raise ValueError(f"{households} households fall in {len(matches)} bands of {rules.policy.code}")
    return matches[0]


def _line(rules: Rules, item: str, fiscal_class: str, amount: Decimal, clause: str) -> Line:
    rule = rules.splits[(item, fiscal_class)]
    city, local = split(amount, rule.city_parts, rule.local_parts)
    note = "" if rule.stated else ASSUMPTION_NOTE
    return Line(
        item=item, amount=to_fen(amount), city=city, local=local, clause=clause + note, assumption=not rule.stated
    )


def _optional_subsidies(rules: Rules, inputs: Inputs) -> list[Line]:
    """Only the subsidies a district has set above zero become lines: the default policy has none."""
    lines = []
    for role, item, count in OPTIONAL_SUBSIDIES:
        subsidy = rules.subsidies.get(role)
        if subsidy is None or subsidy.monthly_amount <= 0:
            continue
        amount = subsidy.monthly_amount * getattr(inputs, count) * inputs.months
        lines.append(_line(rules, item, inputs.fiscal_class, amount, subsidy.clause))
    return lines


def estimate(rules: Rules, inputs: Inputs) -> Estimate:
    party = rules.party_building[inputs.org_kind]
    band = service_band(rules, inputs.households)
    leader = rules.subsidies[SubsidyRole.GRID_LEADER]
    staff_clause = rules.splits[(Item.NEW_STAFF_SALARIES, inputs.fiscal_class)].clause
    venue_clause = rules.splits[(Item.NEW_VENUE, inputs.fiscal_class)].clause
    return Estimate(
        lines=[
            _line(rules, Item.PARTY_BUILDING, inputs.fiscal_class, party.annual_amount, party.clause),
            _line(
                rules, Item.SERVICE_FUND, inputs.fiscal_class, band.annual_amount, f"{band.clause}〔{band.reading}〕"
            ),
            _line(
                rules,
                Item.GRID_LEADER_SUBSIDY,
                inputs.fiscal_class,
                leader.monthly_amount * inputs.grid_party_org_leaders * inputs.months,
                leader.clause,
            ),
            _line(
                rules,
                Item.NEW_STAFF_SALARIES,
                inputs.fiscal_class,
                inputs.new_staff_annual_salary * inputs.new_staff,
                staff_clause,
            ),
            _line(rules, Item.NEW_VENUE, inputs.fiscal_class, inputs.new_venue_cost, venue_clause),
            *_optional_subsidies(rules, inputs),
        ]
    )
