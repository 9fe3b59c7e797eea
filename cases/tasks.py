from celery import shared_task

from cases import services


@shared_task(acks_late=True)
def sweep_deadlines() -> dict[str, int]:
    """Run by beat every few minutes; running it twice records and sends nothing twice."""
    return services.sweep_deadlines()


@shared_task(acks_late=True)
def deliver_notifications(ids: list[int]) -> int:
    return services.send_notifications(ids)
