"""The area tree's counts, kept per building (grids.models.BuildingCount, and per key group
BuildingGroupCount) and per community (CommunityCount, CommunityGroupCount: its buildings' rows
summed), and summed over a subtree: a community or anything above it adds up community rows, a
grid or a building its buildings' rows.

Writers add no deltas: each calls `recount_buildings` with the buildings it touched, inside its own
transaction, and their rows are counted again from scratch, one grouped query per thousand
buildings; then their communities' rows are summed again from the buildings' rows. A count cannot
drift from what a write left, and a write locks only its buildings' rows and then their
communities' rows, in that order.

A tag starts and ends on its dates with no write, so `recount_tag_changes` (a daily task) counts
again the buildings of the tags whose day it is. Moving a community needs nothing: the sum is taken
over the subtree as the tree stands (grids.selectors.with_counts). Moving a grid or a building to
another community changes two communities' sums (`recount_communities`).
"""

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from grids.models import (
    Area,
    AreaKind,
    BuildingCount,
    BuildingGroupCount,
    CommunityCount,
    CommunityGroupCount,
    KeyGroup,
    Occupancy,
    ResidentTag,
)

# BuildingCount's households by occupancy, a field per value.
OCCUPANCY_FIELDS = {value: f"households_{value}" for value in Occupancy.values}
COUNT_FIELDS = ["households", "residents", "key_group_residents", *OCCUPANCY_FIELDS.values()]
CHUNK = 1000  # buildings per grouped query: well under SQLite's limit on query parameters
# The buildings touched inside `deferred()`, counted again once when it ends.
_pending: ContextVar[set[int] | None] = ContextVar("rollup_pending", default=None)


def _visible_tags(on: datetime.date):
    # As grids.selectors.visible_tags: active today, not of a sensitive group.
    return ResidentTag.objects.active(on).filter(group__sensitive=False)


@contextmanager
def deferred() -> Iterator[None]:
    """Inside, `recount_buildings` only notes its buildings, and each is counted once when the block
    ends without an error: for a loader that writes a community's residents one by one in one
    transaction (the demo's thousands each counted their building again, a third of its load)."""
    if _pending.get() is not None:  # already deferred further out: that block counts
        yield
        return
    pending: set[int] = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    recount_buildings(pending)


def recount_buildings(building_ids: Iterable[int]) -> int:
    """Count these buildings' households (in all and by occupancy), living residents and key-group
    residents again and store them; ids of other places or of removed buildings are skipped.
    Returns how many were stored (none yet inside `deferred()`, which counts them when it ends)."""
    pending = _pending.get()
    if pending is not None:
        pending.update(building_ids)
        return 0
    ids = sorted(set(building_ids))
    today = timezone.localdate()
    living = Q(households__residents__ended_on__isnull=True)
    tagged = Exists(_visible_tags(today).filter(resident=OuterRef("households__residents")))
    stored, communities = 0, set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        _hold(chunk)
        counted = (
            Area.objects.unscoped("counts for the tree, whoever reads them through their own scope")
            .filter(pk__in=chunk, kind=AreaKind.BUILDING)
            .order_by()
            .values_list("pk")
            .annotate(
                n_households=Count("households", distinct=True),
                n_residents=Count("households__residents", filter=living, distinct=True),
                n_key_group=Count("households__residents", filter=living & Q(tagged), distinct=True),
                **{
                    field: Count("households", filter=Q(households__occupancy=value), distinct=True)
                    for value, field in OCCUPANCY_FIELDS.items()
                },
            )
        )
        rows = [
            BuildingCount(
                building_id=pk,
                households=h,
                residents=r,
                key_group_residents=k,
                **dict(zip(OCCUPANCY_FIELDS.values(), by_occupancy, strict=True)),
            )
            for pk, h, r, k, *by_occupancy in counted
        ]
        BuildingCount.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["building"], update_fields=COUNT_FIELDS
        )
        _recount_groups([row.building_id for row in rows], today)
        communities.update(communities_of(chunk))
        stored += len(rows)
    recount_communities(communities)  # once every building's row is held: always in that order
    return stored


def _recount_groups(ids: list[int], today: datetime.date) -> None:
    """The buildings' living residents per key group, as the lists show them: their rows again
    from scratch (the buildings' count rows are held, so no other writer counts them meanwhile)."""
    BuildingGroupCount.objects.filter(building_id__in=ids).delete()
    per_group = (
        _visible_tags(today)
        .filter(resident__household__building_id__in=ids, resident__ended_on__isnull=True)
        .order_by()
        .values_list("resident__household__building_id", "group_id")
        .annotate(n=Count("resident", distinct=True))
    )
    BuildingGroupCount.objects.bulk_create(
        BuildingGroupCount(building_id=building, group_id=group, residents=n) for building, group, n in per_group
    )


def _hold(ids: list[int]) -> None:
    """Hold the buildings' count rows (made first if missing) until the writer's transaction ends,
    in id order, so two writers in one building count one after the other: the second counts
    after the first has committed and sees its rows (counting first and upserting after, each
    counted without the other's new resident and the last upsert won, one short)."""
    buildings = Area.objects.unscoped("the count rows of buildings a writer just wrote in").filter(
        pk__in=ids, kind=AreaKind.BUILDING
    )
    BuildingCount.objects.bulk_create(
        [BuildingCount(building_id=pk) for pk in buildings.values_list("pk", flat=True)], ignore_conflicts=True
    )
    list(
        BuildingCount.objects.select_for_update().filter(building_id__in=ids).order_by("building_id").values_list("pk")
    )


def communities_of(area_ids: list[int]) -> list[int]:
    """The communities these places (grids, compounds, buildings) lie in, as the tree stands."""
    if not area_ids:
        return []
    inside = Area.objects.unscoped("the places a writer counted").filter(
        pk__in=area_ids, tree_id=OuterRef("tree_id"), lft__gt=OuterRef("lft"), lft__lt=OuterRef("rght")
    )
    communities = Area.objects.unscoped("the communities of those buildings").filter(kind=AreaKind.COMMUNITY)
    return list(communities.filter(Exists(inside)).values_list("pk", flat=True))


def recount_communities(community_ids: Iterable[int]) -> None:
    """Sum these communities' building rows again and store them (ids of other places are
    skipped), their rows held in id order until the writer's transaction ends, as `_hold` holds
    the buildings'."""
    ids = sorted(set(community_ids))
    if not ids:
        return
    communities = list(
        Area.objects.unscoped("the communities a writer counted")
        .filter(pk__in=ids, kind=AreaKind.COMMUNITY)
        .order_by("pk")
    )
    CommunityCount.objects.bulk_create([CommunityCount(community=c) for c in communities], ignore_conflicts=True)
    list(CommunityCount.objects.select_for_update().filter(community_id__in=ids).order_by("pk").values_list("pk"))
    rows, groups = [], []
    # Two reads a community: a service's write touches one; the loader and the command, every one.
    for community in communities:
        under = {
            "building__tree_id": community.tree_id,
            "building__lft__gt": community.lft,
            "building__lft__lt": community.rght,
        }
        summed = BuildingCount.objects.filter(**under).aggregate(**{name: Sum(name) for name in COUNT_FIELDS})
        rows.append(CommunityCount(community=community, **{name: n or 0 for name, n in summed.items()}))
        per_group = BuildingGroupCount.objects.filter(**under).order_by().values_list("group_id")
        groups += [
            CommunityGroupCount(community=community, group_id=group, residents=n)
            for group, n in per_group.annotate(n=Sum("residents"))
        ]
    CommunityCount.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["community"], update_fields=COUNT_FIELDS
    )
    CommunityGroupCount.objects.filter(community_id__in=ids).delete()
    CommunityGroupCount.objects.bulk_create(groups)


def recount_under(area: Area | None = None) -> int:
    """Every building under `area` (itself included), or every building there is."""
    buildings = Area.objects.unscoped("an operator's or a loader's recount").filter(kind=AreaKind.BUILDING)
    if area is not None:
        buildings = buildings.filter(tree_id=area.tree_id, lft__gte=area.lft, lft__lte=area.rght)
    return recount_buildings(buildings.values_list("pk", flat=True))


def buildings_of_group(group: KeyGroup) -> list[int]:
    """Where the group's residents live: their counts change with its `sensitive` flag."""
    return _buildings_of(ResidentTag.objects.filter(group=group))


def recount_tag_changes(on: datetime.date, *, days: int = 8) -> int:
    """The buildings of tags that began or lapsed in the `days` days up to `on`: a tag counts from
    its `since` and no longer the day after its `until`. A week and a day, so runs of the daily
    task missed for up to a week (beat down over a holiday) are made good by the next one; longer,
    `manage.py recount_areas`."""
    day = datetime.timedelta(days=1)
    first = on - (days - 1) * day
    changed = ResidentTag.objects.filter(Q(since__range=(first, on)) | Q(until__range=(first - day, on - day)))
    return recount_buildings(_buildings_of(changed))


def _buildings_of(tags) -> list[int]:
    return list(tags.order_by().values_list("resident__household__building_id", flat=True).distinct())
