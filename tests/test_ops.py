"""What IT watches: /health/ for the load balancer (the database only), /health/full/ for
monitoring (Redis and beat too), /metrics/ for Prometheus (not public), task metrics, and log
lines that carry the request id."""

import io
import json
import logging

import prometheus_client
import pytest
from django.conf import settings
from django.urls import reverse

from gridgov.tasks import beat_heartbeat

CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ops"}}


def _health(client, name="health_full"):
    response = client.get(reverse(name), HTTP_ACCEPT="application/json")
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_health_is_200_when_the_database_answers(client):
    beat_heartbeat.apply()  # on the PostgreSQL + Redis run the heartbeat is checked too
    status, checks = _health(client)
    assert status == 200 and checks["Database(alias='default')"] == "OK"
    assert ("Cache(alias='default')" in checks) == bool(settings.REDIS_URL)
    status, checks = _health(client, "health")
    assert status == 200 and list(checks) == ["Database(alias='default')"]


@pytest.mark.django_db
def test_with_redis_down_the_full_check_is_503_naming_it_and_the_load_balancers_probe_stays_200(client, settings):
    settings.REDIS_URL = CLOSED_REDIS
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    status, checks = _health(client)
    assert status == 503
    assert checks["Database(alias='default')"] == "OK"
    assert checks["Cache(alias='default')"] != "OK"
    assert _health(client, "health")[0] == 200  # every machine alike: none is taken out for it


@pytest.mark.django_db
def test_health_is_503_until_beat_stamps_its_heartbeat_and_again_when_it_is_stale(client, settings):
    settings.REDIS_URL = "redis://the broker beat would use"
    settings.CACHES = LOCAL_CACHE
    status, checks = _health(client)
    assert status == 503 and "no beat heartbeat" in checks["BeatHeartbeat()"]
    beat_heartbeat.apply()
    status, checks = _health(client)
    assert status == 200 and checks["BeatHeartbeat()"] == "OK"
    settings.BEAT_HEARTBEAT_MAX_MINUTES = 0
    status, checks = _health(client)
    assert status == 503 and "minutes old" in checks["BeatHeartbeat()"]
    assert _health(client, "health")[0] == 200


@pytest.mark.django_db
def test_metrics_answer_a_local_scraper_per_view(client):
    client.get(reverse("login"))
    response = client.get(reverse("metrics"))
    assert response.status_code == 200
    assert 'django_http_requests_total_by_view_transport_method_total{method="GET",transport="http",view="login"}' in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_metrics_are_a_404_from_outside_and_through_the_proxy_without_the_token(client, settings):
    settings.METRICS_TOKEN = "scrape-token-0123456789"
    outside = client.get(reverse("metrics"), REMOTE_ADDR="203.0.113.7")
    proxied = client.get(reverse("metrics"), HTTP_X_FORWARDED_FOR="203.0.113.7")
    wrong = client.get(reverse("metrics"), REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer guessed")
    assert (outside.status_code, proxied.status_code, wrong.status_code) == (404, 404, 404)
    token = client.get(
        reverse("metrics"), REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789"
    )
    assert token.status_code == 200


def test_a_task_run_is_counted_and_timed_per_task(settings):
    settings.CACHES = LOCAL_CACHE
    sample = prometheus_client.REGISTRY.get_sample_value
    labels = {"task": "gridgov.tasks.beat_heartbeat", "state": "SUCCESS"}
    before = sample("gridgov_celery_tasks_total", labels) or 0
    timed = sample("gridgov_celery_task_seconds_count", {"task": labels["task"]}) or 0
    beat_heartbeat.apply()
    assert sample("gridgov_celery_tasks_total", labels) == before + 1
    assert sample("gridgov_celery_task_seconds_count", {"task": labels["task"]}) == timed + 1


@pytest.mark.django_db
def test_a_log_line_carries_the_request_id_of_its_response(client):
    """Through the console handler as LOGGING configures it (its filters and format)."""
    handler = logging.getLogger().handlers
    console = next(h for h in handler if any(type(f).__name__ == "RequestIdFilter" for f in h.filters))
    out = io.StringIO()
    stream = console.setStream(out)
    try:
        response = client.get("/no-such-page/")
    finally:
        console.setStream(stream)
    assert response.status_code == 404
    line = next(line for line in out.getvalue().splitlines() if "Not Found" in line)
    assert f"rid={response['X-Request-ID']}" in line
