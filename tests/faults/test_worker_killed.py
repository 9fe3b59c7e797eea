"""A Celery worker killed (SIGKILL) in the middle of a task: the task comes back to another
worker and its effect happens once (issue 11, faults and load). A real worker process on the
test's Redis and PostgreSQL, a real HTTP gateway that holds the first delivery until the kill."""

import os
import signal
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings
from django.db import connection

from cases import services
from cases.models import Category, Delivery
from cases.tasks import deliver_notifications
from tests.faults.gateway import Gateway
from tests.faults.places import small_district

QUEUE = "faults-worker-killed"
VISIBILITY_TIMEOUT = 2

pytestmark = [
    pytest.mark.serial,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a worker process needs a shared database"),
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL"),
    pytest.mark.django_db(transaction=True),
]


def _worker(gateway: Gateway, log) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "SMS_BACKEND": "http",
        "SMS_HTTP_URL": gateway.url,
    }
    command = [sys.executable, "-m", "celery", "-A", "gridgov", "worker", "-Q", QUEUE, "-c", "1"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"]
    # Its own process group: the kill takes the pool's child with the main process, as a lost
    # machine or the OOM killer would.
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


# Bounded: every wait below has a deadline, together under a minute.
def test_a_task_whose_worker_is_killed_runs_again_elsewhere_and_sends_once(tmp_path):
    place = small_district("980155000000")
    case = services.report_case(
        actor=place["grid_worker"],
        category=Category.objects.get(code="urban-events-clutter"),
        area=place["building"],
        description="楼道堆物",
    )
    notification = Delivery.objects.create(
        event=case.events.get(),
        channel="sms",
        recipient="reporter",
        kind="tracking_code",
        phone="+8613812345678",
        text="查询码",
    )
    broker = redis.Redis.from_url(settings.REDIS_URL)

    with Gateway(hold_first=True) as gateway, open(tmp_path / "workers.log", "w") as log:
        first = _worker(gateway, log)
        try:
            deliver_notifications.apply_async([[notification.pk]], queue=QUEUE)
            assert gateway.holding.wait(25), "the first worker never reached the gateway"
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(10)
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
        notification.refresh_from_db()
        assert notification.sent_at is None  # the claim died with the worker's transaction
        gateway.release.set()

        # Unacknowledged, the message waits in Redis until its visibility timeout has passed;
        # a worker that starts after that puts it back on the queue and runs it.
        time.sleep(VISIBILITY_TIMEOUT + 1)
        second = _worker(gateway, log)
        try:
            delivered = _wait(lambda: Delivery.objects.filter(pk=notification.pk, sent_at__isnull=False).exists(), 40)
            acknowledged = _wait(lambda: broker.hlen("unacked") == 0 and broker.llen(QUEUE) == 0, 3)
        finally:
            os.killpg(second.pid, signal.SIGKILL)  # its work is checked; nothing is left to finish
            second.wait(3)
    assert delivered and acknowledged, (tmp_path / "workers.log").read_text()
    assert gateway.keys() == [f"delivery-{notification.pk}"]
