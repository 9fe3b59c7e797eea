"""The API's bodies: each related choice goes through the caller's scope (core.drf), and photos
are checked and re-encoded exactly as on the pages (cases.photos)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import selectors
from cases.models import RESIDENT_SOURCES, Case, CaseEvent, Category, Importance, Rating, Source, Status, Urgency
from cases.photos import MAX_BYTES, MAX_PHOTOS, clean_photos
from core.drf import PlainRows
from core.drf import ScopedPrimaryKeyRelatedField as _ScopedPk
from grids import locate
from grids.models import Area, AreaKind
from orgs.models import Department


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyRelatedField(_ScopedPk):
    """The scoped choice, described to the schema as the integer id it is."""


class CaseSerializer(PlainRows, serializers.ModelSerializer):
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
            "dispatch_due",
            "response_due",
            "resolution_due",
            "due_provisional",
            "is_overdue",
            "extension_days",
            "supervised",
            "rating",
            "rated_via",
            "external_ref",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "maxItems": MAX_PHOTOS,
        "description": f"照片,以 multipart/form-data 上传(同名字段可重复),最多{MAX_PHOTOS}张,JPEG、PNG或WebP,"
        f"每张不超过{MAX_BYTES // 2**20}MB;与页面同样检查并重新编码",
    }
)
class PhotosField(serializers.ListField):
    """Up to six photos as multipart files, through the same checks as the page's photo field."""

    child = serializers.FileField()

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        files = super().to_internal_value(data)
        try:
            return clean_photos(files)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class ReportSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())
    area = ScopedPrimaryKeyRelatedField(Area)
    description = serializers.CharField(max_length=2000)
    source = serializers.ChoiceField(choices=[c for c in Source.choices if c[0] not in RESIDENT_SOURCES])
    importance = serializers.ChoiceField(choices=Importance.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    location_note = serializers.CharField(max_length=120, required=False, default="")
    reporter_phone = serializers.CharField(max_length=20, required=False, default="")
    photos = PhotosField()


class ReferralSerializer(serializers.Serializer):
    """12345转办: the platform's own reference, and the place by a building's code, an area's id, or
    the caller's position (the grid there and its nearest building), tried in that order."""

    external_ref = serializers.CharField(max_length=64, help_text="热线平台的工单号;同一工单号重发返回原案件")
    category = serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.all(), help_text="类别代码")
    description = serializers.CharField(max_length=2000)
    reporter_phone = serializers.CharField(max_length=20, required=False, default="", help_text="来电号码,加密保存")
    building = serializers.CharField(max_length=40, required=False, allow_blank=True, help_text="楼栋编码")
    area = ScopedPrimaryKeyRelatedField(Area, required=False, help_text="社区、网格、小区或楼栋的ID")
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    long = serializers.FloatField(required=False, min_value=-180, max_value=180)
    location_note = serializers.CharField(max_length=120, required=False, default="")
    importance = serializers.ChoiceField(choices=Importance.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    photos = PhotosField()

    def validate(self, data):
        scope = self.context["request"].scope
        code, lat, lng = data.pop("building", ""), data.pop("lat", None), data.pop("long", None)
        if (lat is None) != (lng is None):
            raise serializers.ValidationError({"long" if lng is None else "lat": [_("经度和纬度须同时给出")]})
        if code:
            data["area"] = Area.objects.within(scope).filter(kind=AreaKind.BUILDING, code=code.strip()).first()
            if data["area"] is None:
                raise serializers.ValidationError({"building": [_("楼栋编码不存在或不在您的范围内")]})
        elif "area" not in data:
            if lat is None:
                raise serializers.ValidationError(_("请给出楼栋编码、地点或经纬度"), code="no_place")
            try:
                located = locate.locate(scope, lng=lng, lat=lat)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"lat": exc.messages}) from exc
            data["area"] = located.building or located.grid
        return data


class ResidentRatingSerializer(serializers.Serializer):
    tracking_code = serializers.CharField(max_length=20, help_text="查询码")
    rating = serializers.ChoiceField(choices=Rating.choices)
    reopen = serializers.BooleanField(required=False, default=False, help_text="不满意时要求重新办理(仅限一次)")
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class RatedSerializer(serializers.Serializer):
    """What the resident is told back: no more than the tracking page shows."""

    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    rating = serializers.CharField(help_text="重新办理时为空")


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "action", "actor", "actor_role", "at", "from_status", "to_status", "department", "note", "data"]


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, default="")


def _departments_for_case(queryset, context):
    # A dispatch may only name departments whose jurisdiction covers the case's place: an
    # assisting department of another district would let its officers read the case.
    return queryset.filter(pk__in=selectors.departments_for(context["request"].scope, context["case"]).values("pk"))


class DispatchSerializer(NoteSerializer):
    department = ScopedPrimaryKeyRelatedField(Department, narrow=_departments_for_case)
    assisting = ScopedPrimaryKeyRelatedField(Department, narrow=_departments_for_case, many=True, required=False)


class CorrectSerializer(NoteSerializer):
    importance = serializers.ChoiceField(choices=Importance.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    note = serializers.CharField(max_length=1000)


class ExtensionSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    reason = serializers.CharField(max_length=300)


class DecisionSerializer(NoteSerializer):
    approve = serializers.BooleanField()

    class Meta:
        ref_name = "ExtensionDecision"  # not the grid meetings' Decision


class ResolveSerializer(serializers.Serializer):
    feedback = serializers.CharField(max_length=2000)
    photos = PhotosField()


class VerifySerializer(NoteSerializer):
    passed = serializers.BooleanField()
    photos = PhotosField()


class CallbackSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    reopen = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


class MergeSerializer(serializers.Serializer):
    into = ScopedPrimaryKeyRelatedField(Case)
