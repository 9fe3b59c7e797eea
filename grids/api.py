"""Read-only API over places and people, through the same selectors and scope as the pages."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request

from core.drf import MAX_ID, PlainRows
from core.identity import looks_like_id_or_phone
from core.masking import mask_citizen_id, mask_phone
from grids import selectors
from grids.models import Area, Household, Resident, Sex


class AreaSerializer(PlainRows, serializers.ModelSerializer):
    household_count = serializers.IntegerField(read_only=True)
    resident_count = serializers.IntegerField(read_only=True)
    key_group_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Area
        fields = [
            "id",
            "kind",
            "name",
            "code",
            "parent",
            "level",
            "declared_households",
            "address",
            "household_count",
            "resident_count",
            "key_group_count",
        ]


class HouseholdSerializer(PlainRows, serializers.ModelSerializer):
    class Meta:
        model = Household
        fields = [
            "id",
            "building",
            "unit",
            "floor",
            "room",
            "occupancy",
            "family_situation",
            "facilities",
            "hazards",
            "conflicts",
            "last_visited",
        ]


class ResidentSerializer(serializers.ModelSerializer):
    """Masked always: the full ID is only ever shown on the logged reveal page."""

    citizen_id = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    # Read from the ID number, not a column: the schema keeps the enum the column had.
    sex = serializers.ChoiceField(choices=Sex.choices, read_only=True)
    age = serializers.SerializerMethodField()
    key_groups = serializers.SerializerMethodField()

    class Meta:
        model = Resident
        fields = [
            "id",
            "household",
            "name",
            "sex",
            "age",
            "citizen_id",
            "phone",
            "residence_status",
            "relation",
            "key_groups",
        ]

    def get_citizen_id(self, obj: Resident) -> str:
        return mask_citizen_id(obj.citizen_id)

    def get_phone(self, obj: Resident) -> str:
        return mask_phone(obj.phone)

    def get_age(self, obj: Resident) -> int:
        return obj.age()

    def get_key_groups(self, obj: Resident) -> list[str]:
        return [tag.group.code for tag in obj.visible_tags]


def _int_param(request: Request, name: str, *, required: bool) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        if required:
            raise serializers.ValidationError({name: [_("缺少此参数")]})
        return None
    try:
        return serializers.IntegerField(min_value=1, max_value=MAX_ID).run_validation(raw)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from None


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("parent", int, description="子区域;缺省为本人辖区的顶层区域")])
)
class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Area.objects.none()  # for the schema; requests go through get_queryset
    serializer_class = AreaSerializer

    def get_queryset(self):
        scope = self.request.scope
        if self.action == "list":
            parent = _int_param(self.request, "parent", required=False)
            if parent:
                return selectors.children(scope, selectors.get_area(scope, parent))
            return selectors.tree_roots(scope)
        return selectors.with_counts(selectors.areas(scope))


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("area", int, required=True)]))
class HouseholdViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Household.objects.none()
    serializer_class = HouseholdSerializer

    def get_queryset(self):
        scope = self.request.scope
        if self.action == "list":
            area = selectors.get_area(scope, _int_param(self.request, "area", required=True))
            return selectors.households_under(scope, area)
        return selectors.households(scope)


class ResidentSearchSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=50, help_text="姓名(部分)、身份证号或手机号(完整)")


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("q", str, required=True, description="姓名;身份证号、手机号请用 POST search/")]
    )
)
class ResidentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Resident.objects.none()
    serializer_class = ResidentSerializer

    def get_queryset(self):
        scope = self.request.scope
        if self.action == "list":
            query = self.request.query_params.get("q", "")
            # A URL lands in access logs and proxies: numbers go in the body of POST search/.
            if looks_like_id_or_phone(query):
                raise serializers.ValidationError({"q": [_("身份证号、手机号请用 POST search/ 在请求体中提交")]})
            return selectors.search_residents(scope, query)
        return selectors.with_visible_tags(selectors.residents(scope))

    @extend_schema(request=ResidentSearchSerializer, responses=ResidentSerializer(many=True))
    @action(detail=False, methods=["post"])
    def search(self, request):
        query = ResidentSearchSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        found = self.paginate_queryset(selectors.search_residents(request.scope, query.validated_data["q"]))
        return self.get_paginated_response(self.get_serializer(found, many=True).data)
