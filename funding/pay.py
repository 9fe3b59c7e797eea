"""Community-worker pay (seed 003's structure and allowance, seed 000's grid-leader subsidy) and the
check of seed 000's promise that average monthly pay rises at least 500 元 within three years."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet

from core.money import to_fen
from core.scope import Scope
from funding import selectors
from funding.models import (
    PayRecord,
    PayRisePromise,
    PolicySubject,
    ProfessionalAllowance,
    SubsidyRole,
)
from orgs.models import OrgKind, Post, Role


@dataclass(frozen=True)
class MonthlyPay:
    structure: Decimal  # basic + seniority + grade + performance + annual bonus / 12
    allowance: Decimal
    grid_leader_subsidy: Decimal

    @property
    def total(self) -> Decimal:
        return self.structure + self.allowance + self.grid_leader_subsidy


def monthly_pay(record: PayRecord, *, allowance: Decimal, grid_leader_subsidy: Decimal, leads_grid: bool) -> MonthlyPay:
    """Pure: one worker's monthly pay from their record and the policy figures."""
    structure = record.basic + record.seniority + record.grade + record.performance + record.annual_bonus / 12
    return MonthlyPay(
        structure=to_fen(structure),
        allowance=to_fen(allowance),
        grid_leader_subsidy=to_fen(grid_leader_subsidy if leads_grid else 0),
    )


def records(scope: Scope, years: list[int]) -> QuerySet[PayRecord]:
    # The worker leads a grid party organisation: an active secretary post at a grid branch.
    leads = Post.objects.active().filter(
        user=OuterRef("user"), role=Role.SECRETARY, organization__kind=OrgKind.GRID_BRANCH
    )
    return (
        PayRecord.objects.within(scope)
        .filter(year__in=years)
        .select_related("community")
        .annotate(leads_grid=Exists(leads))
        .order_by("community__tree_id", "community__lft", "name", "year")
    )


@dataclass
class CommunityPay:
    community: object
    workers: list = field(default_factory=list)
    average: Decimal | None = None
    base_average: Decimal | None = None

    @property
    def rise(self) -> Decimal | None:
        if self.average is None or self.base_average is None:
            return None
        return self.average - self.base_average


def report(scope: Scope, year: int) -> dict:
    """Each community's workers in `year` with their monthly pay, and the rise in average monthly pay
    since the promise's base year, flagged where it falls short."""
    funds = selectors.policy_for(year)
    pay_policy = selectors.policy_for(year, PolicySubject.WORKER_PAY)
    promise = PayRisePromise.objects.filter(policy=funds).first() if funds else None
    allowances = (
        {a.qualification: a.monthly_amount for a in ProfessionalAllowance.objects.filter(policy=pay_policy)}
        if pay_policy
        else {}
    )
    subsidy = funds.monthlysubsidy_set.filter(role=SubsidyRole.GRID_LEADER).first() if funds else None
    base_year = year - promise.years if promise else year
    communities: dict[int, CommunityPay] = {}
    totals: dict[tuple[int, int], list[Decimal]] = {}
    for record in records(scope, [year, base_year]):
        pay = monthly_pay(
            record,
            allowance=allowances.get(record.qualification, Decimal("0")),
            grid_leader_subsidy=subsidy.monthly_amount if subsidy else Decimal("0"),
            leads_grid=record.leads_grid,
        )
        row = communities.setdefault(record.community_id, CommunityPay(community=record.community))
        if record.year == year:
            row.workers.append((record, pay))
        totals.setdefault((record.community_id, record.year), []).append(pay.total)
    for community_id, row in communities.items():
        for target, attr in ((year, "average"), (base_year, "base_average")):
            values = totals.get((community_id, target))
            if values:
                setattr(row, attr, to_fen(sum(values) / len(values)))
    rows = list(communities.values())
    short = [r for r in rows if promise and r.rise is not None and r.rise < promise.minimum_monthly_rise]
    return {
        "year": year,
        "base_year": base_year,
        "promise": promise,
        "allowance_clause": next(iter(ProfessionalAllowance.objects.filter(policy=pay_policy)), None),
        "communities": rows,
        "short": short,
    }
