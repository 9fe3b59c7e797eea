import logging

from celery import shared_task

from core.leases import lease
from hall import sweep

log = logging.getLogger(__name__)

SWEEP_LEASE_SECONDS = 600


# No retries: beat runs it again in five minutes, and a request it failed on is still untold.
@shared_task(acks_late=True, max_retries=0)
def sweep_deadlines() -> dict[str, int] | None:
    """One sweep at a time, however many beats run it (as cases.tasks.sweep_deadlines)."""
    with lease("sweep-service-request-deadlines", seconds=SWEEP_LEASE_SECONDS) as mine:
        if not mine:
            log.info("service request sweep skipped: another sweep holds the lease")
            return None
        return sweep.sweep_deadlines()
