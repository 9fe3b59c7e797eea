"""Reads of party organisations and members, through the caller's scope.

An organisation is in scope where its seat (the area it sits in) is; its members go with it.
"""

from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from core.scope import Scope
from grids.models import Area, AreaKind, Household
from orgs import targets
from orgs.advisories import BRANCH_NORMAL_MAX, COMMUNITY_COMMITTEE_FROM, advisories
from orgs.capabilities import GRID_WORKERS
from orgs.models import (
    BRANCH_KINDS,
    COMMUNITY_LEVEL_KINDS,
    GRID_LEVEL_KINDS,
    ORGANIZATION_ROLE_RANK,
    Coverage,
    CoverageTarget,
    Department,
    DepartmentKind,
    MemberStatus,
    Organization,
    OrgKind,
    OwnersCommittee,
    PartyMember,
    Post,
    Role,
    ServicePoints,
    Slot,
)


def organizations(scope: Scope) -> QuerySet[Organization]:
    return Organization.objects.within(scope)


def _members_of_self(**filters) -> Coalesce:
    counted = (
        PartyMember.objects.filter(organization=OuterRef("pk"), **filters)
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _members_of_subtree() -> Coalesce:
    counted = (
        PartyMember.objects.filter(
            organization__tree_id=OuterRef("tree_id"),
            organization__lft__gte=OuterRef("lft"),
            organization__lft__lte=OuterRef("rght"),
        )
        .order_by()
        .values("organization__tree_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_member_counts(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """Full and probationary members of each organisation, and all members under it: one query."""
    return queryset.annotate(
        full_count=_members_of_self(status=MemberStatus.FULL),
        probationary_count=_members_of_self(status=MemberStatus.PROBATIONARY),
        subtree_count=_members_of_subtree(),
    )


def advisories_for(organization: Organization) -> list:
    return advisories(
        kind=organization.kind,
        full=organization.full_count,
        probationary=organization.probationary_count,
        subtree_total=organization.subtree_count,
    )


def get_organization(scope: Scope, pk: int) -> Organization:
    found = with_member_counts(organizations(scope).select_related("area", "parent")).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def org_chart(scope: Scope) -> list[dict]:
    """The organisations in scope as nested nodes for a tree diagram, from one query."""
    rows = list(with_member_counts(organizations(scope)).order_by("tree_id", "lft"))
    nodes: dict[int, dict] = {}
    roots = []
    for org in rows:
        node = {
            "name": org.name,
            "id": org.pk,
            "kind": org.get_kind_display(),
            "members": org.subtree_count,
            "advisories": len(advisories_for(org)),
            "children": [],
        }
        nodes[org.pk] = node
        parent = nodes.get(org.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots


def members(scope: Scope) -> QuerySet[PartyMember]:
    return PartyMember.objects.within(scope)


def get_member_list(scope: Scope, *, kind: str = "", status: str = "", organization: int | None = None):
    found = members(scope).select_related("organization", "resident__household__building")
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    if organization:
        found = found.filter(organization_id=organization)
    return found.annotate(point_total=Coalesce(_points_total(), Value(0))).order_by("organization__name", "name", "pk")


def _points_total() -> Subquery:
    summed = (
        ServicePoints.objects.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(total=Sum("points"))
        .values("total")
    )
    return Subquery(summed, output_field=IntegerField())


def departments_of(scope: Scope) -> QuerySet[Department]:
    """The user's own departments, for an officer's home page."""
    return Department.objects.within(scope).filter(pk__in=sorted(scope.department_ids)).select_related("jurisdiction")


def posts_at(scope: Scope, area: Area) -> dict:
    """The area page's panel: who holds which post there now."""
    found = posts(scope).filter(area=area).select_related("department").order_by("role", "slot", "holder_name")
    return {"posts": found}


def household_members(household: Household) -> QuerySet[PartyMember]:
    """The members tied to a household, each once, with `cares` (looks after it) and `lives_here`."""
    cares = Exists(PartyMember.households.through.objects.filter(partymember=OuterRef("pk"), household=household))
    # Members tied to a household in hand (living in it, or looking after it) go with it, like a
    # related manager's rows: a caring member of an organisation seated elsewhere still shows.
    # Two look-ups by index joined by UNION: one OR across both joins made PostgreSQL read every
    # member and every resident of the city for each card.
    members = PartyMember.objects.unscoped("members tied to a household in hand").annotate(
        cares=cares, lives_here=ExpressionWrapper(Q(resident__household=household), BooleanField())
    )
    return (
        members.filter(resident__household=household)
        .order_by()
        .union(members.filter(households=household).order_by())
        .order_by("organization", "name", "pk")
    )


def household_party(scope: Scope, household: Household) -> dict:
    """The household card's panel, in one query: 我家有党员 (a resident of it is a party member, seed
    001) and 党员包住户 (the members who look after it)."""
    found = list(household_members(household))
    return {
        "has_party_member": any(member.lives_here for member in found),
        "party_members_caring": [member for member in found if member.cares],
    }


def posts(scope: Scope) -> QuerySet[Post]:
    """Active posts held at an area in scope, or at an organisation seated in scope."""
    return Post.objects.within(scope).active().order_by("area_id", "organization_id", "role", "slot", "pk")


def committee(organization: Organization) -> list[Post]:
    # The organisation was read through the scope; its posts go with it.
    posts = organization.posts.active().order_by("holder_name")
    return sorted(posts, key=lambda post: ORGANIZATION_ROLE_RANK.index(post.role))


# The coverage report -------------------------------------------------------------------


@dataclass
class CommunityCoverage:
    community: Area
    grids: int = 0
    buildings: int = 0
    grids_without_org: list[Area] = field(default_factory=list)
    grids_without_full_time_worker: list[Area] = field(default_factory=list)
    grids_without_ab: list[Area] = field(default_factory=list)
    buildings_without_group: list[Area] = field(default_factory=list)
    upgrade_to_committee: list[Organization] = field(default_factory=list)
    branches_over_50: list[Organization] = field(default_factory=list)
    owners_committees_without_org: list[OwnersCommittee] = field(default_factory=list)
    rates: list[targets.Rate] = field(default_factory=list)
    size: targets.Size | None = None

    @property
    def gaps(self) -> int:
        return sum(
            len(items)
            for items in (
                self.grids_without_org,
                self.grids_without_full_time_worker,
                self.grids_without_ab,
                self.buildings_without_group,
                self.upgrade_to_committee,
                self.branches_over_50,
                self.owners_committees_without_org,
            )
        )


@dataclass
class CoverageReport:
    communities: list[CommunityCoverage]
    property_companies_without_org: list[Department]
    rates: list[targets.Rate] = field(default_factory=list)  # over every grid in the scope


def _covered_by(kinds: set[str], *, inside: bool) -> Exists:
    """An organisation of these kinds covers the outer area (or, with `inside`, an area within it)."""
    if inside:
        where = Q(area__tree_id=OuterRef("tree_id"), area__lft__gte=OuterRef("lft"), area__lft__lte=OuterRef("rght"))
    else:
        where = Q(area=OuterRef("pk"))
    return Exists(Coverage.objects.filter(where, organization__kind__in=sorted(kinds)))


def _active_worker(**filters) -> Exists:
    return Exists(Post.objects.active().filter(area=OuterRef("pk"), role__in=sorted(GRID_WORKERS), **filters))


def _community_containing(path: str = "") -> Subquery:
    """The community that is, or contains, the area at `path` of the outer row."""
    prefix = f"{path}__" if path else ""
    return Subquery(
        Area.objects.filter(
            kind=AreaKind.COMMUNITY,
            tree_id=OuterRef(f"{prefix}tree_id"),
            lft__lte=OuterRef(f"{prefix}lft"),
            rght__gte=OuterRef(f"{prefix}rght"),
        ).values("pk")[:1]
    )


def coverage_report(scope: Scope) -> CoverageReport:
    """The health of the organisation per community, in a fixed number of queries."""
    in_scope = Area.objects.within(scope)
    goals = CoverageTarget.objects.in_bulk(field_name="code")
    rows: dict[int, CommunityCoverage] = {}
    communities = in_scope.filter(kind=AreaKind.COMMUNITY).annotate(
        counted_households=_households_in(), residents_committees=_residents_committees()
    )
    for community in communities.order_by("tree_id", "lft"):
        rows[community.pk] = CommunityCoverage(
            community=community,
            size=targets.size(
                goals,
                # The declared figure where the community gave one (as the funding rules read it),
                # else the households on record.
                households=community.declared_households
                if community.declared_households is not None
                else community.counted_households,
                committees=community.residents_committees,
            ),
        )

    grids = in_scope.filter(kind=AreaKind.GRID).annotate(
        has_org=_covered_by(GRID_LEVEL_KINDS, inside=True),
        has_full_time=_active_worker(role=Role.GRID_WORKER),
        has_a=_active_worker(slot=Slot.A),
        has_b=_active_worker(slot=Slot.B),
    )
    for grid in grids.select_related("parent").order_by("tree_id", "lft"):
        # A grid worker's report holds their grids, under a community outside their scope.
        report = rows.setdefault(grid.parent_id, CommunityCoverage(community=grid.parent))
        report.grids += 1
        if not grid.has_org:
            report.grids_without_org.append(grid)
        if not grid.has_full_time:
            report.grids_without_full_time_worker.append(grid)
        if not (grid.has_a and grid.has_b):
            report.grids_without_ab.append(grid)

    buildings = in_scope.filter(kind=AreaKind.BUILDING).annotate(
        community_id=_community_containing(), has_group=_covered_by({OrgKind.BUILDING_GROUP}, inside=False)
    )
    for building in buildings.order_by("tree_id", "lft"):
        report = rows.get(building.community_id)
        if report is None:
            continue
        report.buildings += 1
        if not building.has_group:
            report.buildings_without_group.append(building)

    orgs = with_member_counts(organizations(scope)).annotate(community_id=_community_containing("area"))
    for org in orgs.filter(kind__in=sorted(COMMUNITY_LEVEL_KINDS | BRANCH_KINDS)).order_by("tree_id", "lft"):
        report = rows.get(org.community_id)
        if report is None:
            continue
        if (
            org.kind in COMMUNITY_LEVEL_KINDS
            and org.kind != OrgKind.COMMUNITY_COMMITTEE
            and org.subtree_count >= COMMUNITY_COMMITTEE_FROM
        ):
            report.upgrade_to_committee.append(org)
        if org.kind in BRANCH_KINDS and org.full_count + org.probationary_count > BRANCH_NORMAL_MAX:
            report.branches_over_50.append(org)

    uncovered_committees = (
        OwnersCommittee.objects.filter(scope.area_q("compound__"))
        .filter(~Exists(Organization.objects.filter(owners_committee=OuterRef("pk"))))
        .annotate(community_id=_community_containing("compound"))
        .select_related("compound")
        .order_by("name")
    )
    for committee_row in uncovered_committees:
        report = rows.get(committee_row.community_id)
        if report is not None:
            report.owners_committees_without_org.append(committee_row)

    companies = (
        Department.objects.within(scope)
        .filter(kind=DepartmentKind.PROPERTY)
        .filter(scope.area_q("jurisdiction__"))
        .filter(~Exists(Organization.objects.filter(property_company=OuterRef("pk"))))
        .order_by("name")
    )
    for report in rows.values():
        report.rates = targets.rates(goals, _counts([report]))
    return CoverageReport(
        communities=list(rows.values()),
        property_companies_without_org=list(companies),
        rates=targets.rates(goals, _counts(rows.values())),
    )


def _counts(reports) -> dict[str, tuple[int, int]]:
    grids = sum(r.grids for r in reports)
    return {
        targets.GRID_PARTY: (grids - sum(len(r.grids_without_org) for r in reports), grids),
        targets.GRID_FULL_TIME: (grids - sum(len(r.grids_without_full_time_worker) for r in reports), grids),
        targets.GRID_AB: (grids - sum(len(r.grids_without_ab) for r in reports), grids),
    }


def _households_in() -> Subquery:
    """The households on record in the outer community's buildings."""
    counted = (
        Household.objects.filter(
            building__tree_id=OuterRef("tree_id"),
            building__lft__gt=OuterRef("lft"),
            building__lft__lt=OuterRef("rght"),
        )
        .order_by()
        .values("building__tree_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _residents_committees() -> Subquery:
    """居委会 in the outer community: one per active 居委会主任 post at it (一委一站一居: one, usually)."""
    counted = (
        Post.objects.active()
        .filter(area=OuterRef("pk"), role=Role.RC_DIRECTOR)
        .order_by()
        .values("area")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
