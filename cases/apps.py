from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("吹哨报到")

    def ready(self):
        # The places' pages link to their door plates, without places knowing cases.
        from cases import selectors
        from grids import panels

        panels.provide(panels.AREA, selectors.door_plates_link)
