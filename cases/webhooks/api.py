"""/api/v1/webhook-subscriptions/: a system's keepers list their subscriptions and make one from a
script, through the same selectors and service as the pages. The secret is in the answer to the
POST that made it, and never again."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from cases.models import WebhookKind, WebhookSubscription
from cases.webhooks import selectors, services
from core import idempotency
from core.drf import ScopedPrimaryKeyRelatedField
from grids.models import Area
from orgs.models import Department


class SubscriptionSerializer(serializers.ModelSerializer):
    district = ScopedPrimaryKeyRelatedField(Area, required=False, allow_null=True, help_text="区县,与部门二选一")
    department = ScopedPrimaryKeyRelatedField(
        Department, required=False, allow_null=True, help_text="部门,与区县二选一"
    )
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=WebhookKind.choices), min_length=1)

    class Meta:
        model = WebhookSubscription
        fields = [
            *["id", "name", "district", "department", "url", "kinds"],
            *["active", "paused_at", "failures", "created_at"],
        ]
        read_only_fields = ["active", "paused_at", "failures", "created_at"]


class NewSubscriptionSerializer(SubscriptionSerializer):
    secret = serializers.CharField(read_only=True, help_text="签名密钥,只在此返回一次")

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]


class WebhookSubscriptionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The subscriptions the caller keeps (a district's command-centre staff, a department's officers)."""

    queryset = WebhookSubscription.objects.none()
    serializer_class = SubscriptionSerializer

    def get_queryset(self):
        return selectors.subscriptions(self.request.scope).order_by("pk")

    def get_object(self) -> WebhookSubscription:
        return selectors.get_subscription(self.request.scope, self.kwargs["pk"])

    @extend_schema(
        request=SubscriptionSerializer,
        responses={201: NewSubscriptionSerializer},
        parameters=[idempotency.PARAMETER],
    )
    @idempotency.idempotent
    def create(self, request, *args, **kwargs):
        data = SubscriptionSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        subscription, _secret = services.create_subscription(actor=request.user, **data.validated_data)
        return Response(
            NewSubscriptionSerializer(subscription, context={"request": request}).data, status=status.HTTP_201_CREATED
        )
