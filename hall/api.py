"""API over the service hall: the catalogue (read), and requests read through the caller's scope
and written through the same services as the pages, step by step."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core import idempotency
from core.drf import PlainRows, ScopedPrimaryKeyRelatedField
from grids.models import Area, AreaKind, Household
from hall import selectors, services
from hall.models import ServiceItem, ServiceRequest, Source, Window


class ServiceItemSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = ServiceItem
        fields = ["id", "code", "category", "name", "documents", "limit_days", "window"]
        read_only_fields = fields


class ServiceRequestSerializer(PlainRows, serializers.ModelSerializer):
    class Meta:
        model = ServiceRequest
        # Not the applicant's phone: the window calls back from its own record.
        fields = [
            "id", "item", "community", "building", "household", "window", "source", "applicant_name", "note",
            "received_at", "due_at", "due_provisional", "handler", "status", "result", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields


class RequestReceiveSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=ServiceItem.objects.filter(active=True))
    community = ScopedPrimaryKeyRelatedField(
        Area, queryset=Area.objects.none(), narrow=lambda areas, context: areas.filter(kind=AreaKind.COMMUNITY)
    )
    building = ScopedPrimaryKeyRelatedField(
        Area,
        queryset=Area.objects.none(),
        narrow=lambda areas, context: areas.filter(kind=AreaKind.BUILDING),
        required=False,
        allow_null=True,
    )
    household = ScopedPrimaryKeyRelatedField(
        Household, queryset=Household.objects.none(), required=False, allow_null=True
    )
    applicant_name = serializers.CharField(max_length=40)
    applicant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class RequestAssignSerializer(serializers.Serializer):
    # Any user id: the service accepts only the station's own staff, and says so on the field.
    handler = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.filter(is_active=True))
    window = ScopedPrimaryKeyRelatedField(Window, queryset=Window.objects.none(), required=False, allow_null=True)


class RequestCompleteSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class RequestRefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ServiceItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue: the same for every station."""

    serializer_class = ServiceItemSerializer

    def get_queryset(self):
        return selectors.items()


class ServiceRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = ServiceRequest.objects.none()  # for the schema; requests go through get_queryset
    serializer_class = ServiceRequestSerializer

    def get_queryset(self):
        return selectors.requests(self.request.scope).order_by("-received_at", "-id")

    def get_object(self) -> ServiceRequest:
        return selectors.get_request(self.request.scope, self.kwargs["pk"])

    def _answer(self, made: ServiceRequest, code=status.HTTP_200_OK) -> Response:
        return Response(ServiceRequestSerializer(selectors.get_request(self.request.scope, made.pk)).data, status=code)

    @extend_schema(
        request=RequestReceiveSerializer, responses={201: ServiceRequestSerializer}, parameters=[idempotency.PARAMETER]
    )
    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        data = RequestReceiveSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            made = services.receive_request(actor=request.user, source=Source.API, **data.validated_data)
        except PermissionDenied as exc:
            raise Http404 from exc
        return self._answer(made, status.HTTP_201_CREATED)

    def _step(self, serializer_class, perform):
        found = self.get_object()
        data = serializer_class(data=self.request.data, context={"request": self.request})
        data.is_valid(raise_exception=True)
        try:
            made = perform(found, data.validated_data)
        except PermissionDenied as exc:
            raise Http404 from exc
        return self._answer(made)

    @extend_schema(request=RequestAssignSerializer, responses={200: ServiceRequestSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        return self._step(
            RequestAssignSerializer, lambda r, d: services.assign_request(actor=request.user, request=r, **d)
        )

    @extend_schema(request=RequestCompleteSerializer, responses={200: ServiceRequestSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._step(
            RequestCompleteSerializer, lambda r, d: services.complete_request(actor=request.user, request=r, **d)
        )

    @extend_schema(request=RequestRefuseSerializer, responses={200: ServiceRequestSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._step(
            RequestRefuseSerializer, lambda r, d: services.refuse_request(actor=request.user, request=r, **d)
        )
