"""API over co-building units and the four lists; claiming and completing a need go through the services."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.capabilities import Capability
from core.scope import scope_for
from orgs import cobuilding_selectors as selectors
from orgs import cobuilding_services as services
from orgs.cobuilding import Agreement, CoBuildingUnit, Need, ServiceProject, SharedResource


class UnitSerializer(serializers.ModelSerializer):
    point_total = serializers.IntegerField(read_only=True)
    standing = serializers.SerializerMethodField()

    class Meta:
        model = CoBuildingUnit
        fields = ["id", "name", "kind", "community", "credit_code", "credit_code_valid", "point_total", "standing"]

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


class ClaimSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)


class CompleteSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=300)


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = CoBuildingUnit.objects.none()  # for the schema; requests go through get_queryset
    serializer_class = UnitSerializer

    def get_queryset(self):
        return selectors.units(scope_for(self.request.user)).order_by("community__tree_id", "community__lft", "name")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "rules": selectors.points_rules()}


class NeedViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Need.objects.none()
    serializer_class = NeedSerializer

    def get_queryset(self):
        return Need.objects.filter(scope_for(self.request.user).area_q("community__")).order_by("status", "-raised_on")

    def _manageable_need(self) -> Need:
        need = self.get_object()
        if not scope_for(self.request.user).may(Capability.MANAGE_COMMUNITY):
            raise Http404
        return need

    @extend_schema(request=ClaimSerializer, responses=NeedSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        need = self._manageable_need()
        data = ClaimSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = CoBuildingUnit.objects.filter(pk=data.validated_data["unit"], community=need.community).first()
        if unit is None:
            raise serializers.ValidationError({"unit": [_("该单位不是本社区的共建单位")]})
        return Response(NeedSerializer(services.claim_need(need=need, unit=unit, on=timezone.localdate())).data)

    @extend_schema(request=CompleteSerializer, responses=NeedSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        need = self._manageable_need()
        data = CompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.complete_need(need=need, on=timezone.localdate(), result=data.validated_data["result"])
        return Response(NeedSerializer(done).data)


def _list_viewset(model, fields):
    class Serializer(serializers.ModelSerializer):
        class Meta:
            pass

    Serializer.Meta.model = model
    Serializer.Meta.fields = fields
    Serializer.__name__ = f"{model.__name__}Serializer"

    class ViewSet(viewsets.ReadOnlyModelViewSet):
        queryset = model.objects.none()
        serializer_class = Serializer

        def get_queryset(self):
            return model.objects.filter(scope_for(self.request.user).area_q("community__")).order_by("pk")

    ViewSet.__name__ = f"{model.__name__}ViewSet"
    return ViewSet


AgreementViewSet = _list_viewset(Agreement, ["id", "unit", "community", "signed_on", "valid_until", "content"])
ResourceViewSet = _list_viewset(SharedResource, ["id", "community", "unit", "kind", "name", "pricing", "description"])
ProjectViewSet = _list_viewset(ServiceProject, ["id", "community", "unit", "need", "title", "status", "starts_on"])
