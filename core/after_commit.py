"""Queue a Celery task once the transaction commits, without letting a broker outage undo the work.

Celery's `delay_on_commit` and Django's `on_commit(..., robust=True)` come close: the first lets
a broker error escape into the request that has already committed (a 500 for a case that exists),
the second swallows every error, a bug in the call included. This catches only the broker being
unreachable, logs it, and leaves the work to the beat task that picks up what is still pending,
so the rows a task reads must say themselves whether it has run (a delivery's `sent_at`)."""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(partial(_enqueue, task, args))


def _enqueue(task, args: tuple) -> None:
    try:
        task.delay(*args)
    except OperationalError as exc:
        log.warning("broker unreachable, %s left pending for its beat task: %s", task.name, exc)
