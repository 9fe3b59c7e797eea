from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("吹哨报到")

    def ready(self):
        # The places' pages link to their door plates and visits, without places knowing cases.
        from cases import selectors, visits
        from grids import panels

        panels.provide(panels.AREA, selectors.door_plates_link)
        # The household card shows its visits and the 走访登记 button.
        panels.provide(panels.HOUSEHOLD, visits.household_visits)

        # A place merged into a neighbour takes its cases, door plate and routing with it.
        from cases.merging import move_area_holdings
        from grids.merging import area_merging

        area_merging.connect(move_area_holdings, dispatch_uid="cases.move_area_holdings")

        # The map shades grids by their open and overdue cases (grids.mapping).
        from cases import mapping

        mapping.register()
