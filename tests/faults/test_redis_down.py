"""Redis down: a report still succeeds, the notifications it leads to wait as rows, and they go
out once when the broker is back (issue 11, faults and load)."""

import datetime
import logging
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases import sweep
from cases.models import Case, Category, Delivery, NotificationSettings
from cases.notifications import delivery
from cases.tasks import deliver_pending_notifications
from gridgov.celery import app
from tests.faults.gateway import Gateway, closed_port
from tests.faults.places import small_district

pytestmark = [
    pytest.mark.serial,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL: Celery is eager without a broker"),
    pytest.mark.django_db(transaction=True),
]


def _use_broker(url: str) -> None:
    app.conf.broker_url = url
    # Celery keeps its connection and producer pools per app; dropped, they are made again from
    # the URL on the next send (what Celery itself does after a fork).
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_down(settings):
    """Broker and cache both at a loopback port nothing listens on, for this test's requests."""
    gone = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": gone}}
    _use_broker(gone)
    yield lambda: _use_broker(settings.REDIS_URL)
    _use_broker(settings.REDIS_URL)


def test_a_case_reported_while_redis_is_down_gets_its_notifications_once_it_is_back(
    client, redis_down, settings, caplog
):
    place = small_district("980177000000")
    # The community is told of what is overdue at its door by SMS, through the HTTP provider.
    NotificationSettings.objects.create(user=place["community"], phone="+8613812345678")
    category = Category.objects.get(code="urban-events-clutter")
    body = {"category": category.pk, "area": place["building"].pk, "description": "楼道堆物", "source": "grid_patrol"}

    assert client.post(reverse("login"), {"username": "f980177000000_grid", "password": "pw"}).status_code == 302
    page = client.post(reverse("cases:new"), {**body, "submission_key": str(uuid.uuid4())})
    api = client.post("/api/v1/cases/", body, content_type="application/json")
    assert page.status_code == 302 and api.status_code == 201
    assert Case.objects.filter(reporter=place["grid_worker"]).count() == 2

    # The sweep finds both overdue (a month on) while the broker is still down: its records and
    # notifications commit, their delivery task cannot be queued, and that is logged, not raised.
    with caplog.at_level(logging.WARNING, logger="core.after_commit"):
        counts = sweep.sweep_deadlines(now=timezone.now() + datetime.timedelta(days=30))
    assert counts["overdue"] == 2
    assert "broker unreachable" in caplog.text
    owed = Delivery.objects.filter(event__case__reporter=place["grid_worker"])
    assert owed.count() == 2 and not owed.filter(sent_at__isnull=False).exists()

    redis_back = redis_down
    redis_back()
    # A minute later (backdated rather than waited for) beat's pass finds them still unsent.
    owed.update(next_try_at=timezone.now() - datetime.timedelta(seconds=1))
    with Gateway() as gateway:
        settings.SMS_BACKEND, settings.SMS_HTTP_URL = "http", gateway.url
        with start_worker(app, perform_ping_check=False, shutdown_timeout=10):
            deliver_pending_notifications.delay()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and owed.filter(sent_at__isnull=True).exists():
                time.sleep(0.2)
        assert delivery.send_owed() == 0  # a second pass sends nothing again
    assert not owed.filter(sent_at__isnull=True).exists()
    assert gateway.keys() == sorted(f"delivery-{pk}" for pk in owed.values_list("pk", flat=True))
