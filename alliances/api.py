"""API over alliances, their joint meetings and 双报告: reads through the selectors with the caller's
scope, the chair computed by the rule as the page shows it; every write goes through the same
service as the page. The joint meetings' and 双报告's writes answer a refusal inside the scope with
a 403 and the service's reason; the chair's hand-over, older, answers it with a 404."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from alliances import selectors, services
from alliances.backoffice import MEETING_PLACES
from alliances.models import (
    Alliance,
    ChairTerm,
    CommitteeMember,
    DualReport,
    JointDecision,
    Membership,
    ServiceActivity,
    half_year,
)
from cases.models import Category
from cases.serializers import ScopedPrimaryKeyRelatedField
from cobuilding.models import CoBuildingUnit, JointMeeting, MeetingLevel
from core import idempotency
from core.drf import IdFilter
from grids.models import Area
from gridwork.services import Raise
from orgs.models import PartyMember


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


# Joint meetings (三级党建联席会议, an alliance's among them) ----------------------------------------


class JointDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = JointDecision
        fields = ["id", "text", "case", "need", "project"]
        read_only_fields = fields


class JointMeetingSerializer(serializers.ModelSerializer):
    decisions = JointDecisionSerializer(source="decision_rows", many=True, read_only=True)

    class Meta:
        model = JointMeeting
        fields = ["id", "level", "area", "alliance", "held_on", "title", "minutes", "units", "committee_present"]
        fields += ["decisions"]
        read_only_fields = fields


def _meeting_places(areas, context):
    return areas.filter(kind__in=MEETING_PLACES)


class HoldJointSerializer(serializers.Serializer):
    alliance = ScopedPrimaryKeyRelatedField(Alliance, required=False, allow_null=True, help_text="联盟的联席会议时给出")
    level = serializers.ChoiceField(choices=MeetingLevel.choices)
    area = ScopedPrimaryKeyRelatedField(Area, narrow=_meeting_places)
    held_on = serializers.DateField()
    title = serializers.CharField(max_length=200)
    minutes = serializers.CharField(max_length=10_000)
    # Checked against the meeting's place and the alliance's committee on the day by the services.
    units = ScopedPrimaryKeyRelatedField(CoBuildingUnit, many=True, required=False)
    committee = ScopedPrimaryKeyRelatedField(CommitteeMember, many=True, required=False)


class AttendanceSerializer(serializers.Serializer):
    committee = ScopedPrimaryKeyRelatedField(CommitteeMember, many=True, help_text="出席的指导委员会委员,整体替换")


class JointDecideSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    raises = serializers.ChoiceField(choices=[Raise.CASE, Raise.NEED, Raise.PROJECT], required=False)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False)
    title = serializers.CharField(max_length=200, required=False)
    unit = ScopedPrimaryKeyRelatedField(CoBuildingUnit, required=False)
    place = ScopedPrimaryKeyRelatedField(
        Area, required=False, help_text="街道联席会议转办时,案件、需求或项目所在的社区、网格或楼栋"
    )


class JointMeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = JointMeeting.objects.none()  # for the schema; requests go through get_queryset
    serializer_class = JointMeetingSerializer

    def get_queryset(self):
        meetings = selectors.meetings(self.request.scope).order_by("-held_on", "-id")
        return selectors.with_attendance_and_decisions(meetings)

    def get_object(self) -> JointMeeting:
        return selectors.get_meeting(self.request.scope, self.kwargs["pk"])

    def _answer(self, meeting: JointMeeting, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(JointMeetingSerializer(selectors.get_meeting(self.request.scope, meeting.pk)).data, status_code)

    @extend_schema(
        request=HoldJointSerializer, responses={201: JointMeetingSerializer}, parameters=[idempotency.PARAMETER]
    )
    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        data = HoldJointSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        given = dict(data.validated_data)
        units, committee = given.pop("units", []), given.pop("committee", [])
        meeting = services.hold_joint_meeting(
            actor=request.user, meeting=JointMeeting(**given), units=units, committee=committee
        )
        return self._answer(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=AttendanceSerializer, responses=JointMeetingSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        data = AttendanceSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.record_committee_attendance(
            actor=request.user, meeting=meeting, committee=data.validated_data["committee"]
        )
        return self._answer(meeting)

    @extend_schema(request=JointDecideSerializer, responses={201: JointDecisionSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        meeting = self.get_object()
        data = JointDecideSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        decision = services.decide_joint(actor=request.user, meeting=meeting, **data.validated_data)
        return Response(JointDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


# 双报告: in-service members' service records, and the half-year sent to their units ----------------


class ServiceActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceActivity
        fields = ["id", "member", "on", "activity", "hours", "recorded_at"]
        read_only_fields = fields


class RecordServiceSerializer(serializers.Serializer):
    member = ScopedPrimaryKeyRelatedField(PartyMember, help_text="在职党员")
    on = serializers.DateField()
    activity = serializers.CharField(max_length=200)
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=Decimal("0.5"), max_value=Decimal(24))


class ServiceActivityFilter(filters.FilterSet):
    member = IdFilter()
    since = filters.DateFilter(field_name="on", lookup_expr="gte", help_text="服务日期不早于")
    until = filters.DateFilter(field_name="on", lookup_expr="lte", help_text="服务日期不晚于")

    class Meta:
        model = ServiceActivity
        fields = ["member", "since", "until"]


class ServiceActivityViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    queryset = ServiceActivity.objects.none()
    serializer_class = ServiceActivitySerializer
    filterset_class = ServiceActivityFilter

    def get_queryset(self):
        return selectors.service_activities(self.request.scope).order_by("-on", "-id")

    @extend_schema(
        request=RecordServiceSerializer, responses={201: ServiceActivitySerializer}, parameters=[idempotency.PARAMETER]
    )
    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        data = RecordServiceSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        row = services.record_service(actor=request.user, **data.validated_data)
        return Response(ServiceActivitySerializer(row).data, status=status.HTTP_201_CREATED)


class DualReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = DualReport
        fields = ["id", "member", "unit", "period_start", "period_end", "activities", "hours", "sent_to", "sent_at"]
        read_only_fields = fields


class SendSerializer(serializers.Serializer):
    unit = ScopedPrimaryKeyRelatedField(CoBuildingUnit, help_text="报告单位(共建单位)")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    half = serializers.ChoiceField(choices=[1, 2], help_text="1为1至6月,2为7至12月")

    def validate(self, data):
        data["start"], data["end"] = half_year(datetime.date(data.pop("year"), 1 if data.pop("half") == 1 else 7, 1))
        return data


class DualReportFilter(filters.FilterSet):
    unit = IdFilter()
    member = IdFilter()
    period_start = filters.DateFilter(help_text="半年度起(1月1日或7月1日)")

    class Meta:
        model = DualReport
        fields = ["unit", "member", "period_start"]


class DualReportViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """双报告 sent, and sending a unit's half-year to its contact as the unit's page does: 201 with
    the members' reports sent now, 200 and none when the half-year was sent already."""

    queryset = DualReport.objects.none()
    serializer_class = DualReportSerializer
    filterset_class = DualReportFilter

    def get_queryset(self):
        return selectors.dual_reports(self.request.scope).order_by("-period_start", "-id")

    @extend_schema(
        request=SendSerializer,
        responses={201: DualReportSerializer(many=True), 200: DualReportSerializer(many=True)},
        parameters=[idempotency.PARAMETER],
    )
    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        data = SendSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        sent = services.send_dual_report(actor=request.user, **data.validated_data)
        answer = DualReportSerializer(sent, many=True).data
        return Response(answer, status=status.HTTP_201_CREATED if sent else status.HTTP_200_OK)
