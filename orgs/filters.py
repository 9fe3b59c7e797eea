"""The back office's list filters (django-filter), each over a queryset already in the caller's scope."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.filters import FilterForm
from orgs.models import Post, Role


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
