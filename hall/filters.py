"""The request list's filters (django-filter), over a queryset already in scope."""

import django_filters
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.filters import FilterForm
from hall.models import OPEN_STATUSES, ServiceCategory, ServiceRequest, Source, Status, WindowKind


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("服务类别"), field_name="item__category", queryset=ServiceCategory.objects.all()
    )
    window = django_filters.ChoiceFilter(label=_("窗口类型"), field_name="window__kind", choices=WindowKind.choices)
    source = django_filters.ChoiceFilter(label=_("来源"), choices=Source.choices)
    overdue = django_filters.BooleanFilter(label=_("超期"), method="filter_overdue")
    open = django_filters.BooleanFilter(label=_("未办结"), method="filter_open")
    mine = django_filters.BooleanFilter(label=_("交我办理"), method="filter_mine")
    applicant = django_filters.CharFilter(label=_("申请人"), field_name="applicant_name", lookup_expr="contains")

    class Meta:
        model = ServiceRequest
        fields = ["status", "category", "window", "source", "overdue", "open", "mine", "applicant"]
        form = FilterForm

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        now = timezone.now()
        late = Q(status__in=OPEN_STATUSES, due_at__lt=now) | Q(finished_at__gt=F("due_at"))
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES) if value else queryset.exclude(status__in=OPEN_STATUSES)

    def filter_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        return queryset.filter(handler_id=self.request.user.pk)
