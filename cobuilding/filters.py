"""The back office's list filters for co-building (django-filter), over querysets already in scope."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cobuilding.models import (
    CoBuildingUnit,
    Need,
    NeedDirection,
    NeedStatus,
    Pricing,
    ResourceKind,
    SharedResource,
    UnitKind,
)
from grids.filters import FilterForm


class UnitFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("单位名称"), lookup_expr="contains")
    kind = django_filters.ChoiceFilter(label=_("单位类型"), choices=UnitKind.choices)
    current = django_filters.BooleanFilter(label=_("在册"), field_name="ended_on", lookup_expr="isnull")

    class Meta:
        model = CoBuildingUnit
        fields = ["name", "kind", "current"]
        form = FilterForm


class ResourceFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="contains")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=ResourceKind.choices)
    pricing = django_filters.ChoiceFilter(label=_("收费方式"), choices=Pricing.choices)

    class Meta:
        model = SharedResource
        fields = ["name", "kind", "pricing"]
        form = FilterForm


class NeedFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(label=_("需求"), lookup_expr="contains")
    direction = django_filters.ChoiceFilter(label=_("需求方向"), choices=NeedDirection.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=NeedStatus.choices)

    class Meta:
        model = Need
        fields = ["title", "direction", "status"]
        form = FilterForm
