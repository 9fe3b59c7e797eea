"""API over training, evaluation rounds and the yearly evaluation: reads through the selectors with
the caller's scope; recording a session goes through the same service as the page. Ballots are the
residents' pages only (a household has no token)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from appraisal import selectors, services
from appraisal.models import EvaluationRound, Training
from core import idempotency
from core.drf import ScopedPrimaryKeyRelatedField
from orgs.capabilities import GRID_WORKERS
from orgs.models import Post


class TrainingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Training
        fields = ["id", "worker", "grid", "held_on", "topic", "hours", "recorded_role"]
        read_only_fields = fields


class RecordTrainingSerializer(serializers.Serializer):
    worker_post = ScopedPrimaryKeyRelatedField(
        Post, queryset=Post.objects.none(), narrow=lambda posts, context: posts.filter(role__in=GRID_WORKERS)
    )
    held_on = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)


class TrainingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Training.objects.none()  # for the schema; requests go through get_queryset
    serializer_class = TrainingSerializer

    def get_queryset(self):
        return selectors.trainings(self.request.scope).order_by("-held_on", "-id")

    def get_object(self) -> Training:
        return selectors.get_training(self.request.scope, self.kwargs["pk"])

    @extend_schema(
        request=RecordTrainingSerializer, responses={201: TrainingSerializer}, parameters=[idempotency.PARAMETER]
    )
    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        data = RecordTrainingSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            training = services.record_training(actor=request.user, **data.validated_data)
        except PermissionDenied as exc:
            raise Http404 from exc
        return Response(TrainingSerializer(training).data, status=status.HTTP_201_CREATED)


class PersonResultSerializer(serializers.Serializer):
    post = serializers.IntegerField(source="post.pk")
    name = serializers.CharField(source="post.holder_name")
    satisfied = serializers.SerializerMethodField()
    basic = serializers.SerializerMethodField()
    dissatisfied = serializers.SerializerMethodField()

    def get_satisfied(self, obj) -> int:
        return obj.counts["satisfied"]

    def get_basic(self, obj) -> int:
        return obj.counts["basic"]

    def get_dissatisfied(self, obj) -> int:
        return obj.counts["dissatisfied"]


class EvaluationRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationRound
        fields = [
            "id",
            "community",
            "title",
            "period_start",
            "period_end",
            "opens_on",
            "closes_on",
            "report_published_at",
        ]
        read_only_fields = fields


class EvaluationRoundDetailSerializer(EvaluationRoundSerializer):
    """A round with its counts per person: how many said each rating, never who."""

    results = serializers.SerializerMethodField()

    class Meta(EvaluationRoundSerializer.Meta):
        fields = [*EvaluationRoundSerializer.Meta.fields, "results"]
        read_only_fields = fields

    def get_results(self, obj) -> list[dict]:
        return PersonResultSerializer(selectors.results(obj), many=True).data


class EvaluationRoundViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = EvaluationRound.objects.none()  # for the schema; requests go through get_queryset

    def get_serializer_class(self):
        return EvaluationRoundDetailSerializer if self.action == "retrieve" else EvaluationRoundSerializer

    def get_queryset(self):
        return selectors.rounds(self.request.scope).order_by("-opens_on", "-id")

    def get_object(self) -> EvaluationRound:
        return selectors.get_round(self.request.scope, self.kwargs["pk"])


class FigureSerializer(serializers.Serializer):
    measure = serializers.CharField(source="measure.code")
    value = serializers.DecimalField(max_digits=12, decimal_places=4)
    weight = serializers.DecimalField(source="line.weight", max_digits=5, decimal_places=2)
    full_at = serializers.DecimalField(source="line.full_at", max_digits=10, decimal_places=2)
    points = serializers.DecimalField(max_digits=5, decimal_places=2)


class YearlySerializer(serializers.Serializer):
    worker = serializers.IntegerField(source="worker.user_id")
    name = serializers.CharField(source="worker.name")
    grid = serializers.IntegerField(source="worker.grid.pk")
    total = serializers.DecimalField(max_digits=6, decimal_places=2)
    rank_in_community = serializers.IntegerField()
    rank_in_street = serializers.IntegerField()
    figures = FigureSerializer(many=True)


class YearlyViewSet(viewsets.ViewSet):
    """The yearly evaluation of the caller's grid workers (a grid worker: their own), highest first."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="the calendar year; this year if absent")],
        responses=YearlySerializer(many=True),
    )
    def list(self, request):
        year = request.query_params.get("year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
        _scheme, rows = selectors.yearly(request.scope, year)
        return Response(YearlySerializer(rows, many=True).data)
