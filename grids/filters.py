"""The back office's list filters (django-filter), each over a queryset already in the caller's scope."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from grids.models import Area, AreaKind, Household, Occupancy, Relation, ResidenceStatus, Resident


class FilterForm(BootstrapFormMixin, forms.Form):
    pass


class PlaceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=AreaKind.choices)
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="contains")

    class Meta:
        model = Area
        fields = ["kind", "name"]
        form = FilterForm


class HouseholdFilter(django_filters.FilterSet):
    building = django_filters.CharFilter(label=_("楼栋"), field_name="building__name", lookup_expr="contains")
    room = django_filters.CharFilter(label=_("房号"), lookup_expr="exact")
    occupancy = django_filters.ChoiceFilter(label=_("居住状态"), choices=Occupancy.choices)

    class Meta:
        model = Household
        fields = ["building", "room", "occupancy"]
        form = FilterForm


class ResidentFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("姓名"), lookup_expr="contains")
    residence_status = django_filters.ChoiceFilter(label=_("居住类型"), choices=ResidenceStatus.choices)
    relation = django_filters.ChoiceFilter(label=_("与户主关系"), choices=Relation.choices)
    living = django_filters.BooleanFilter(label=_("在住"), field_name="ended_on", lookup_expr="isnull")

    class Meta:
        model = Resident
        fields = ["name", "residence_status", "relation", "living"]
        form = FilterForm
