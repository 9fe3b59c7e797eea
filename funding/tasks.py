from celery import shared_task

from core.scope import SYSTEM
from funding import services


# No retries: a run that fails is marked failed and logged, and a retry would find it no longer
# pending and do nothing; the finance office starts a new run instead. acks_late keeps a delivery
# lost with its worker before the run was claimed, which the pending-only claim makes safe to redo.
@shared_task(acks_late=True, max_retries=0)
def compute_budget_run(run_id: int) -> None:
    """Takes an id and re-fetches; a second delivery finds the run already claimed and does nothing."""
    services.compute_budget_run(run_id, actor=SYSTEM)


# Beat, every minute: a run whose task was never queued (Redis down at the commit) or was lost.
@shared_task(acks_late=True, max_retries=0)
def resume_pending_budget_runs() -> int:
    return services.resume_pending_runs(actor=SYSTEM)
