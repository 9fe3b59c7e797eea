"""The beat schedule, run once when the demo starts: a freshly loaded demo already has its
reminders, overdue records and notices, as if beat had been running all along."""

from django.conf import settings
from django.utils.module_loading import import_string


def run_once() -> dict[str, object]:
    """Each periodic task of CELERY_BEAT_SCHEDULE, in this process; {task name: its result}."""
    results = {}
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        # A task's name is its dotted path (shared_task's default), so the name finds the task.
        name = entry["task"]
        results[name] = import_string(name).apply().get()
    return results
