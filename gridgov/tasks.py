"""The top floor's tasks: beat's heartbeat, dropping expired Idempotency-Keys, and the Prometheus
metrics of every task a worker runs (per task: how many finished in which state, and how long they ran)."""

import time

import prometheus_client
from celery import shared_task
from celery.signals import task_postrun, task_prerun
from django.core.cache import cache

from core import idempotency

HEARTBEAT_KEY = "gridgov:beat-heartbeat"


@shared_task(max_retries=0)
def beat_heartbeat() -> None:
    """Run by beat every minute: its stamp in Redis says beat, the broker and a worker all work."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


@shared_task(max_retries=0)
def drop_expired_idempotency_keys() -> int:
    """Hourly: the answers kept for replay, once their keys have expired (safe to run twice)."""
    return idempotency.drop_expired()


TASKS = prometheus_client.Counter(
    "gridgov_celery_tasks_total", "Celery tasks finished, by task and state", ["task", "state"]
)
TASK_SECONDS = prometheus_client.Histogram("gridgov_celery_task_seconds", "Celery task run time", ["task"])
_started: dict[str, float] = {}  # by task id, while it runs in this worker process


@task_prerun.connect
def _task_started(task_id=None, **kwargs):
    _started[task_id] = time.perf_counter()


@task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, **kwargs):
    started = _started.pop(task_id, None)
    if started is not None:
        TASK_SECONDS.labels(task.name).observe(time.perf_counter() - started)
    TASKS.labels(task.name, state or "UNKNOWN").inc()
