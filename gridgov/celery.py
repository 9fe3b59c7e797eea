import os

from celery import Celery, Task

from core.scoping import guard_on

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")


class GuardedTask(Task):
    """Every task runs with the scope guard on, as a request does: a task reads through a scope or
    says why it needs none (the sweep)."""

    def __call__(self, *args, **kwargs):
        with guard_on():
            return super().__call__(*args, **kwargs)


app = Celery("gridgov", task_cls=GuardedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
