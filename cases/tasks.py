import logging

from celery import shared_task

from cases import sweep
from cases.notifications import delivery
from cases.webhooks import outbox
from core.leases import lease

log = logging.getLogger(__name__)

# Longer than a sweep of a city's open cases takes (seconds, docs/benchmarks.md); a beat that
# died holding it frees it by the run after next.
SWEEP_LEASE_SECONDS = 600


# No retries: the sweep runs again in five minutes by beat, and a case it failed on is still pending.
@shared_task(acks_late=True, max_retries=0)
def sweep_deadlines() -> dict[str, int] | None:
    """Run by beat every few minutes, by as many beats as there are machines: one sweep at a time
    runs, the others skip. A second sweep would record and send nothing twice, but would read
    every open case again for nothing."""
    with lease("sweep-case-deadlines", seconds=SWEEP_LEASE_SECONDS) as mine:
        if not mine:
            log.info("deadline sweep skipped: another sweep holds the lease")
            return None
        return sweep.sweep_deadlines()


# No Celery retries: a delivery whose channel fails stays owed with its own growing wait, and
# beat's pass below tries it again (each delivery is claimed before it is sent, so any rerun is safe).
@shared_task(acks_late=True, max_retries=0)
def deliver_notifications(ids: list[int]) -> int:
    return delivery.send_deliveries(ids)


# Beat, every minute: owed deliveries whose time has come, and what the queue lost (the broker
# down at commit, a worker killed).
@shared_task(acks_late=True, max_retries=0)
def deliver_pending_notifications() -> int:
    return delivery.send_owed()


# No Celery retries either: a failed webhook delivery stays owed with its own growing wait, and
# beat's pass below posts it again; the claim makes any rerun safe.
@shared_task(acks_late=True, max_retries=0)
def deliver_webhooks(ids: list[int]) -> int:
    return outbox.send_deliveries(ids)


@shared_task(acks_late=True, max_retries=0)
def deliver_pending_webhooks() -> int:
    return outbox.send_owed()
