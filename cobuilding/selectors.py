"""Reads of co-building units, meetings and the four lists, through the caller's scope.

A unit, list entry or meeting is in scope where its community (or meeting area) is.
"""

from django.db.models import IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from core.scope import Scope
from grids.models import Area
from orgs.cobuilding import (
    Agreement,
    CoBuildingUnit,
    JointMeeting,
    Need,
    PointsRule,
    Rating,
    ServiceProject,
    SharedResource,
    UnitPoints,
)
from orgs.models import Post


def with_point_totals(queryset: QuerySet[CoBuildingUnit]) -> QuerySet[CoBuildingUnit]:
    summed = (
        UnitPoints.objects.filter(unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(total=Sum("points"))
        .values("total")
    )
    return queryset.annotate(point_total=Coalesce(Subquery(summed, output_field=IntegerField()), Value(0)))


def units(scope: Scope) -> QuerySet[CoBuildingUnit]:
    return with_point_totals(CoBuildingUnit.objects.filter(scope.area_q("community__")).select_related("community"))


def standing(total: int, rules: list[PointsRule]) -> list[PointsRule]:
    """The rules a points total triggers (below 60: no sharing; above 100: an honour)."""
    return [rule for rule in rules if rule.applies(total)]


def points_rules() -> list[PointsRule]:
    return list(PointsRule.objects.all())


def get_unit(scope: Scope, pk: int) -> CoBuildingUnit:
    unit = (
        units(scope)
        .prefetch_related(
            Prefetch("points", queryset=UnitPoints.objects.order_by("-on", "-id")),
            Prefetch("ratings", queryset=Rating.objects.order_by("-year", "direction")),
            Prefetch("agreements", queryset=Agreement.objects.order_by("-signed_on")),
            Prefetch("claimed_needs", queryset=Need.objects.order_by("status", "-raised_on")),
            Prefetch("projects", queryset=ServiceProject.objects.order_by("-starts_on")),
            "resources",
            Prefetch("posts", queryset=Post.objects.active().select_related("organization")),
        )
        .filter(pk=pk)
        .first()
    )
    if unit is None:
        raise Http404
    return unit


def meetings(scope: Scope) -> QuerySet[JointMeeting]:
    return JointMeeting.objects.filter(scope.area_q("area__")).select_related("area")


def get_meeting(scope: Scope, pk: int) -> JointMeeting:
    meeting = meetings(scope).prefetch_related("units").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def community_lists(community: Area) -> dict[str, QuerySet]:
    """The four lists of one community (the caller has checked the community is in scope)."""
    return {
        "agreements": Agreement.objects.filter(community=community).select_related("unit").order_by("-signed_on"),
        "resources": SharedResource.objects.filter(community=community).select_related("unit"),
        "needs": Need.objects.filter(community=community).select_related("claimed_by"),
        "projects": ServiceProject.objects.filter(community=community).select_related("unit", "need"),
    }


def get_need(scope: Scope, pk: int) -> Need:
    need = Need.objects.filter(scope.area_q("community__")).filter(pk=pk).first()
    if need is None:
        raise Http404
    return need
