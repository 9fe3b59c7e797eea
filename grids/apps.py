from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("场所与居民")

    def ready(self):
        # A place's page shows it on a small map; checks registers the map settings' start-up check.
        from grids import checks, mapping, panels  # noqa: F401

        panels.provide(panels.AREA, mapping.place_shape)
