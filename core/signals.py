"""Sign-ins and failed sign-ins go into the audit log like any write."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from core.audit import record
from core.masking import mask_typed_name
from core.models import Result


@receiver(user_logged_in, dispatch_uid="core.audit.login")
def audit_login(sender, request, user, **kwargs):
    record(actor=user, action="auth.login", username=user.get_username())


@receiver(user_login_failed, dispatch_uid="core.audit.login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the account name typed is kept.
    username = mask_typed_name(credentials.get("username"))
    record(actor=None, action="auth.login_failed", result=Result.FAILED, username=username)
