"""Sign-in lockouts (django-axes) and their release, in the audit log.

A lock starts when axes signals `user_locked_out` at the failure that reaches the limit. It ends
when its AccessAttempt row is deleted: by `axes_reset*` commands (the system), by an
administrator in the admin (core.admin records who), or by axes itself, once the cool-off has
passed, when it tidies up at the next sign-in (recorded as expired)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from core.audit import record
from core.masking import mask_typed_name
from core.models import Result
from core.scope import SYSTEM

_releasing = ContextVar("lockout_released_by", default=None)


@contextmanager
def released_by(user) -> Iterator[None]:
    token = _releasing.set(user)
    try:
        yield
    finally:
        _releasing.reset(token)


@receiver(user_locked_out, dispatch_uid="core.audit.lockout")
def audit_lockout(sender, request, username, ip_address, **kwargs):
    # axes signals again for every attempt refused while the lock lasts: those are recorded as
    # failed sign-ins already, so only the failure that starts the lock is a lockout.
    if getattr(request, "axes_failures_since_start", None) != settings.AXES_FAILURE_LIMIT:
        return
    record(actor=None, action="auth.lockout", result=Result.REFUSED, username=mask_typed_name(username))


@receiver(post_delete, sender=AccessAttempt, dispatch_uid="core.audit.lockout_released")
def audit_release(sender, instance, **kwargs):
    if instance.failures_since_start < settings.AXES_FAILURE_LIMIT:
        return  # a count under the limit, cleared by a good sign-in: there was no lock
    releaser = _releasing.get()
    expired = instance.attempt_time <= timezone.now() - settings.AXES_COOLOFF_TIME
    action = "auth.lockout_expired" if expired and releaser is None else "auth.lockout_released"
    record(actor=releaser or SYSTEM, action=action, username=mask_typed_name(instance.username))
