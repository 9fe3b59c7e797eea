"""The gateway channel: a notification counts as sent only when the gateway accepted it, and
beat's pass sends what the queue lost."""

import datetime

import pytest
from django.utils import timezone

from cases import sweep
from cases.models import Notification
from tests.cases.conftest import at
from tests.faults.gateway import Gateway, closed_port


@pytest.fixture
def owed(world, dispatched, django_capture_on_commit_callbacks):
    """A reminder's notification, recorded and never queued (as if the broker had been down)."""
    case = dispatched(at=at(2026, 11, 23, 9))
    with django_capture_on_commit_callbacks(execute=False):
        sweep.sweep_deadlines(now=case.response_remind_at + datetime.timedelta(minutes=1))
    return Notification.objects.filter(case=case)


def test_a_notification_the_gateway_refuses_stays_unsent(owed, settings):
    settings.NOTIFICATION_GATEWAY_URL = f"http://127.0.0.1:{closed_port()}/notify"
    with pytest.raises(ConnectionError):
        sweep.send_notifications(list(owed.values_list("pk", flat=True)))
    assert not owed.filter(sent_at__isnull=False).exists()


def test_beats_pass_sends_what_is_a_minute_old_and_unsent_once(owed, settings):
    with Gateway() as gateway:
        settings.NOTIFICATION_GATEWAY_URL = gateway.url
        assert sweep.send_pending() == 0  # just recorded: its own task may still be on the way
        later = timezone.now() + sweep.PENDING_AFTER + datetime.timedelta(seconds=1)
        assert sweep.send_pending(now=later) == owed.count() == 1
        assert sweep.send_pending(now=later) == 0
    assert gateway.keys() == [f"notification-{owed.get().pk}"]
