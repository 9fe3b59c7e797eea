import logging

from celery import shared_task

from cases import sweep
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


# Retried for one reason, a channel (the database or a gateway) briefly unreachable, a bounded
# number of times; a retry is safe because each notification is claimed before it is sent.
@shared_task(
    acks_late=True,
    autoretry_for=(ConnectionError, TimeoutError),
    max_retries=3,
    retry_backoff=True,
)
def deliver_notifications(ids: list[int]) -> int:
    return sweep.send_notifications(ids)


# Beat, every minute: what the queue lost (the broker down at commit, a worker killed) still goes out.
@shared_task(acks_late=True, max_retries=0)
def deliver_pending_notifications() -> int:
    return sweep.send_pending()
