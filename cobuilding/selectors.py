"""Reads of co-building units, meetings and the four lists, through the caller's scope.

A unit, list entry or meeting is in scope where its community (or meeting area) is (`in_scope` on
each model); points, ratings and posts are reached from a unit already read through it.
"""

from django.db.models import Count, IntegerField, Min, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from cobuilding.models import (
    Agreement,
    CoBuildingUnit,
    JointMeeting,
    Need,
    NeedStatus,
    PointsRule,
    Rating,
    ResourceBooking,
    ServiceProject,
    SharedResource,
    UnitPoints,
)
from core.capabilities import Capability
from core.scope import Scope
from grids.models import Area
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
    return with_point_totals(CoBuildingUnit.objects.within(scope).select_related("community"))


def claimants(scope: Scope, community: Area) -> QuerySet[CoBuildingUnit]:
    """The units that may claim a need of `community`: its own co-building units, in scope."""
    return CoBuildingUnit.objects.within(scope).filter(community=community, ended_on__isnull=True).order_by("name")


def unit(scope: Scope, pk: int) -> CoBuildingUnit:
    """One unit with its points total, for a form about it: a 404 outside the scope."""
    found = units(scope).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def current_units(scope: Scope) -> QuerySet[CoBuildingUnit]:
    """The units still in the co-building, as far as the scope reaches."""
    return CoBuildingUnit.objects.within(scope).filter(ended_on__isnull=True).select_related("community")


def standing(total: int, rules: list[PointsRule]) -> list[PointsRule]:
    """The rules a points total triggers (below 60: no sharing; above 100: an honour)."""
    return [rule for rule in rules if rule.applies(total)]


def points_rules() -> list[PointsRule]:
    # Policy rows, the same for everyone: not scoped.
    return list(PointsRule.objects.all())


def get_unit(scope: Scope, pk: int) -> CoBuildingUnit:
    unit = (
        units(scope)
        .prefetch_related(
            Prefetch("points", queryset=UnitPoints.objects.select_related("corrects").order_by("-on", "-id")),
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
    return JointMeeting.objects.within(scope).select_related("area")


def get_meeting(scope: Scope, pk: int) -> JointMeeting:
    meeting = meetings(scope).prefetch_related("units").filter(pk=pk).first()
    if meeting is None:
        raise Http404
    return meeting


def agreements(scope: Scope) -> QuerySet[Agreement]:
    return Agreement.objects.within(scope).select_related("unit")


def resources(scope: Scope) -> QuerySet[SharedResource]:
    return SharedResource.objects.within(scope).select_related("unit")


def get_resource(scope: Scope, pk: int) -> SharedResource:
    found = (
        resources(scope)
        .select_related("community")
        .prefetch_related(Prefetch("bookings", queryset=ResourceBooking.objects.select_related("unit")))
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def needs(scope: Scope) -> QuerySet[Need]:
    return Need.objects.within(scope).select_related("claimed_by")


def projects(scope: Scope) -> QuerySet[ServiceProject]:
    return ServiceProject.objects.within(scope).select_related("unit", "need")


def community_lists(scope: Scope, community: Area) -> dict[str, QuerySet]:
    """The four lists of one community, as far as the scope reaches."""
    return {
        "agreements": agreements(scope).filter(community=community).order_by("-signed_on"),
        "resources": resources(scope).filter(community=community),
        "needs": needs(scope).filter(community=community),
        "projects": projects(scope).filter(community=community),
    }


def get_need(scope: Scope, pk: int | str) -> Need:
    try:
        need = (
            Need.objects.within(scope).select_related("community", "claimed_by", "raised_by").filter(pk=int(pk)).first()
        )
    except (TypeError, ValueError):  # an API path's "abc"
        raise Http404 from None
    if need is None:
        raise Http404
    return need


def get_need_to_manage(scope: Scope, pk: int | str) -> Need:
    """A need the caller may claim or complete: in scope, and at a community where one of their
    posts allows managing it. Anything else is a 404, before the request's data is looked at."""
    need = get_need(scope, pk)
    if scope.capacity(Capability.MANAGE_COMMUNITY, at=need.community) is None:
        raise Http404
    return need


def needs_waiting(scope: Scope) -> dict[tuple[str, str], dict]:
    """What the 双向需求清单 waits for, by (direction, status): the community's needs no unit has
    claimed, units' needs the community has not answered, and claimed ones not yet done; each
    with its count and its oldest's date. One grouped query."""
    rows = (
        needs(scope)
        .filter(status__in=[NeedStatus.OPEN, NeedStatus.CLAIMED])
        .order_by()
        .values("direction", "status")
        .annotate(count=Count("pk"), oldest=Min("raised_on"))
    )
    return {(row["direction"], row["status"]): row for row in rows}
