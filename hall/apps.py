from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallConfig(AppConfig):
    name = "hall"
    verbose_name = _("便民服务大厅")

    def ready(self):
        # The building's QR page offers 办事 beside 我要反映, and the household card 代办, without
        # cases or places knowing the hall.
        from grids import panels
        from hall import selectors

        panels.provide(panels.PLATE, selectors.plate_link)
        panels.provide(panels.HOUSEHOLD, selectors.household_services)
