from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor: helpers every app uses and that import no app of GridGov."""

    name = "core"
    verbose_name = _("平台基础")

    def ready(self):
        # Registers the deploy check and the receivers: sign-in, lockout, password age, two-factor.
        from core import checks, lockout_audit, passwords, signals, two_factor  # noqa: F401
