"""Where a place is: a grid's, compound's or community's boundary, a building's point
(grids.geometry says in what coordinates and why GeoJSON).

A row of its own beside the area rather than columns on it: the tree's pages read areas by the
thousand and never their polygons, and the map reads the polygons alone (one query per layer)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet


def _degrees(label, low, high):
    return models.FloatField(label, null=True, blank=True, validators=[MinValueValidator(low), MaxValueValidator(high)])


class AreaShape(models.Model):
    area = models.OneToOneField(
        "grids.Area", on_delete=models.CASCADE, primary_key=True, related_name="shape", verbose_name=_("区域")
    )
    # A GeoJSON Polygon or MultiPolygon (grids.geometry.polygon checked it); a building has none
    # unless its footprint was surveyed.
    boundary = models.JSONField(_("边界"), null=True, blank=True)
    # The boundary with vertices a few metres apart dropped: what a map of a whole district draws.
    outline = models.JSONField(_("简化边界"), null=True, blank=True)
    # A building's point; for a polygon, a point inside it where its label goes.
    lng = _degrees(_("经度"), -180, 180)
    lat = _degrees(_("纬度"), -90, 90)
    # The bounding box (a point's is the point): the SQL pre-filter of every spatial lookup.
    min_lng = _degrees(_("最小经度"), -180, 180)
    min_lat = _degrees(_("最小纬度"), -90, 90)
    max_lng = _degrees(_("最大经度"), -180, 180)
    max_lat = _degrees(_("最大纬度"), -90, 90)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("区域位置")
        verbose_name_plural = _("区域位置")
        indexes = [models.Index(fields=["min_lng", "max_lng", "min_lat", "max_lat"], name="shape_bbox")]
        constraints = [
            models.CheckConstraint(
                condition=Q(lng__isnull=True, lat__isnull=True) | Q(lng__isnull=False, lat__isnull=False),
                name="shape_point_whole",
                violation_error_message=_("经度和纬度须同时填写"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.area)

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("area__")
