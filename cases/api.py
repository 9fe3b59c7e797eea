"""/api/v1/cases/: the same services and scope as the pages; one POST action per step."""

import datetime

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from cases import metrics, selectors, services, tracking, workflow
from cases.forms import RankingForm
from cases.metrics import UNIT_COLUMNS
from cases.models import CURRENT_DUE, Case, Category, Colour, Level, RoutingRule, Source, Status
from cases.serializers import (
    CaseSerializer,
    EventSerializer,
    RatedSerializer,
    ReferralSerializer,
    ReportSerializer,
    ResidentRatingSerializer,
)
from core import idempotency
from core.drf import IdFilter
from core.throttling import AnonymousLimit, AnonymousThrottle


class CountsSerializer(serializers.Serializer):
    reported = serializers.IntegerField()
    dispatched = serializers.IntegerField()
    responded = serializers.IntegerField()
    due = serializers.IntegerField()
    closed = serializers.IntegerField()
    on_time = serializers.IntegerField()
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    basic = serializers.IntegerField()
    rated_callback = serializers.IntegerField(help_text="已评价中电话回访的")
    satisfied_callback = serializers.IntegerField()
    basic_callback = serializers.IntegerField()
    verified = serializers.IntegerField()
    reworked = serializers.IntegerField()


def _rate_field():
    return serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)


class RatesSerializer(serializers.Serializer):
    response = _rate_field()
    resolution = _rate_field()
    satisfaction = _rate_field()
    on_time = _rate_field()
    rework = _rate_field()


class SatisfactionByViaSerializer(serializers.Serializer):
    resident = _rate_field()
    callback = _rate_field()


class RankedSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="key", help_text="部门、街道、社区或网格员(用户)的ID;无账号的网格员为负的岗位ID"
    )
    name = serializers.CharField()
    counts = CountsSerializer(source="tally")
    rates = RatesSerializer()
    satisfaction_by_via = SatisfactionByViaSerializer(
        source="tally.satisfaction_by_source", help_text="满意率分列:居民自评(扫码、查询码)与电话回访"
    )
    composite = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class MetricsSerializer(serializers.Serializer):
    unit = serializers.CharField()
    source = serializers.ChoiceField(choices=Source.choices, allow_null=True, help_text="只统计该来源的案件;空为全部")
    start = serializers.DateField()
    end = serializers.DateField()
    results = RankedSerializer(many=True)


class CaseFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Status.choices)
    colour = filters.ChoiceFilter(choices=Colour.choices)
    level = filters.ChoiceFilter(choices=Level.choices)
    overdue = filters.BooleanFilter(method="filter_overdue")
    category = IdFilter()
    grid = IdFilter()
    community = IdFilter()
    street = IdFilter()
    department = IdFilter()
    q = filters.CharFilter(method="filter_text", max_length=selectors.SEARCH_MAX)
    # Read by the pagination (NewestFirst.get_ordering); declared here so it is checked and documented.
    sort = filters.ChoiceFilter(choices=[("due", "time left")], method="sorted_by_pagination")

    class Meta:
        model = Case
        fields = ["status", "colour", "level", "category", "grid", "community", "street", "department"]

    def filter_overdue(self, qs, name, value):
        return qs.filter(selectors.overdue_q()) if value else qs.exclude(selectors.overdue_q())

    def filter_text(self, qs, name, value):
        return qs.filter(selectors.search_q(value))

    def sorted_by_pagination(self, qs, name, value):
        return qs


class NewestFirst(CursorPagination):
    """Newest first; `?sort=due` by time left instead (overdue first, cases without a clock last)."""

    ordering = ("-created_at", "-id")
    page_size = 30

    def get_ordering(self, request, queryset, view):
        return ("due", "id") if request.query_params.get("sort") == "due" else self.ordering


class CaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Case.objects.none()
    serializer_class = CaseSerializer
    pagination_class = NewestFirst
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = CaseFilter

    def get_queryset(self):
        return selectors.cases(self.request.scope).annotate(due=CURRENT_DUE).prefetch_related("assisting")

    def get_object(self) -> Case:
        return selectors.get_case(self.request.scope, self.kwargs["pk"])

    @extend_schema(request=ReportSerializer, responses={201: CaseSerializer}, parameters=[idempotency.PARAMETER])
    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        data = ReportSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        # The case keeps the key too, as a page's form does: past the API's replay window the same
        # report under the same key is still this case, never a second one.
        key = idempotency.key_of(request)
        try:
            case = services.report_case(actor=request.user, submission_key=key, **data.validated_data)
        except services.KeyReused as exc:
            raise idempotency.KeyReused({idempotency.HEADER: exc.messages}) from exc
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=MetricsSerializer,
        parameters=[
            OpenApiParameter("unit", str, enum=list(UNIT_COLUMNS), description="默认 department"),
            OpenApiParameter("start", datetime.date, description="默认为结束日期前29天"),
            OpenApiParameter("end", datetime.date, description="默认今天"),
            OpenApiParameter("source", str, enum=list(Source.values), description="只统计该来源的案件(如 hotline)"),
        ],
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def metrics(self, request):
        """Rates and composite score per unit over the cases reported in the period, within the caller's scope."""
        scope = selectors.case_scope_or_404(request.scope)
        form = RankingForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        period, unit, source = form.cleaned_data["period"], form.cleaned_data["unit"], form.cleaned_data["source"]
        rows = metrics.ranking(scope, period, unit, weights=metrics.weights(), source=source)
        answer = {"unit": unit, "source": source, "start": period.start, "end": period.end, "results": rows}
        return Response(MetricsSerializer(answer).data)

    @extend_schema(
        request=ReferralSerializer,
        responses={201: CaseSerializer, 200: CaseSerializer},
        parameters=[idempotency.PARAMETER],
    )
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    @idempotency.idempotent
    def refer(self, request):
        """12345转办: a case referred by the hotline platform under its own reference, 201; the same
        reference sent again answers 200 with the case it made the first time."""
        data = ReferralSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        case, created = services.refer_case(actor=request.user, **data.validated_data)
        answer = CaseSerializer(Case.objects.reread(case).get()).data
        return Response(answer, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=ResidentRatingSerializer, responses=RatedSerializer, auth=[])
    @action(
        detail=False,
        methods=["post"],
        filter_backends=[],
        pagination_class=None,
        # The resident has no account: the 查询码 is the only key, counted per address.
        authentication_classes=[],
        permission_classes=[AnonymousLimit, AllowAny],
        throttle_classes=[AnonymousThrottle],
    )
    def rate(self, request):
        """The resident's rating of a closed case by its 查询码, as on the tracking page: once per
        closing; a wrong code is a 404. Staff recording a caller's rating (回访) use `callback`."""
        data = ResidentRatingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        case = selectors.by_tracking_code(tracking.normalized(given["tracking_code"]))
        case = services.rate_case(
            actor=None, case=case, rating=given["rating"], reopen=given["reopen"], note=given["note"]
        )
        return Response(RatedSerializer(case).data)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        case = self.get_object()
        return Response(EventSerializer(case.events.select_related("actor"), many=True).data)


def _step_action(step: workflow.Step):
    """The API's POST for one row of the workflow table: the same service as the page's."""

    def take(self, request, pk=None):
        case = self.get_object()
        data = {}
        if step.serializer is not None:
            serializer = step.serializer(data=request.data, context={"request": request, "case": case})
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        case = step.run(actor=request.user, case=case, **step.args(data))
        # Re-read, not through the scope: a step can move the case out of it (a return clears the
        # department), and the caller is still owed the result of what they did.
        return Response(CaseSerializer(Case.objects.reread(case).get()).data)

    take.__name__ = f"step_{step.name}"  # not `dispatch` or `return`: names the view class has or Python keeps
    take.__doc__ = f"{step.slug}: {step.run.__doc__ or ''}".strip()
    # After @action, which replaces the function's kwargs where extend_schema keeps its schema:
    # the other way round, every step's request was documented as the case itself.
    taken = action(detail=True, methods=["post"], url_path=step.slug, url_name=step.name)(take)
    return extend_schema(request=step.serializer, responses=CaseSerializer)(taken)


for _step in workflow.ROWS:
    setattr(CaseViewSet, f"step_{_step.name}", _step_action(_step))


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name", "parent", "importance", "urgency", "resident_pickable", "default_department"]


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Category.objects.order_by("tree_id", "lft")
    serializer_class = CategorySerializer
    pagination_class = None


class RoutingRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoutingRule
        fields = ["id", "category", "area", "department"]


class RoutingRuleViewSet(viewsets.ReadOnlyModelViewSet):
    """Rules whose area lies in the caller's scope."""

    queryset = RoutingRule.objects.none()
    serializer_class = RoutingRuleSerializer

    def get_queryset(self):
        return RoutingRule.objects.filter(self.request.scope.area_q("area__")).order_by("id")
