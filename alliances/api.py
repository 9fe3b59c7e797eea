"""API over alliances: reads through the selectors with the caller's scope, the chair computed by
the rule as the page shows it; the hand-over goes through the same service as the page."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliances import selectors, services
from alliances.models import Alliance, ChairTerm, CommitteeMember, Membership


class CommitteeMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommitteeMember
        fields = ["id", "name", "role", "affiliation", "start", "end"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "unit", "organization", "joined_on", "left_on", "rotation_order"]
        read_only_fields = fields


class ChairTermSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChairTerm
        fields = ["id", "member", "starts_on", "ends_on"]
        read_only_fields = fields


class ChairSerializer(serializers.Serializer):
    term = ChairTermSerializer(allow_null=True)
    due = serializers.BooleanField()
    next_member = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    next_starts_on = serializers.DateField(allow_null=True)


class AllianceSerializer(serializers.ModelSerializer):
    committee = CommitteeMemberSerializer(many=True, read_only=True)
    members = MembershipSerializer(many=True, read_only=True)
    chair = serializers.SerializerMethodField()

    class Meta:
        model = Alliance
        fields = ["id", "name", "area", "founded_on", "chair_term_months", "clause", "ended_on", "committee"]
        fields += ["members", "chair"]
        read_only_fields = fields

    @extend_schema(responses=ChairSerializer)
    def get_chair(self, alliance) -> dict:
        return ChairSerializer(selectors.chair(alliance, timezone.localdate())).data


class HandOverSerializer(serializers.Serializer):
    on = serializers.DateField(required=False)


class AllianceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Alliance.objects.none()  # for the schema; requests go through get_queryset
    serializer_class = AllianceSerializer

    def get_queryset(self):
        return selectors.with_people(selectors.alliances(self.request.scope)).order_by("area__tree_id", "pk")

    def get_object(self) -> Alliance:
        return selectors.get_alliance(self.request.scope, self.kwargs["pk"])

    @extend_schema(request=HandOverSerializer, responses={201: ChairTermSerializer})
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        alliance = self.get_object()
        data = HandOverSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            term = services.hand_over_chair(actor=request.user, alliance=alliance, on=data.validated_data.get("on"))
        except PermissionDenied as exc:
            raise Http404 from exc
        return Response(ChairTermSerializer(term).data, status=status.HTTP_201_CREATED)
