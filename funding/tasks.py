from celery import shared_task

from core.scope import SYSTEM
from funding import services


@shared_task(bind=True, max_retries=3, acks_late=True)
def compute_budget_run(self, run_id: int) -> None:
    """Takes an id and re-fetches; a second delivery finds the run already claimed and does nothing."""
    services.compute_budget_run(run_id, actor=SYSTEM)
