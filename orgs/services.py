"""Writes to departments, posts, party organisations and members."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grids.models import Area, Household
from orgs.models import (
    COMMUNITY_LEVEL_KINDS,
    ORG_PARENT_KINDS,
    Coverage,
    Department,
    Organization,
    OrgKind,
    OwnersCommittee,
    PartyMember,
    Post,
    ServicePoints,
)


@transaction.atomic
def appoint(*, post: Post) -> Post:
    """Put someone in a post (an unsaved Post with its fields set)."""
    if post.user_id and not post.holder_name:
        post.holder_name = post.user.get_full_name() or post.user.get_username()
    post.full_clean()
    if post.slot and post.area_id:
        clash = (
            Post.objects.active(post.start).filter(area=post.area, role=post.role, slot=post.slot).exclude(pk=post.pk)
        )
        if clash.exists():
            raise ValidationError({"slot": [_("该区域此岗位的%(slot)s已有人在岗") % {"slot": post.get_slot_display()}]})
    post.save()
    return post


@transaction.atomic
def end_post(*, post: Post, end: datetime.date) -> Post:
    if end < post.start:
        raise ValidationError({"end": [_("离任日期不能早于任职日期")]})
    post.end = end
    post.save(update_fields=["end"])
    return post


def _check_org_parent(kind: str, parent: Organization | None) -> None:
    allowed = ORG_PARENT_KINDS[kind]
    if not allowed:
        if parent is not None:
            raise ValidationError(_("街道党工委是顶级党组织,不能有上级"), code="root_with_parent")
        return
    if parent is None or parent.kind not in allowed:
        names = "、".join(str(OrgKind(k).label) for k in sorted(allowed))
        raise ValidationError(
            _("%(kind)s的上级必须是%(allowed)s"),
            code="bad_parent",
            params={"kind": OrgKind(kind).label, "allowed": names},
        )


# Community-level party organisations serve five-year terms (换届).
COMMUNITY_TERM_YEARS = 5


@transaction.atomic
def create_organization(
    *,
    kind: str,
    name: str,
    area: Area,
    parent: Organization | None = None,
    covers: list[Area] = (),
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
    property_company: Department | None = None,
    owners_committee: OwnersCommittee | None = None,
) -> Organization:
    _check_org_parent(kind, parent)
    if parent is not None:
        # One writer per street tree: django-mptt shifts lft/rght across it.
        Organization.objects.select_for_update().filter(tree_id=parent.tree_id, parent__isnull=True).first()
        parent.refresh_from_db()
    if term_start and term_end is None and kind in COMMUNITY_LEVEL_KINDS:
        term_end = term_start.replace(year=term_start.year + COMMUNITY_TERM_YEARS) - datetime.timedelta(days=1)
    organization = Organization(
        kind=kind,
        name=name,
        area=area,
        parent=parent,
        term_start=term_start,
        term_end=term_end,
        property_company=property_company,
        owners_committee=owners_committee,
    )
    organization.full_clean(exclude=["lft", "rght", "tree_id", "level"])
    organization.save()
    cover(organization=organization, areas=[area, *covers])
    return organization


ORGANIZATION_EDITABLE = frozenset({"name", "area", "term_start", "term_end", "property_company", "owners_committee"})


@transaction.atomic
def update_organization(*, organization: Organization, **changes) -> Organization:
    """Everything but the place in the tree (kind and parent)."""
    unknown = set(changes) - ORGANIZATION_EDITABLE
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(organization, name, value)
    organization.full_clean(exclude=["lft", "rght", "tree_id", "level"])
    organization.save(update_fields=sorted(changes))
    if "area" in changes:
        cover(organization=organization, areas=[organization.area])
    return organization


@transaction.atomic
def cover(*, organization: Organization, areas: list[Area]) -> None:
    """支部包片: add areas the organisation is responsible for."""
    Coverage.objects.bulk_create(
        [Coverage(organization=organization, area=area) for area in areas], ignore_conflicts=True
    )


@transaction.atomic
def register_member(*, member: PartyMember, households: list[Household] = ()) -> PartyMember:
    """Add a party member (an unsaved PartyMember), with the households they look after."""
    if member.resident_id and not member.name:
        member.name = member.resident.name
    member.full_clean()
    member.save()
    if households:
        member.households.add(*households)
    return member


@transaction.atomic
def award_points(*, member: PartyMember, on: datetime.date, points: int, reason: str) -> ServicePoints:
    entry = ServicePoints(member=member, on=on, points=points, reason=reason.strip())
    entry.full_clean()
    entry.save()
    return entry
