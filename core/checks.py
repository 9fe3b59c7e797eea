"""Deploy checks for what an assessor will ask of the audit log."""

from django.conf import settings
from django.core.checks import Error, Tags, register

MINIMUM_RETENTION_DAYS = 184  # GB/T 22239-2019 level 3: security audit records kept at least six months


@register(Tags.security, deploy=True)
def audit_retention(app_configs, **kwargs):
    days = getattr(settings, "AUDIT_RETENTION_DAYS", MINIMUM_RETENTION_DAYS)
    if days < MINIMUM_RETENTION_DAYS:
        return [
            Error(
                f"AUDIT_RETENTION_DAYS is {days}; the audit log must be kept at least {MINIMUM_RETENTION_DAYS} days.",
                id="audit.E001",
            )
        ]
    return []
