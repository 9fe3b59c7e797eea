from celery import shared_task

from cases import sweep
from cases.notifications import delivery


# No retries: the sweep runs again in five minutes by beat, and a case it failed on is still pending.
@shared_task(acks_late=True, max_retries=0)
def sweep_deadlines() -> dict[str, int]:
    """Run by beat every few minutes; running it twice records and sends nothing twice."""
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
