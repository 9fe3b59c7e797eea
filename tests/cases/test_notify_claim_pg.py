"""Two copies of a delivery task at the same moment on PostgreSQL: the second claim waits on the
first's row lock while the SMS relay is still answering, then finds the delivery sent."""

import os
import threading

import pytest
from django.db import connection, connections

from cases import services
from cases.models import Category, Delivery
from cases.notifications import delivery
from tests.faults.gateway import Gateway
from tests.faults.places import small_district

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two connections"),
    # Without a broker Celery runs the tracking code's task at once, and nothing is left to race for.
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the delivery must wait in Redis, not be sent eagerly"),
    pytest.mark.django_db(transaction=True),
]


def test_two_tasks_racing_for_one_delivery_send_it_once(settings):
    place = small_district("980166000000")
    case = services.report_case(
        actor=place["community"],
        category=Category.objects.get(code="urban-events-clutter"),
        area=place["building"],
        description="来电反映楼道堆物",
        source="hotline",
        reporter_phone="13812345678",
    )
    pk = delivery.send_tracking_code(case)
    results = {}
    with Gateway(slow_first=True) as relay:
        settings.SMS_BACKEND, settings.SMS_HTTP_URL = "http", relay.url

        def run(name):
            try:
                results[name] = delivery.send_deliveries([pk])
            finally:
                connections.close_all()

        first = threading.Thread(target=run, args=("first",))
        first.start()
        assert relay.holding.wait(10), "the first task never reached the relay"
        second = threading.Thread(target=run, args=("second",))
        second.start()
        second.join(1)
        assert second.is_alive()  # waiting on the first's claim, not sending
        relay.release.set()
        first.join(10)
        second.join(10)
    assert results == {"first": 1, "second": 0}
    assert relay.keys() == [f"delivery-{pk}"]
    assert Delivery.objects.get(pk=pk).sent_at is not None
