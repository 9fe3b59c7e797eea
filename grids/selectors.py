"""Reads of places and people, always through the caller's scope."""

import bisect
import datetime
from collections import defaultdict

from django.db.models import Case, Count, Exists, JSONField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce, JSONObject
from django.http import Http404
from django.utils import timezone

from core.bilingual import localized
from core.blind_index import blind_index
from core.identity import ID_LIKE, PHONE_LIKE, normalize_phone
from core.scope import Scope
from grids import rollup
from grids.import_models import ImportRun
from grids.models import (
    Area,
    AreaKind,
    BuildingCount,
    BuildingGroupCount,
    CommunityCount,
    CommunityGroupCount,
    Household,
    HouseholdTag,
    Move,
    Resident,
    ResidentTag,
)


def areas(scope: Scope) -> QuerySet[Area]:
    return Area.objects.within(scope)


def get_area(scope: Scope, pk: int, *, counted: bool = False) -> Area:
    found = areas(scope).filter(pk=pk)
    area = (with_counts(found) if counted else found).first()
    if area is None:
        raise Http404
    return area


def _in_subtree(path: str) -> dict[str, OuterRef]:
    """Filter kwargs: the area at `path` lies in the subtree of the outer Area row."""
    return {
        f"{path}__tree_id": OuterRef("tree_id"),
        f"{path}__lft__gte": OuterRef("lft"),
        f"{path}__lft__lte": OuterRef("rght"),
    }


def visible_tags(tags: QuerySet) -> QuerySet:
    """Active tags a list may show: sensitive groups appear only in a logged reveal."""
    return tags.active().filter(group__sensitive=False)


# Kinds whose subtree holds whole communities: their counts add up the communities' rows
# (grids.rollup), a row per community; a grid's or a building's add up its buildings' rows.
BY_COMMUNITY = frozenset(AreaKind.values) - {AreaKind.GRID, AreaKind.COMPOUND, AreaKind.BUILDING}


def _summed(model, path: str):
    return (
        model.objects.filter(**_in_subtree(path))
        .order_by()
        .values(f"{path}__tree_id")
        .annotate(
            counts=JSONObject(
                households=Sum("households"),
                residents=Sum("residents"),
                key_group_residents=Sum("key_group_residents"),
            )
        )
        .values("counts")
    )


def with_counts(queryset: QuerySet[Area]) -> QuerySet[Area]:
    """Households, residents and key-group residents under each area (Area.household_count and its
    siblings): one query for any number of rows, one subquery a row. The count rows under the area
    (its communities', or below a community its buildings') are found through the tree's own
    (tree_id, lft) index and summed once for all three counts; the read never walks households or
    residents (grids.rollup keeps their counts)."""
    by_community = When(kind__in=sorted(BY_COMMUNITY), then=Subquery(_summed(CommunityCount, "community")))
    by_building = Subquery(_summed(BuildingCount, "building"))
    return queryset.annotate(counts=Case(by_community, default=by_building, output_field=JSONField()))


def _count_rows(scope: Scope, by_building, by_community) -> QuerySet:
    """The scope's count rows: its communities' where it covers whole communities (a city, a
    district, a street, a community), else its buildings'."""
    whole = scope.unrestricted or (scope.areas and all(area.kind in BY_COMMUNITY for area in scope.areas))
    if whole:
        return by_community.objects.filter(scope.area_q("community__"))
    return by_building.objects.filter(scope.area_q("building__"))


def totals(grids: QuerySet[Area], field: str) -> dict[int, int]:
    """One of those counts ("households", "residents" or "key_group_residents") under each of
    `grids` (areas that do not nest), by id: a map shading 3,000 grids. Two queries whatever their
    number: the grids' places in the tree, then the buildings from the first grid to the last, each
    given to the grid whose (lft, rght) holds it. A sum per grid in SQL is one subquery per grid,
    and PostgreSQL plans each as a scan of the whole count table (0.3 ms × 3,000)."""
    trees = defaultdict(list)  # tree id → [(lft, rght, pk)] in tree order
    for tree_id, lft, rght, pk in sorted(grids.order_by().values_list("tree_id", "lft", "rght", "pk")):
        trees[tree_id].append((lft, rght, pk))
    found = {pk: 0 for spans in trees.values() for _lft, _rght, pk in spans}
    if not found:
        return found
    between = Q()
    for tree_id, spans in trees.items():
        between |= Q(building__tree_id=tree_id, building__lft__gt=spans[0][0], building__lft__lt=spans[-1][1])
    starts = {tree_id: [lft for lft, _rght, _pk in spans] for tree_id, spans in trees.items()}
    counts = BuildingCount.objects.filter(between).values_list("building__tree_id", "building__lft", field)
    for tree_id, lft, n in counts:
        start, rght, pk = trees[tree_id][bisect.bisect_right(starts[tree_id], lft) - 1]
        if start < lft < rght:
            found[pk] += n
    return found


def tree_roots(scope: Scope) -> QuerySet[Area]:
    if scope.unrestricted:
        roots = Area.objects.within(scope).filter(parent__isnull=True)
    else:
        roots = Area.objects.within(scope).filter(pk__in=[a.pk for a in scope.areas])
    return with_counts(roots.order_by("tree_id", "lft"))


def children(scope: Scope, area: Area) -> QuerySet[Area]:
    return with_counts(areas(scope).filter(parent=area).order_by("lft"))


def subtree(scope: Scope, area: Area, kind: str) -> QuerySet[Area]:
    return area.get_descendants().filter(kind=kind).filter(scope.area_q())


def households(scope: Scope) -> QuerySet[Household]:
    return Household.objects.within(scope)


def households_under(scope: Scope, area: Area) -> QuerySet[Household]:
    return (
        households(scope)
        .filter(building__tree_id=area.tree_id, building__lft__gte=area.lft, building__lft__lte=area.rght)
        .select_related("building")
        .annotate(resident_count=Count("residents", filter=Q(residents__ended_on__isnull=True)))
        .order_by("building__lft", "unit", "floor", "room")
    )


def get_household(scope: Scope, pk: int) -> Household:
    household = (
        households(scope)
        .select_related("building__parent")
        .prefetch_related(
            # The card lists who lives there ("N口之家"); who has left is in its history below.
            Prefetch(
                "residents",
                queryset=Resident.objects.living()
                .order_by("id")
                .prefetch_related(
                    Prefetch(
                        "tags",
                        queryset=visible_tags(ResidentTag.objects).select_related("group"),
                        to_attr="visible_tags",
                    )
                ),
            ),
            Prefetch(
                "tags",
                queryset=visible_tags(HouseholdTag.objects).select_related("group"),
                to_attr="visible_tags",
            ),
            Prefetch("residents", queryset=Resident.objects.exclude(ended_on=None), to_attr="former_residents"),
            Prefetch("moves", queryset=Move.objects.select_related("resident").order_by("-on", "-id")),
            "merges",  # the building it was on before a merge (grids.merging)
        )
        .filter(pk=pk)
        .first()
    )
    if household is None:
        raise Http404
    return household


def residents(scope: Scope) -> QuerySet[Resident]:
    return Resident.objects.within(scope)


def with_visible_tags(queryset: QuerySet[Resident], *, include_sensitive: bool = False) -> QuerySet[Resident]:
    tags = ResidentTag.objects.active() if include_sensitive else visible_tags(ResidentTag.objects)
    return queryset.prefetch_related(Prefetch("tags", queryset=tags.select_related("group"), to_attr="visible_tags"))


def get_resident(scope: Scope, pk: int, *, with_sensitive_tags: bool = False) -> Resident:
    resident = (
        with_visible_tags(residents(scope), include_sensitive=with_sensitive_tags)
        .select_related("household__building")
        .filter(pk=pk)
        .first()
    )
    if resident is None:
        raise Http404
    return resident


def search_residents(scope: Scope, query: str) -> QuerySet[Resident]:
    """By exact ID number or phone (through the blind index), or by part of a name."""
    query = query.strip()
    found = with_visible_tags(residents(scope)).select_related("household__building")
    if ID_LIKE.match(query):
        return found.filter(citizen_id_hash=blind_index(query.upper()))
    if PHONE_LIKE.match(query):
        return found.filter(phone_hash=blind_index(normalize_phone(query)))
    if not query:
        return found.none()
    return found.filter(name__contains=query).order_by("name", "id")


def key_group_residents(scope: Scope, area: Area) -> QuerySet[Resident]:
    in_area = Q(
        household__building__tree_id=area.tree_id,
        household__building__lft__gte=area.lft,
        household__building__lft__lte=area.rght,
    )
    tagged = Exists(visible_tags(ResidentTag.objects).filter(resident=OuterRef("pk")))
    return (
        with_visible_tags(residents(scope).living())
        .filter(in_area, tagged)
        .select_related("household__building")
        .order_by("household__building__lft", "household_id", "id")
    )


def grids_of(scope: Scope) -> QuerySet[Area]:
    """The grids a user works in, for a grid worker's home page."""
    return with_counts(areas(scope).filter(kind=AreaKind.GRID).order_by("tree_id", "lft"))


def group_residents(scope: Scope) -> QuerySet:
    """Living residents of each non-sensitive key group across the scope, summed from the count
    rows (grids.rollup): a row a group, with its name, code and order, and `n`."""
    rows = _count_rows(scope, BuildingGroupCount, CommunityGroupCount)
    return rows.values("group__code", "group__name", "group__name_en", "group__order").annotate(n=Sum("residents"))


def key_group_breakdown(scope: Scope) -> list[dict]:
    """Residents and households in each non-sensitive key group across the scope: one query each,
    the residents summed from the count rows (grids.rollup) rather than counted."""
    by_resident = group_residents(scope)
    by_household = (
        visible_tags(HouseholdTag.objects)
        .filter(household__in=households(scope))
        .values("group__name", "group__name_en", "group__order")
        .annotate(n=Count("household", distinct=True))
    )
    rows = sorted([*by_resident, *by_household], key=lambda row: row["group__order"])
    return [{"name": localized(row["group__name"], row["group__name_en"]), "count": row["n"]} for row in rows]


def occupancy_breakdown(scope: Scope) -> dict[str, int]:
    """Households by occupancy across the scope, summed from the count rows (grids.rollup): a row a
    community or a building read, never a household."""
    return _count_rows(scope, BuildingCount, CommunityCount).aggregate(
        **{value: Coalesce(Sum(field), 0) for value, field in rollup.OCCUPANCY_FIELDS.items()}
    )


EXPIRING_DAYS = 30


def _expiring(tags: QuerySet, on: datetime.date) -> QuerySet:
    return visible_tags(tags).filter(until__lte=on + datetime.timedelta(days=EXPIRING_DAYS))


def expiring_tags(scope: Scope, on: datetime.date | None = None) -> tuple[QuerySet, QuerySet]:
    """Active, non-sensitive key-group tags of residents and of households that end within
    EXPIRING_DAYS: to renew with a new basis, or to let lapse."""
    on = on or timezone.localdate()
    return (
        _expiring(ResidentTag.objects, on).filter(resident__in=residents(scope).living()),
        _expiring(HouseholdTag.objects, on).filter(household__in=households(scope)),
    )


def expiring_counts(scope: Scope, on: datetime.date | None = None) -> dict:
    """How many tags end within EXPIRING_DAYS and the soonest end, in one query: counted per end
    date, so at most EXPIRING_DAYS + 1 rows of each kind come back however many tags there are."""
    by_resident, by_household = (
        tags.order_by().values("until").annotate(n=Count("pk")) for tags in expiring_tags(scope, on)
    )
    rows = list(by_resident.union(by_household, all=True))
    return {"count": sum(row["n"] for row in rows), "soonest": min((row["until"] for row in rows), default=None)}


def own_import_runs(scope: Scope) -> QuerySet[ImportRun]:
    """A user's imports are their own, whatever their posts (the workbooks hold personal data)."""
    return ImportRun.objects.filter(owner=scope.user).select_related("applied_as")
