"""/api/v1/cases/: the same services and scope as the pages; one POST action per step."""

import datetime
import uuid

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from cases import metrics, selectors, services
from cases.forms import RankingForm
from cases.metrics import UNIT_COLUMNS
from cases.models import Case, CaseEvent, Category, Colour, Importance, Level, RoutingRule, Source, Status, Urgency
from core.scope import scope_for
from grids.models import Area
from orgs.models import Department


class CaseSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "category",
            "area",
            "district",
            "street",
            "community",
            "grid",
            "location_note",
            "source",
            "description",
            "importance",
            "urgency",
            "colour",
            "level",
            "status",
            "department",
            "assisting",
            "response_due",
            "resolution_due",
            "due_provisional",
            "is_overdue",
            "extension_days",
            "supervised",
            "rating",
            "created_at",
        ]
        read_only_fields = fields


class ReportSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())
    description = serializers.CharField(max_length=2000)
    source = serializers.ChoiceField(choices=[c for c in Source.choices if c[0] != Source.RESIDENT_QR])
    importance = serializers.ChoiceField(choices=Importance.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    location_note = serializers.CharField(max_length=120, required=False, default="")
    reporter_phone = serializers.CharField(max_length=20, required=False, default="")


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "action", "actor", "actor_role", "at", "from_status", "to_status", "department", "note", "data"]


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, default="")


class DispatchSerializer(NoteSerializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all())
    assisting = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), many=True, required=False)


class ExtensionSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    reason = serializers.CharField(max_length=300)


class DecisionSerializer(NoteSerializer):
    approve = serializers.BooleanField()


class ResolveSerializer(serializers.Serializer):
    feedback = serializers.CharField(max_length=2000)


class VerifySerializer(NoteSerializer):
    passed = serializers.BooleanField()


class MergeSerializer(serializers.Serializer):
    into = serializers.IntegerField()


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


class RankedSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        source="key", help_text="部门、街道、社区或网格员(用户)的ID;无账号的网格员为负的岗位ID"
    )
    name = serializers.CharField()
    counts = CountsSerializer(source="tally")
    rates = RatesSerializer()
    composite = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class MetricsSerializer(serializers.Serializer):
    unit = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    results = RankedSerializer(many=True)


class CaseFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Status.choices)
    colour = filters.ChoiceFilter(choices=Colour.choices)
    level = filters.ChoiceFilter(choices=Level.choices)
    overdue = filters.BooleanFilter(method="filter_overdue")

    class Meta:
        model = Case
        fields = ["status", "colour", "level", "category", "grid", "community", "street", "department"]

    def filter_overdue(self, qs, name, value):
        return qs.filter(selectors.overdue_q()) if value else qs.exclude(selectors.overdue_q())


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 30


class CaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Case.objects.none()
    serializer_class = CaseSerializer
    pagination_class = NewestFirst
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = CaseFilter

    def get_queryset(self):
        return selectors.cases(scope_for(self.request.user)).prefetch_related("assisting")

    def get_object(self) -> Case:
        return selectors.get_case(scope_for(self.request.user), self.kwargs["pk"])

    @extend_schema(
        request=ReportSerializer,
        responses={201: CaseSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
    )
    def create(self, request, *args, **kwargs):
        data = ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key")
        try:
            key = uuid.UUID(key) if key else None
        except ValueError as exc:
            raise ValidationError({"Idempotency-Key": [_("须为UUID")]}) from exc
        case = services.report_case(actor=request.user, submission_key=key, **data.validated_data)
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=MetricsSerializer,
        parameters=[
            OpenApiParameter("unit", str, enum=list(UNIT_COLUMNS), description="默认 department"),
            OpenApiParameter("start", datetime.date, description="默认为结束日期前29天"),
            OpenApiParameter("end", datetime.date, description="默认今天"),
        ],
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def metrics(self, request):
        """Rates and composite score per unit over the cases reported in the period, within the caller's scope."""
        scope = selectors.case_scope_or_404(request.user)
        form = RankingForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        period, unit = form.cleaned_data["period"], form.cleaned_data["unit"]
        rows = metrics.ranking(scope, period, unit, weights=metrics.weights())
        return Response(
            MetricsSerializer({"unit": unit, "start": period.start, "end": period.end, "results": rows}).data
        )

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        case = self.get_object()
        return Response(EventSerializer(case.events.select_related("actor"), many=True).data)

    def _step(self, serializer_class, act):
        case = self.get_object()
        data = {}
        if serializer_class is not None:
            serializer = serializer_class(data=self.request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        case = act(case, self.request.user, data)
        return Response(CaseSerializer(Case.objects.get(pk=case.pk)).data)

    @extend_schema(request=NoteSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(NoteSerializer, lambda c, u, d: services.accept_case(case=c, actor=u, note=d["note"]))

    @extend_schema(request=NoteSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(NoteSerializer, lambda c, u, d: services.reject_case(case=c, actor=u, reason=d["note"]))

    @extend_schema(request=MergeSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        def act(case, user, data):
            into = selectors.get_case(scope_for(user), data["into"])
            return services.merge_case(case=case, actor=user, into=into)

        return self._step(MergeSerializer, act)

    @extend_schema(request=NoteSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def whistle(self, request, pk=None):
        return self._step(NoteSerializer, lambda c, u, d: services.whistle_case(case=c, actor=u, note=d["note"]))

    @extend_schema(request=NoteSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        return self._step(NoteSerializer, lambda c, u, d: services.escalate_case(case=c, actor=u, reason=d["note"]))

    @extend_schema(request=DispatchSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_case(self, request, pk=None):  # not `dispatch`: that name is the view's entry point
        return self._step(
            DispatchSerializer,
            lambda c, u, d: services.dispatch_case(
                case=c, actor=u, department=d["department"], assisting=d.get("assisting", []), note=d["note"]
            ),
        )

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._step(None, lambda c, u, d: services.sign_case(case=c, actor=u))

    @extend_schema(request=NoteSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._step(NoteSerializer, lambda c, u, d: services.return_case(case=c, actor=u, reason=d["note"]))

    @extend_schema(request=ExtensionSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._step(
            ExtensionSerializer,
            lambda c, u, d: services.request_extension(case=c, actor=u, days=d["days"], reason=d["reason"]),
        )

    @extend_schema(request=DecisionSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="decide-extension")
    def decide_extension(self, request, pk=None):
        return self._step(
            DecisionSerializer,
            lambda c, u, d: services.decide_extension(case=c, actor=u, approve=d["approve"], note=d["note"]),
        )

    @extend_schema(request=ResolveSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._step(
            ResolveSerializer, lambda c, u, d: services.resolve_case(case=c, actor=u, feedback=d["feedback"])
        )

    @extend_schema(request=VerifySerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._step(
            VerifySerializer,
            lambda c, u, d: services.verify_case(case=c, actor=u, passed=d["passed"], note=d["note"]),
        )


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
        return RoutingRule.objects.filter(scope_for(self.request.user).area_q("area__")).order_by("id")
