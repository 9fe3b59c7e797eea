"""Budget runs: started by a service, computed by a task, stored so that they never change."""

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.after_commit import enqueue_on_commit
from core.capabilities import Capability
from core.scope import SYSTEM, Scope, scope_for
from core.scoping import full_clean
from funding import selectors
from funding.calculators import Inputs, Rules, estimate
from funding.models import (
    BudgetCommunity,
    BudgetLine,
    BudgetRun,
    CostSplit,
    HouseholdBand,
    MonthlySubsidy,
    NewUnitCost,
    PartyBuildingRate,
    PayRecord,
    Policy,
    RunStatus,
)
from grids.models import ROOT_KINDS, Area, AreaKind, City
from orgs.models import COMMUNITY_LEVEL_KINDS, Organization, OrgKind, Post, Role

logger = logging.getLogger(__name__)
PROGRESS_STEPS = 20  # progress is saved about this many times a run, not once per community


def snapshot(rules: Rules) -> dict:
    """The policy rows as plain data, so a stored run can be recomputed from what it saw."""

    def money(value: Decimal) -> str:
        return str(value)

    return {
        "policy": rules.policy.code,
        "party_building": {
            k: {"amount": money(r.annual_amount), "clause": r.clause} for k, r in rules.party_building.items()
        },
        "bands": [
            {
                "min": b.min_households,
                "min_inclusive": b.min_inclusive,
                "max": b.max_households,
                "max_inclusive": b.max_inclusive,
                "amount": money(b.annual_amount),
                "reading": b.reading,
                "clause": b.clause,
            }
            for b in rules.bands
        ],
        "subsidies": {k: {"amount": money(s.monthly_amount), "clause": s.clause} for k, s in rules.subsidies.items()},
        "splits": [
            {
                "item": s.item,
                "fiscal_class": s.fiscal_class,
                "city": s.city_parts,
                "local": s.local_parts,
                "stated": s.stated,
                "clause": s.clause,
            }
            for s in rules.splits.values()
        ],
    }


def rules_from_snapshot(policy: Policy, data: dict) -> Rules:
    return Rules(
        policy=policy,
        party_building={
            k: PartyBuildingRate(org_kind=k, annual_amount=Decimal(v["amount"]), clause=v["clause"])
            for k, v in data["party_building"].items()
        },
        bands=[
            HouseholdBand(
                min_households=b["min"],
                min_inclusive=b["min_inclusive"],
                max_households=b["max"],
                max_inclusive=b["max_inclusive"],
                annual_amount=Decimal(b["amount"]),
                reading=b["reading"],
                clause=b["clause"],
            )
            for b in data["bands"]
        ],
        subsidies={
            k: MonthlySubsidy(role=k, monthly_amount=Decimal(v["amount"]), clause=v["clause"])
            for k, v in data["subsidies"].items()
        },
        splits={
            (s["item"], s["fiscal_class"]): CostSplit(
                item=s["item"],
                fiscal_class=s["fiscal_class"],
                city_parts=s["city"],
                local_parts=s["local"],
                stated=s["stated"],
                clause=s["clause"],
            )
            for s in data["splits"]
        },
    )


def _authorise(scope: Scope, capability: Capability, places: list[Area]) -> str:
    """The capacity in which the actor may do `capability` at every one of `places`, or a refusal."""
    scope.require(capability)
    capacities = [scope.capacity(capability, at=place) for place in places]
    if not capacities or None in capacities:
        raise PermissionDenied(_("您的岗位不能办理这一步"))
    return capacities[0]


def _user(actor):
    """The user to name on a stored row: none for the system's own work."""
    return None if actor is SYSTEM else actor


@transaction.atomic
def start_budget_run(*, actor, year: int, area: Area | None = None, whole_city: City | None = None) -> BudgetRun:
    """A run for one district or county (`area`) or for every district and county of a city; the
    actor must be allowed to run budgets for each of them."""
    scope = scope_for(actor)
    scope.require(Capability.RUN_BUDGETS)
    if (area is None) == (whole_city is None):
        raise ValidationError({"area": [_("请选择一个区县或一个城市")]})
    if area is not None and area.kind not in ROOT_KINDS:
        raise ValidationError({"area": [_("测算范围须为区、县或县级市")]})
    capacity = _authorise(
        scope, Capability.RUN_BUDGETS, [area] if area is not None else list(whole_city.districts.all())
    )
    policy = selectors.policy_for(year)
    if policy is None:
        raise ValidationError({"year": [_("%(year)s年没有适用的经费政策") % {"year": year}]})
    run = BudgetRun.objects.create(
        year=year,
        area=area,
        whole_city=whole_city,
        policy=policy,
        policy_snapshot=snapshot(selectors.rules_for(policy)),
        created_by=_user(actor),
    )
    audit.record(
        actor=actor,
        action="funding.start_budget_run",
        target=run,
        fields=["year", "area" if area is not None else "whole_city", "policy", "policy_snapshot"],
        capacity=capacity,
    )
    from funding.tasks import compute_budget_run  # tasks import this module

    enqueue_on_commit(compute_budget_run, run.pk)
    return run


def community_inputs(areas: QuerySet[Area]) -> list[Area]:
    """The communities among `areas` (already read through a scope, or not by design) with what a
    budget needs, in one query: the actual kind of their party organisation and the grid branches
    with a secretary in post."""
    in_community = {
        "area__tree_id": OuterRef("tree_id"),
        "area__lft__gte": OuterRef("lft"),
        "area__lft__lte": OuterRef("rght"),
    }
    led_grid_orgs = (
        Organization.objects.filter(kind=OrgKind.GRID_BRANCH, **in_community)
        .filter(Exists(Post.objects.active().filter(organization=OuterRef("pk"), role=Role.SECRETARY)))
        .order_by()
        .values("tree_id")
        .annotate(n=Count("pk"))
        .values("n")
    )

    def holders(role: str, **where) -> Subquery:
        counted = (
            Post.objects.active()
            .filter(role=role, **where)
            .order_by()
            .values("role")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Subquery(counted, output_field=IntegerField())

    def in_org_subtree(kind: str) -> dict:
        return {
            "organization__kind": kind,
            "organization__area__tree_id": OuterRef("tree_id"),
            "organization__area__lft__gte": OuterRef("lft"),
            "organization__area__lft__lte": OuterRef("rght"),
        }

    return list(
        areas.filter(kind=AreaKind.COMMUNITY)
        .annotate(
            org_kind=Subquery(
                Organization.objects.filter(area=OuterRef("pk"), kind__in=sorted(COMMUNITY_LEVEL_KINDS)).values("kind")[
                    :1
                ]
            ),
            led_grids=Subquery(led_grid_orgs, output_field=IntegerField()),
            branch_committee_members=holders(Role.ORG_COMMITTEE_MEMBER, **in_org_subtree(OrgKind.GRID_BRANCH)),
            building_group_leaders=holders(Role.GROUP_LEADER, **in_org_subtree(OrgKind.BUILDING_GROUP)),
            building_heads=holders(
                Role.BUILDING_HEAD,
                area__tree_id=OuterRef("tree_id"),
                area__lft__gte=OuterRef("lft"),
                area__lft__lte=OuterRef("rght"),
            ),
        )
        .order_by("lft")
    )


# Left for the task queued after its commit first; past this, that task is taken to be lost (the
# broker was down at the commit, or the message went with a worker before the run was claimed).
PENDING_AFTER = datetime.timedelta(minutes=1)


def resume_pending_runs(*, actor, now: datetime.datetime | None = None) -> int:
    """Beat's pass: computes the runs still pending a minute after they were started, oldest first."""
    cutoff = (now or timezone.now()) - PENDING_AFTER
    pending = BudgetRun.objects.unscoped("beat's pass computes whatever runs lost their task")
    ids = list(
        pending.filter(status=RunStatus.PENDING, created_at__lte=cutoff).order_by("pk").values_list("pk", flat=True)
    )
    for run_id in ids:
        compute_budget_run(run_id, actor=actor)
    return len(ids)


def compute_budget_run(run_id: int, *, actor) -> None:
    """Safe to run twice: only a pending run is claimed, and its rows are written in one transaction."""
    run = (
        BudgetRun.objects.unscoped("the task computes the run it was handed by id; its start was authorised")
        .select_related("area", "whole_city", "policy")
        .filter(pk=run_id)
        .first()
    )
    if run is None:
        return
    roots = [run.area] if run.area_id else list(run.whole_city.districts.order_by("code"))
    capacity = _authorise(scope_for(actor), Capability.RUN_BUDGETS, roots)
    if not BudgetRun.objects.reread(run).filter(status=RunStatus.PENDING).update(status=RunStatus.RUNNING):
        return
    try:
        _compute(run, roots, actor=actor, capacity=capacity)
    except Exception:
        logger.exception("budget run %s failed", run_id)
        BudgetRun.objects.reread(run).update(status=RunStatus.FAILED, finished_at=timezone.now())
        raise


def _compute(run: BudgetRun, roots: list[Area], *, actor, capacity: str) -> None:
    rules = rules_from_snapshot(run.policy, run.policy_snapshot)
    # A run costs every community of its districts, whoever started it: that was authorised then.
    whole = "a budget run costs every community of its districts and counties"
    costs = {
        c.community_id: c
        for c in NewUnitCost.objects.unscoped(whole).filter(
            year=run.year, community__tree_id__in=[root.tree_id for root in roots]
        )
    }
    # One query per district or county: each has its own fiscal class (a city district shares costs
    # with the city, a county pays in full).
    communities = [
        (community, root.fiscal_class)
        for root in roots
        for community in community_inputs(Area.objects.unscoped(whole).filter(tree_id=root.tree_id))
    ]
    rows, warnings = [], []
    step = max(1, len(communities) // PROGRESS_STEPS)
    for index, (community, fiscal_class) in enumerate(communities, start=1):
        if community.org_kind is None:
            warnings.append(_("%(name)s未建立社区党组织,未纳入测算") % {"name": community.name})
            continue
        cost = costs.get(community.pk)
        inputs = Inputs(
            fiscal_class=fiscal_class,
            org_kind=community.org_kind,
            households=community.declared_households or 0,
            grid_party_org_leaders=community.led_grids or 0,
            new_staff=cost.new_staff if cost else 0,
            new_staff_annual_salary=cost.new_staff_annual_salary if cost else Decimal("0"),
            new_venue_cost=cost.new_venue_cost if cost else Decimal("0"),
            branch_committee_members=community.branch_committee_members or 0,
            building_group_leaders=community.building_group_leaders or 0,
            building_heads=community.building_heads or 0,
        )
        rows.append((community, inputs, estimate(rules, inputs)))
        if index % step == 0:
            BudgetRun.objects.reread(run).update(progress=min(99, index * 100 // len(communities)))
    with transaction.atomic():
        saved = BudgetCommunity.objects.bulk_create(
            [
                BudgetCommunity(
                    run=run,
                    community=community,
                    name=community.name,
                    fiscal_class=inputs.fiscal_class,
                    org_kind=inputs.org_kind,
                    declared_households=inputs.households,
                    grid_party_org_leaders=inputs.grid_party_org_leaders,
                    branch_committee_members=inputs.branch_committee_members,
                    building_group_leaders=inputs.building_group_leaders,
                    building_heads=inputs.building_heads,
                    new_staff=inputs.new_staff,
                    new_staff_annual_salary=inputs.new_staff_annual_salary,
                    new_venue_cost=inputs.new_venue_cost,
                    amount=result.amount,
                    city=result.city,
                    local=result.local,
                )
                for community, inputs, result in rows
            ]
        )
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    community=budget_community,
                    item=line.item,
                    amount=line.amount,
                    city=line.city,
                    local=line.local,
                    clause=line.clause,
                    assumption=line.assumption,
                )
                for budget_community, (_c, _i, result) in zip(saved, rows, strict=True)
                for line in result.lines
            ]
        )
        BudgetRun.objects.reread(run).update(
            status=RunStatus.DONE,
            progress=100,
            warnings=warnings,
            amount=sum((r.amount for _c, _i, r in rows), Decimal("0.00")),
            city=sum((r.city for _c, _i, r in rows), Decimal("0.00")),
            local=sum((r.local for _c, _i, r in rows), Decimal("0.00")),
            finished_at=timezone.now(),
        )
        audit.record(
            actor=actor,
            action="funding.compute_budget_run",
            target=run,
            fields=["status", "progress", "warnings", "amount", "city", "local", "finished_at", "communities"],
            capacity=capacity,
        )


@transaction.atomic
def record_new_unit_cost(
    *,
    actor,
    year: int,
    community: Area,
    new_staff: int,
    new_staff_annual_salary: Decimal,
    new_venue_cost: Decimal,
    note: str = "",
) -> NewUnitCost:
    """What a community (or its new grids) adds in a year; entering it again for the year replaces it."""
    scope = scope_for(actor)
    capacity = _authorise(scope, Capability.RUN_BUDGETS, [community])
    cost = NewUnitCost.objects.within(scope).filter(year=year, community=community).select_for_update().first()
    cost = cost or NewUnitCost(year=year, community=community)
    cost.new_staff = new_staff
    cost.new_staff_annual_salary = new_staff_annual_salary
    cost.new_venue_cost = new_venue_cost
    cost.note = note
    full_clean(cost)
    cost.save()
    audit.record(
        actor=actor,
        action="funding.record_new_unit_cost",
        target=cost,
        fields=["year", "community", "new_staff", "new_staff_annual_salary", "new_venue_cost", "note"],
        capacity=capacity,
    )
    return cost


@transaction.atomic
def save_pay_record(*, actor, record: PayRecord) -> PayRecord:
    """A community worker's pay for a year, kept by the finance office: personal data, so audited."""
    capacity = _authorise(scope_for(actor), Capability.RUN_BUDGETS, [record.community])
    full_clean(record)
    record.save()
    # Every field is written: an admin edit saves the whole row.
    fields = [f.name for f in PayRecord._meta.concrete_fields if not f.primary_key]
    audit.record(actor=actor, action="funding.save_pay_record", target=record, fields=fields, capacity=capacity)
    return record
