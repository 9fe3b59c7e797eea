"""Start-up checks for the map's settings: a wrong one would draw every place off by hundreds of metres."""

from django.conf import settings
from django.core.checks import Error, register

TILE_CRSES = ("wgs84", "gcj02")


@register()
def map_tile_crs(app_configs, **kwargs):
    value = getattr(settings, "MAP_TILE_CRS", "wgs84")
    if value not in TILE_CRSES:
        return [
            Error(
                f"MAP_TILE_CRS is {value!r}; it must be one of {', '.join(TILE_CRSES)}.",
                hint="wgs84 for 天地图 or a CGCS2000 tile server, gcj02 for 高德 or 腾讯 tiles.",
                id="grids.E001",
            )
        ]
    return []
