"""API over co-building units and the four lists: reads through the selectors with the caller's
scope; claiming and completing a need go through the services."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cobuilding import selectors, services
from cobuilding.models import Agreement, CoBuildingUnit, Need, ServiceProject, SharedResource
from core.drf import ScopedPrimaryKeyRelatedField


class UnitSerializer(serializers.ModelSerializer):
    point_total = serializers.IntegerField(read_only=True)
    standing = serializers.SerializerMethodField()

    class Meta:
        model = CoBuildingUnit
        fields = ["id", "name", "kind", "community", "credit_code", "credit_code_valid", "point_total", "standing"]
        read_only_fields = fields

    def get_standing(self, obj: CoBuildingUnit) -> list[str]:
        return [rule.code for rule in selectors.standing(obj.point_total, self.context["rules"])]


class NeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Need
        fields = [
            "id",
            "community",
            "title",
            "description",
            "raised_on",
            "status",
            "claimed_by",
            "claimed_on",
            "done_on",
            "result",
        ]
        read_only_fields = fields


class ClaimSerializer(serializers.Serializer):
    # A unit of the need's own community, in the caller's scope; any other id reads as unknown.
    unit = ScopedPrimaryKeyRelatedField(
        CoBuildingUnit,
        queryset=CoBuildingUnit.objects.none(),  # only to tell the schema what kind of id this is
        narrow=lambda units, context: units.filter(community=context["need"].community_id),
        error_messages={"does_not_exist": _("该单位不是本社区的共建单位")},
    )


class CompleteSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=300)


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = CoBuildingUnit.objects.none()  # for the schema; requests go through get_queryset
    serializer_class = UnitSerializer

    def get_queryset(self):
        return selectors.units(self.request.scope).order_by("community__tree_id", "community__lft", "name")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "rules": selectors.points_rules()}


class NeedViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Need.objects.none()
    serializer_class = NeedSerializer

    def get_queryset(self):
        return selectors.needs(self.request.scope).order_by("status", "-raised_on")

    def _act(self, serializer_class, act) -> Response:
        # A need the caller may not manage is a 404 before the body is looked at, as on the page.
        need = selectors.get_need_to_manage(self.request.scope, self.kwargs["pk"])
        data = serializer_class(data=self.request.data, context={**self.get_serializer_context(), "need": need})
        data.is_valid(raise_exception=True)
        try:
            return Response(NeedSerializer(act(need, data.validated_data)).data)
        except PermissionDenied as exc:
            raise Http404 from exc

    @extend_schema(request=ClaimSerializer, responses=NeedSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        return self._act(
            ClaimSerializer,
            lambda need, data: services.claim_need(
                actor=request.user, need=need, unit=data["unit"], on=timezone.localdate()
            ),
        )

    @extend_schema(request=CompleteSerializer, responses=NeedSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(
            CompleteSerializer,
            lambda need, data: services.complete_need(
                actor=request.user, need=need, on=timezone.localdate(), result=data["result"]
            ),
        )


def _list_viewset(model, fields, select):
    class Serializer(serializers.ModelSerializer):
        class Meta:
            pass

    Serializer.Meta.model = model
    Serializer.Meta.fields = fields
    Serializer.Meta.read_only_fields = fields
    Serializer.__name__ = f"{model.__name__}Serializer"

    class ViewSet(viewsets.ReadOnlyModelViewSet):
        queryset = model.objects.none()
        serializer_class = Serializer

        def get_queryset(self):
            return select(self.request.scope).order_by("pk")

    ViewSet.__name__ = f"{model.__name__}ViewSet"
    return ViewSet


AgreementViewSet = _list_viewset(
    Agreement, ["id", "unit", "community", "signed_on", "valid_until", "content"], selectors.agreements
)
ResourceViewSet = _list_viewset(
    SharedResource, ["id", "community", "unit", "kind", "name", "pricing", "description"], selectors.resources
)
ProjectViewSet = _list_viewset(
    ServiceProject, ["id", "community", "unit", "need", "title", "status", "starts_on"], selectors.projects
)
