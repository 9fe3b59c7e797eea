from celery import shared_task

from cases import sweep


# No retries: the sweep runs again in five minutes by beat, and a case it failed on is still pending.
@shared_task(acks_late=True, max_retries=0)
def sweep_deadlines() -> dict[str, int]:
    """Run by beat every few minutes; running it twice records and sends nothing twice."""
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
