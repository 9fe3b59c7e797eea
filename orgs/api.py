"""Read-only API over party organisations, members and posts, through the pages' selectors."""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from core.drf import MAX_ID, PlainRows
from orgs import selectors
from orgs.models import MemberKind, MemberStatus, Organization, PartyMember, Post


class AdvisorySerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    clause = serializers.CharField()


class OrganizationSerializer(serializers.ModelSerializer):
    full_count = serializers.IntegerField(read_only=True)
    probationary_count = serializers.IntegerField(read_only=True)
    subtree_count = serializers.IntegerField(read_only=True)
    term_expired = serializers.SerializerMethodField()
    advisories = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "kind",
            "name",
            "parent",
            "area",
            "term_start",
            "term_end",
            "term_expired",
            "full_count",
            "probationary_count",
            "subtree_count",
            "advisories",
        ]

    def get_term_expired(self, obj: Organization) -> bool:
        return obj.term_expired()

    @extend_schema_field(AdvisorySerializer(many=True))
    def get_advisories(self, obj: Organization) -> list[dict]:
        return AdvisorySerializer(selectors.advisories_for(obj), many=True).data


class PartyMemberSerializer(PlainRows, serializers.ModelSerializer):
    point_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = PartyMember
        fields = ["id", "name", "organization", "status", "kind", "joined", "work_unit", "reported_on", "point_total"]


class PostSerializer(PlainRows, serializers.ModelSerializer):
    class Meta:
        model = Post
        fields = ["id", "holder_name", "role", "area", "department", "organization", "slot", "start", "end"]


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Organization.objects.none()  # for the schema; requests go through get_queryset
    serializer_class = OrganizationSerializer

    def get_queryset(self):
        scope = self.request.scope
        return selectors.with_member_counts(selectors.organizations(scope)).order_by("tree_id", "lft")


class MemberFilters(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MemberKind.choices, required=False)
    status = serializers.ChoiceField(choices=MemberStatus.choices, required=False)
    organization = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)


@extend_schema_view(list=extend_schema(parameters=[MemberFilters]))
class PartyMemberViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = PartyMember.objects.none()
    serializer_class = PartyMemberSerializer

    def get_queryset(self):
        scope = self.request.scope
        if self.action != "list":
            return selectors.get_member_list(scope)
        filters = MemberFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.get_member_list(scope, **filters.validated_data)


class PostViewSet(viewsets.ReadOnlyModelViewSet):
    """Active posts at the areas and organisations in scope."""

    queryset = Post.objects.none()
    serializer_class = PostSerializer

    def get_queryset(self):
        return selectors.posts(self.request.scope)
