import pytest
from django.conf import settings

from gridgov.celery import app


def test_celery_runs_tasks_in_process_without_a_broker():
    if settings.REDIS_URL:
        pytest.skip("REDIS_URL is set: tasks go to the broker")
    assert app.conf.task_always_eager is True
    assert app.conf.broker_url == "memory://"


def test_celery_reaches_redis_when_configured():
    if not settings.REDIS_URL:
        pytest.skip("no REDIS_URL")
    assert app.conf.task_always_eager is False
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
        assert connection.connected
