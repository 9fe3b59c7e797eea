"""The back office's list filters (django-filter), each over a queryset already in the caller's scope."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.filters import FilterForm
from grids.models import AreaKind
from grids.selectors import areas
from orgs.models import Organization, OrgKind, Post, Role


class PostFilter(django_filters.FilterSet):
    holder_name = django_filters.CharFilter(label=_("姓名"), lookup_expr="contains")
    role = django_filters.ChoiceFilter(label=_("岗位"), choices=Role.choices)
    active = django_filters.BooleanFilter(label=_("在岗"), method="filter_active")

    class Meta:
        model = Post
        fields = ["holder_name", "role", "active"]
        form = FilterForm

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        active = Q(end__isnull=True) | Q(end__gte=today), Q(start__lte=today)
        return queryset.filter(*active) if value else queryset.exclude(active[0] & active[1])


def _filter_places(request):
    # Streets, communities and grids to narrow by; buildings would make the list a city's length.
    return areas(request.scope).filter(kind__in=sorted(ORG_FILTER_PLACES)).order_by("tree_id", "lft")


ORG_FILTER_PLACES = {AreaKind.STREET, AreaKind.TOWN, AreaKind.COMMUNITY, AreaKind.GRID}


class OrganizationFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="contains")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=OrgKind.choices)
    area = django_filters.ModelChoiceFilter(label=_("区域"), queryset=_filter_places, method="filter_area")

    class Meta:
        model = Organization
        fields = ["name", "kind", "area"]
        form = FilterForm

    def filter_area(self, queryset, name, value):
        """Organisations seated at the area or anywhere under it."""
        if value is None:
            return queryset
        return queryset.filter(area__tree_id=value.tree_id, area__lft__gte=value.lft, area__lft__lte=value.rght)
