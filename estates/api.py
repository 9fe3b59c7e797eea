"""API over property service: reads through the selectors with the caller's scope; admission,
exit, inspections, rounds, re-assessments and exit decisions through the same services as the
pages (a PermissionDenied is the 404 of something outside what the caller may do)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import idempotency
from core.drf import ScopedPrimaryKeyRelatedField
from estates import selectors, services
from estates.models import SCORE, Assessment, AssessmentRound, Inspection, ServiceTerm
from grids.models import Area, AreaKind
from orgs.models import Department, DepartmentKind


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceTerm
        fields = ["id", "compound", "company", "starts_on", "admission_ref", "ends_on", "exit_reason", "exit_ref"]
        read_only_fields = fields


class AdmitSerializer(serializers.Serializer):
    compound = ScopedPrimaryKeyRelatedField(
        Area, queryset=Area.objects.none(), narrow=lambda areas, context: areas.filter(kind=AreaKind.COMPOUND)
    )
    company = ScopedPrimaryKeyRelatedField(
        Department,
        queryset=Department.objects.none(),
        narrow=lambda rows, context: rows.filter(kind=DepartmentKind.PROPERTY),
    )
    starts_on = serializers.DateField()
    admission_ref = serializers.CharField(max_length=100)


class ExitSerializer(serializers.Serializer):
    ends_on = serializers.DateField()
    reason = serializers.CharField(max_length=2000)
    exit_ref = serializers.CharField(max_length=100)


class InspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inspection
        fields = ["id", "term", "inspected_on", "items", "score", "inspector_role"]
        read_only_fields = fields


class InspectSerializer(serializers.Serializer):
    term = ScopedPrimaryKeyRelatedField(ServiceTerm, queryset=ServiceTerm.objects.none())
    inspected_on = serializers.DateField()
    items = serializers.CharField(max_length=2000)
    score = serializers.DecimalField(max_digits=5, decimal_places=1, validators=SCORE)


class AssessmentSerializer(serializers.ModelSerializer):
    cases = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    inspections = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id", "round", "term", "follows", "period_start", "period_end", "assessed_on",
            "rated", "satisfied", "basic", "case_count", "due_count", "on_time_count",
            "satisfaction_score", "timeliness_score", "volume_score", "inspection_score", "score",
            "status", "rectify_due", "decision_ref", "decision_note", "cases", "inspections",
        ]  # fmt: skip
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentRound
        fields = ["id", "street", "name", "period_start", "period_end", "assessed_on", "rule"]
        read_only_fields = fields


class OpenRoundSerializer(serializers.Serializer):
    street = ScopedPrimaryKeyRelatedField(
        Area,
        queryset=Area.objects.none(),
        narrow=lambda areas, context: areas.filter(kind__in=selectors.STREET_KINDS),
    )
    name = serializers.CharField(max_length=100)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    assessed_on = serializers.DateField(required=False)


class ReassessSerializer(serializers.Serializer):
    on = serializers.DateField(required=False)


class DecideExitSerializer(serializers.Serializer):
    exits = serializers.BooleanField()
    decision_ref = serializers.CharField(max_length=100)
    note = serializers.CharField(max_length=2000)
    ends_on = serializers.DateField(required=False)


def _perform(service, **kwargs):
    try:
        return service(**kwargs)
    except PermissionDenied as exc:
        raise Http404 from exc


def _valid(serializer_class, request):
    data = serializer_class(data=request.data, context={"request": request})
    data.is_valid(raise_exception=True)
    return data.validated_data


class TermViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = ServiceTerm.objects.none()  # for the schema; requests go through get_queryset
    serializer_class = TermSerializer

    def get_queryset(self):
        return selectors.terms(self.request.scope).order_by("compound__tree_id", "compound__lft", "-starts_on")

    def get_object(self) -> ServiceTerm:
        return selectors.get_term(self.request.scope, self.kwargs["pk"])

    @extend_schema(request=AdmitSerializer, responses={201: TermSerializer}, parameters=[idempotency.PARAMETER])
    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        term = _perform(services.admit_company, actor=request.user, **_valid(AdmitSerializer, request))
        return Response(TermSerializer(term).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExitSerializer, responses={200: TermSerializer})
    @action(detail=True, methods=["post"], url_path="exit")
    def end(self, request, pk=None):
        term = self.get_object()
        term = _perform(services.end_term, actor=request.user, term=term, **_valid(ExitSerializer, request))
        return Response(TermSerializer(term).data)


class InspectionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Inspection.objects.none()
    serializer_class = InspectionSerializer

    def get_queryset(self):
        return selectors.inspections(self.request.scope).order_by("-inspected_on", "-id")

    def get_object(self) -> Inspection:
        return selectors.get_inspection(self.request.scope, self.kwargs["pk"])

    @extend_schema(request=InspectSerializer, responses={201: InspectionSerializer}, parameters=[idempotency.PARAMETER])
    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        found = _perform(services.record_inspection, actor=request.user, **_valid(InspectSerializer, request))
        return Response(InspectionSerializer(found).data, status=status.HTTP_201_CREATED)


class RoundViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = AssessmentRound.objects.none()
    serializer_class = RoundSerializer

    def get_queryset(self):
        return selectors.rounds(self.request.scope).order_by("-period_end", "-id")

    def get_object(self) -> AssessmentRound:
        return selectors.get_round(self.request.scope, self.kwargs["pk"])

    @extend_schema(request=OpenRoundSerializer, responses={201: RoundSerializer}, parameters=[idempotency.PARAMETER])
    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        round_ = _perform(services.open_round, actor=request.user, **_valid(OpenRoundSerializer, request))
        return Response(RoundSerializer(round_).data, status=status.HTTP_201_CREATED)


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Assessment.objects.none()
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        return selectors.assessments(self.request.scope).prefetch_related("cases", "inspections").order_by("-id")

    def get_object(self) -> Assessment:
        return selectors.get_assessment(self.request.scope, self.kwargs["pk"])

    def _answer(self, assessment: Assessment) -> Response:
        return Response(AssessmentSerializer(selectors.get_assessment(self.request.scope, assessment.pk)).data)

    @extend_schema(request=ReassessSerializer, responses={200: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def reassess(self, request, pk=None):
        assessment = self.get_object()
        data = _valid(ReassessSerializer, request)
        return self._answer(_perform(services.reassess, actor=request.user, assessment=assessment, **data))

    @extend_schema(request=DecideExitSerializer, responses={200: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        assessment = self.get_object()
        data = _valid(DecideExitSerializer, request)
        return self._answer(_perform(services.decide_exit, actor=request.user, assessment=assessment, **data))
