"""/api/v1/visits/ and /api/v1/visit-rules/: 入户走访 through the same service and scope as the
doorstep page (cases.visit_views). Nothing here names a key group the caller may not see: a visit
carries none, and a sensitive group's rule is listed only to those who may see sensitive groups."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from cases import services, visits
from cases.models import Category, Visit, VisitRule
from cases.photos import MAX_BYTES, clean_photo
from cases.serializers import ScopedPrimaryKeyRelatedField
from cases.services.visits import VISIT_CARD_FIELDS
from core import idempotency
from core.drf import IdFilter
from grids import selectors as grid_selectors
from grids.models import AreaKind, Household


class VisitSerializer(serializers.ModelSerializer):
    visitor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = ["id", "household", "visitor", "visitor_role", "on", "findings", "follow_up", "follow_up_note"]
        fields += ["case", "has_photo", "recorded_at"]
        read_only_fields = fields

    def get_has_photo(self, visit: Visit) -> bool:
        return bool(visit.photo)


@extend_schema_field(
    {
        "type": "string",
        "format": "binary",
        "description": f"照片(选填),以 multipart/form-data 上传,JPEG、PNG或WebP,不超过{MAX_BYTES // 2**20}MB;"
        "与页面同样检查并重新编码",
    }
)
class PhotoField(serializers.FileField):
    """One photo, through the same checks as the doorstep page's photo field."""

    def to_internal_value(self, data):
        try:
            return clean_photo(super().to_internal_value(data))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


def _card_field(label):
    return serializers.CharField(required=False, allow_blank=True, max_length=10_000, help_text=label)


class RecordSerializer(serializers.Serializer):
    """What the doorstep form posts. The 四清 card's fields are optional here: one not sent is left
    as it is (the page always sends the card it showed)."""

    household = ScopedPrimaryKeyRelatedField(Household)
    on = serializers.DateField(required=False, help_text="默认今天")
    findings = serializers.CharField(max_length=2000)
    family_situation = _card_field("家庭情况")
    facilities = _card_field("设施情况")
    hazards = _card_field("安全隐患")
    conflicts = _card_field("矛盾纠纷")
    follow_up = serializers.BooleanField(required=False, default=False)
    follow_up_note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    photo = PhotoField(required=False)
    case_category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, help_text="同时上报案件时的类别"
    )
    case_description = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)

    def validate(self, data):
        if data.get("case_category") is not None and not data["case_description"].strip():
            raise serializers.ValidationError({"case_description": [_("请描述问题")]})
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data["card"] = {name: data.pop(name) for name in VISIT_CARD_FIELDS if name in data}
        return data


class VisitFilter(filters.FilterSet):
    household = IdFilter()
    grid = IdFilter(method="filter_grid")
    on = filters.DateFilter()
    since = filters.DateFilter(field_name="on", lookup_expr="gte", help_text="走访日期不早于")
    until = filters.DateFilter(field_name="on", lookup_expr="lte", help_text="走访日期不晚于")

    class Meta:
        model = Visit
        fields = ["household", "grid", "on", "since", "until"]

    def filter_grid(self, qs, name, value):
        scope = self.request.scope
        grid = grid_selectors.areas(scope).filter(pk=value, kind=AreaKind.GRID).first()
        if grid is None:  # outside the scope finds nothing, as an unknown id does
            return qs.none()
        return qs.filter(
            household__building__tree_id=grid.tree_id,
            household__building__lft__gte=grid.lft,
            household__building__lft__lte=grid.rght,
        )


class NewestFirst(CursorPagination):
    """Visits grow without bound: pages by position, never a COUNT or an offset."""

    ordering = ("-on", "-id")
    page_size = 50


class VisitViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Visit.objects.none()  # for the schema; requests go through get_queryset
    serializer_class = VisitSerializer
    pagination_class = NewestFirst
    filterset_class = VisitFilter

    def get_queryset(self):
        return visits.visits(self.request.scope).select_related("visitor")

    def get_object(self) -> Visit:
        return visits.get_visit(self.request.scope, self.kwargs["pk"])

    @extend_schema(request=RecordSerializer, responses={201: VisitSerializer}, parameters=[idempotency.PARAMETER])
    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        data = RecordSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        # The visit keeps the key too, as the page's form does: the same visit sent again past the
        # API's replay window is still this visit (and its case), never a second one.
        key = idempotency.key_of(request)
        # A household in scope whose card is not the caller's to keep: the service's 403, with its reason.
        visit = services.record_visit(actor=request.user, submission_key=key, **data.service_kwargs())
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class VisitRuleSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = VisitRule
        fields = ["id", "area", "group", "every_days", "created_at", "ended_on"]
        read_only_fields = fields


class VisitRuleFilter(filters.FilterSet):
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", help_text="只列执行中的(未停用)")

    class Meta:
        model = VisitRule
        fields = ["current"]


class VisitRuleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """走访计划: the rules of the caller's places and of those above them, as the page lists them."""

    queryset = VisitRule.objects.none()
    serializer_class = VisitRuleSerializer
    filterset_class = VisitRuleFilter

    def get_queryset(self):
        return visits.listed_rules(self.request.scope).order_by(
            "ended_on", "area__tree_id", "area__lft", "group__order", "id"
        )
