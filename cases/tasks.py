import logging

from celery import shared_task
from django.utils import timezone

from cases import services
from cases.models import Notification

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def sweep_deadlines() -> dict[str, int]:
    """Run by beat every few minutes; running it twice records and sends nothing twice."""
    return services.sweep_deadlines()


@shared_task(acks_late=True)
def deliver_notifications(ids: list[int]) -> int:
    """Hands notifications to the message channel once each: only rows not yet sent are claimed.

    The channel here is the in-app inbox and the log; an SMS or WeChat gateway plugs in at this
    point with the same once-only claim."""
    sent = 0
    for notification in Notification.objects.filter(pk__in=ids, sent_at__isnull=True).select_related("user"):
        if Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(sent_at=timezone.now()):
            log.info("notify %s: %s", notification.user.username, notification.text)
            sent += 1
    return sent
