from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridWorkConfig(AppConfig):
    name = "gridwork"
    verbose_name = _("网格工作")

    def ready(self):
        # A case, need or service project raised by a meeting's decision names the meeting on its
        # page, without cases or cobuilding knowing meetings.
        from cases.models import Case
        from cobuilding.models import Need, ServiceProject
        from core import origins
        from gridwork import selectors

        for model in (Case, Need, ServiceProject):
            origins.provide(model, selectors.decision_origin)

        # A grid's page links to its 挂牌上岗 plate.
        from grids import panels

        panels.provide(panels.AREA, selectors.plate_link)
