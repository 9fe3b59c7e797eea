"""Reads of subscriptions and their deliveries, through the caller's scope: who keeps an owner's
subscriptions sees them, everybody else finds none (a 404)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cases.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from core.scope import Scope

RECENT_DELIVERIES = 30
SHOWN_ATTEMPTS = 20


def subscriptions(scope: Scope) -> QuerySet:
    return WebhookSubscription.objects.within(scope).select_related("district", "department")


def get_subscription(scope: Scope, pk: int) -> WebhookSubscription:
    return get_object_or_404(subscriptions(scope), pk=pk)


def deliveries(scope: Scope) -> QuerySet:
    return WebhookDelivery.objects.within(scope).select_related("subscription", "event__case")


def recent_deliveries(subscription: WebhookSubscription) -> list[WebhookDelivery]:
    """The subscription's latest deliveries (a page's worth), with the case each is about."""
    rows = subscription.deliveries.select_related("event__case").order_by("-created_at", "-id")
    return list(rows[:RECENT_DELIVERIES])


def get_delivery(scope: Scope, pk: int) -> WebhookDelivery:
    return get_object_or_404(deliveries(scope), pk=pk)


def attempts(delivery: WebhookDelivery) -> list[WebhookAttempt]:
    return list(delivery.tries.order_by("-at", "-id")[:SHOWN_ATTEMPTS])
