"""API over grid meetings: reads through the selectors with the caller's scope; holding a meeting
and recording a decision go through the same services as the pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.models import Category
from cobuilding.models import CoBuildingUnit
from core import idempotency
from core.drf import ScopedPrimaryKeyRelatedField
from grids.models import Area, AreaKind
from gridwork import selectors, services
from gridwork.models import Decision, GridMeeting
from orgs.models import Post


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "text", "case", "need", "project"]
        read_only_fields = fields


class GridMeetingSerializer(serializers.ModelSerializer):
    decisions = DecisionSerializer(many=True, read_only=True)

    class Meta:
        model = GridMeeting
        fields = ["id", "grid", "held_on", "topic", "minutes", "attendees", "convener_role", "decisions"]
        read_only_fields = fields


class HoldSerializer(serializers.Serializer):
    grid = ScopedPrimaryKeyRelatedField(
        Area, queryset=Area.objects.none(), narrow=lambda areas, context: areas.filter(kind=AreaKind.GRID)
    )
    held_on = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    minutes = serializers.CharField(max_length=10_000)
    # Checked against the grid's own posts on the day by the service.
    attendees = ScopedPrimaryKeyRelatedField(Post, queryset=Post.objects.none(), many=True, required=False)


class DecideSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    raises = serializers.ChoiceField(
        choices=[services.Raise.CASE, services.Raise.NEED, services.Raise.PROJECT], required=False
    )
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False)
    title = serializers.CharField(max_length=200, required=False)
    unit = ScopedPrimaryKeyRelatedField(CoBuildingUnit, queryset=CoBuildingUnit.objects.none(), required=False)


class GridMeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = GridMeeting.objects.none()  # for the schema; requests go through get_queryset
    serializer_class = GridMeetingSerializer

    def get_queryset(self):
        meetings = selectors.meetings(self.request.scope).order_by("-held_on", "-id")
        return selectors.with_people_and_decisions(meetings)

    def get_object(self) -> GridMeeting:
        return selectors.get_meeting(self.request.scope, self.kwargs["pk"])

    @extend_schema(request=HoldSerializer, responses={201: GridMeetingSerializer}, parameters=[idempotency.PARAMETER])
    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        data = HoldSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            meeting = services.hold_grid_meeting(actor=request.user, **data.validated_data)
        except PermissionDenied as exc:
            raise Http404 from exc
        return Response(
            GridMeetingSerializer(selectors.get_meeting(request.scope, meeting.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=DecideSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        meeting = self.get_object()
        data = DecideSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            decision = services.decide(actor=request.user, meeting=meeting, **data.validated_data)
        except PermissionDenied as exc:
            raise Http404 from exc
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
