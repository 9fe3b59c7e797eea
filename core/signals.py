"""Sign-ins and failed sign-ins go into the audit log like any write."""

import re

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from core.audit import record
from core.masking import mask_citizen_id, mask_phone
from core.models import Result

_CITIZEN_ID = re.compile(r"^\d{17}[\dXx]$")
_MOBILE = re.compile(r"^(\+86)?1\d{10}$")


def typed_name(raw) -> str:
    """Someone who types their citizen ID or phone into the name box must not leave it in the log."""
    name = str(raw or "").strip()[:150]
    if _CITIZEN_ID.match(name):
        return mask_citizen_id(name)
    if _MOBILE.match(name):
        return mask_phone(name)
    return name


@receiver(user_logged_in, dispatch_uid="core.audit.login")
def audit_login(sender, request, user, **kwargs):
    record(actor=user, action="auth.login", username=user.get_username())


@receiver(user_login_failed, dispatch_uid="core.audit.login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; only the account name typed is kept.
    username = typed_name(credentials.get("username"))
    record(actor=None, action="auth.login_failed", result=Result.FAILED, username=username)
