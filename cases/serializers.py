"""The API's bodies: each related choice goes through the caller's scope (core.drf), and photos
are checked and re-encoded exactly as on the pages (cases.photos)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import selectors
from cases.models import RESIDENT_SOURCES, Case, CaseEvent, Category, Importance, Rating, Source, Urgency
from cases.photos import clean_photos
from core.drf import ScopedPrimaryKeyRelatedField as _ScopedPk
from grids.models import Area
from orgs.models import Department


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyRelatedField(_ScopedPk):
    """The scoped choice, described to the schema as the integer id it is."""


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
            "dispatch_due",
            "response_due",
            "resolution_due",
            "due_provisional",
            "is_overdue",
            "extension_days",
            "supervised",
            "rating",
            "rated_via",
            "created_at",
        ]
        read_only_fields = fields


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
