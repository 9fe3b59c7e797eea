from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = _("区域化党建")

    def ready(self):
        # A case, need or service project raised by a joint meeting's decision names the meeting on
        # its page, without cases or cobuilding knowing this app (as gridwork does for grid meetings).
        from alliances import selectors
        from cases.models import Case
        from cobuilding.models import Need, ServiceProject
        from core import origins

        for model in (Case, Need, ServiceProject):
            origins.provide(model, selectors.decision_origin)
