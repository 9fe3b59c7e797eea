from django.db.models import Q

from funding.calculators import Rules
from funding.models import Policy


def policy_for(year: int) -> Policy | None:
    """The policy in force in a year: the latest one that started on or before it and had not ended."""
    return (
        Policy.objects.filter(effective_from__year__lte=year)
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
