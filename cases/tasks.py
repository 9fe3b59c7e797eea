from celery import shared_task

from cases import sweep


@shared_task(acks_late=True)
def sweep_deadlines() -> dict[str, int]:
    """Run by beat every few minutes; running it twice records and sends nothing twice."""
    return sweep.sweep_deadlines()


@shared_task(acks_late=True)
def deliver_notifications(ids: list[int]) -> int:
    return sweep.send_notifications(ids)
