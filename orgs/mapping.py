"""The map's party-organisation measure (grids.mapping draws it): per grid, the share of its
buildings a 楼栋党小组 covers (what the coverage report lists as buildings without a group)."""

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.scope import Scope
from grids.mapping import Measure, provide_measure
from grids.models import Area, AreaKind
from orgs.models import Coverage, OrgKind


def _buildings_under(*conditions) -> Coalesce:
    buildings = (
        Area.objects.filter(
            *conditions, kind=AreaKind.BUILDING, tree_id=OuterRef("tree_id"), lft__gt=OuterRef("lft"),
            lft__lt=OuterRef("rght"),
        )
        .order_by()
        .values("tree_id")
        .annotate(n=Count("pk"))
        .values("n")
    )  # fmt: skip
    return Coalesce(Subquery(buildings, output_field=IntegerField()), 0)


def building_group_share(scope: Scope, grids: QuerySet[Area]) -> dict[int, float]:
    covered = Exists(Coverage.objects.filter(area=OuterRef("pk"), organization__kind=OrgKind.BUILDING_GROUP))
    rows = (
        grids.order_by()
        .annotate(buildings=_buildings_under(), covered=_buildings_under(covered))
        .values_list("pk", "buildings", "covered")
    )
    return {pk: round(covered / buildings, 3) if buildings else 0 for pk, buildings, covered in rows}


def register() -> None:
    provide_measure(Measure("party", _("楼栋党小组覆盖率"), building_group_share, order=50, share=True))
