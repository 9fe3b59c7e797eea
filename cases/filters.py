"""The back office's list filters for cases' maintained records (django-filter), over querysets in scope."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cases.models import VisitRule
from grids.filters import FilterForm


class VisitRuleFilter(django_filters.FilterSet):
    current = django_filters.BooleanFilter(label=_("执行中"), field_name="ended_on", lookup_expr="isnull")

    class Meta:
        model = VisitRule
        fields = ["current"]
        form = FilterForm
