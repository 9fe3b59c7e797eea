from celery import shared_task
from django.utils import timezone

from grids.imports import services


# No retries: a failed run is marked failed with its reason, and a retry would find it no longer
# pending; the user uploads again. acks_late re-delivers a run lost with its worker before the claim.
@shared_task(acks_late=True, max_retries=0)
def run_import(run_id: int) -> None:
    services.run_import(run_id)


@shared_task
def drop_stale_import_sources() -> int:
    from grids.imports import fixes

    return fixes.drop_stale_sources()


@shared_task
def recount_tag_changes() -> int:
    """Tags start and lapse on their dates with no write: the tree's key-group counts follow daily."""
    from grids import rollup

    return rollup.recount_tag_changes(timezone.localdate())
