"""The estimate contract: one JSON object in, one out; shared by `manage.py funding_estimate` and
`POST /api/v1/funding/estimate/`, validated by one serializer so both name the bad field alike."""

from decimal import Decimal

from django.utils.translation import gettext as _
from rest_framework import serializers

from funding import selectors
from funding.calculators import Estimate, Inputs, estimate
from grids.models import FiscalClass
from orgs.models import OrgKind

# The contract names the organisation kind as the document does.
ORG_KINDS = {
    "党委": OrgKind.COMMUNITY_COMMITTEE,
    "党总支": OrgKind.COMMUNITY_GENERAL_BRANCH,
    "党支部": OrgKind.COMMUNITY_BRANCH,
}
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0"), "coerce_to_string": True}


class EstimateInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=1949, max_value=2200)
    fiscal_class = serializers.ChoiceField(choices=[c.value for c in FiscalClass])
    org_kind = serializers.ChoiceField(choices=list(ORG_KINDS))
    households = serializers.IntegerField(min_value=0)
    grid_party_org_leaders = serializers.IntegerField(min_value=0, default=0)
    months = serializers.IntegerField(min_value=0, max_value=12, default=12)
    new_staff = serializers.IntegerField(min_value=0, default=0)
    new_staff_annual_salary = serializers.DecimalField(**MONEY, default=Decimal("0"))
    new_venue_cost = serializers.DecimalField(**MONEY, default=Decimal("0"))

    def to_internal_value(self, data):
        # A misspelt key is an error, not a silent default; reported with every other bad field.
        unknown = (
            {key: [_("未知字段")] for key in sorted(set(data) - set(self.fields))} if isinstance(data, dict) else {}
        )
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({**unknown, **exc.detail}) from None
        if unknown:
            raise serializers.ValidationError(unknown)
        return value

    def validate_year(self, year: int) -> int:
        if selectors.policy_for(year) is None:
            raise serializers.ValidationError(_("%(year)s年没有适用的经费政策") % {"year": year})
        return year


def run(data: dict) -> Estimate:
    """Validate (raising serializers.ValidationError naming the field) and compute."""
    checked = EstimateInput(data=data)
    checked.is_valid(raise_exception=True)
    values = dict(checked.validated_data)
    rules = selectors.rules_for(selectors.policy_for(values.pop("year")))
    values["org_kind"] = ORG_KINDS[values["org_kind"]]
    return estimate(rules, Inputs(**values))


def as_json(result: Estimate) -> dict:
    def money(value: Decimal) -> str:
        return f"{value:.2f}"

    return {
        "lines": [
            {
                "item": line.item,
                "amount": money(line.amount),
                "city": money(line.city),
                "local": money(line.local),
                "clause": line.clause,
            }
            for line in result.lines
        ],
        "total": {"amount": money(result.amount), "city": money(result.city), "local": money(result.local)},
    }
