"""Writes to departments, posts and party organisations; the party roll's are in orgs.member_services
(re-exported at the end of this module)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.capabilities import Capability
from core.scope import ADMIN, SYSTEM, SYSTEM_CAPACITY, covers_area, forget, scope_for
from core.scoping import full_clean
from core.sessions import end_sessions
from grids.access import require_unrestricted
from grids.models import Area, AreaKind
from orgs.models import (
    COMMUNITY_LEVEL_KINDS,
    ORG_PARENT_KINDS,
    Coverage,
    Department,
    HandOver,
    Organization,
    OrgKind,
    OwnersCommittee,
    Post,
    Role,
    Slot,
)

# Posts follow the organisation chain (require_appointer), and so do party organisations
# (require_org_keeper) and the party roll (orgs.member_services).


# The org chain: a post held at a place of the key's kind appoints at places of these kinds inside it.
APPOINTS_AT = {
    AreaKind.COMMUNITY: {AreaKind.GRID, AreaKind.COMPOUND, AreaKind.BUILDING},
    AreaKind.STREET: {AreaKind.COMMUNITY},
    AreaKind.TOWN: {AreaKind.COMMUNITY},
    AreaKind.DISTRICT: {AreaKind.STREET, AreaKind.TOWN},
    AreaKind.COUNTY: {AreaKind.STREET, AreaKind.TOWN},
    AreaKind.COUNTY_CITY: {AreaKind.STREET, AreaKind.TOWN},
}


_PARTY_POSTS = {
    Role.SECRETARY,
    Role.DEPUTY_SECRETARY,
    Role.ORG_COMMITTEE_MEMBER,
    Role.GROUP_LEADER,
    Role.CO_BUILDING_SECRETARY,
}
_GRID_POSTS = {
    Role.GRID_WORKER,
    Role.GRID_WORKER_PART_TIME,
    Role.GRID_CHIEF,
    Role.GRID_GROUP_LEADER,
    Role.BUILDING_HEAD,
    Role.UNIT_HEAD,
    Role.SUNK_STAFF,
}
_COMMUNITY_POSTS = {
    Role.COMMUNITY_STAFF,
    Role.COMMITTEE_MEMBER,
    Role.STATION_HEAD,
    Role.WINDOW_STAFF,
    Role.RC_DIRECTOR,
    Role.RC_MEMBER,
}
# The roles the chain may give at each kind of place. The district's own posts (指挥中心, 领导,
# 财政) and the departments' are the admin's: an appointer never hands out more than the chain's.
APPOINTABLE_ROLES = {
    AreaKind.GRID: _GRID_POSTS | _PARTY_POSTS,
    AreaKind.COMPOUND: _GRID_POSTS | _PARTY_POSTS,
    AreaKind.BUILDING: _GRID_POSTS | _PARTY_POSTS,
    AreaKind.COMMUNITY: _COMMUNITY_POSTS | _PARTY_POSTS,
    AreaKind.STREET: {Role.STREET_STAFF} | _PARTY_POSTS,
    AreaKind.TOWN: {Role.STREET_STAFF} | _PARTY_POSTS,
}


def post_place(post: Post) -> Area | None:
    return post.area if post.area_id else (post.organization.area if post.organization_id else None)


def appointer_capacity(scope, place: Area) -> str | None:
    """Community staff appoint in their community (grids, compounds, buildings), street staff at
    its communities, district staff at its streets; None if no post of the user's may."""
    if scope.unrestricted:
        return SYSTEM_CAPACITY if scope.user is SYSTEM else ADMIN
    for held in scope.posts:
        if Capability.APPOINT_POSTS not in scope.role_capabilities.get(held.role, ()) or not held.area_id:
            continue
        if place.kind in APPOINTS_AT.get(held.area.kind, ()) and scope.covers(place) and _inside(held.area, place):
            return held.role
    return None


def _inside(top: Area, area: Area) -> bool:
    return top.tree_id == area.tree_id and top.lft < area.lft and area.rght < top.rght


def require_appointer(actor, post: Post) -> str:
    """See appointer_capacity; a department's posts are the admin's."""
    place = post_place(post)
    if place is None:
        return require_unrestricted(actor)
    capacity = appointer_capacity(scope_for(actor), place)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能任免这一级的岗位"))
    return capacity


POST_FIELDS = ["user", "holder_name", "resident", "role", "area", "department", "organization", "slot", "start", "end"]


def _set(obj, names) -> list[str]:
    """The names of the fields given a value, for the audit entry."""
    return [name for name in names if getattr(obj, f"{name}_id", getattr(obj, name, None)) not in (None, "")]


@transaction.atomic
def appoint(*, actor, post: Post) -> Post:
    """Put someone in a post (an unsaved Post with its fields set)."""
    capacity = require_appointer(actor, post)
    place = post_place(post)
    if capacity not in (ADMIN, SYSTEM_CAPACITY) and post.role not in APPOINTABLE_ROLES.get(place.kind, ()):
        raise ValidationError(
            {
                "role": [
                    _("%(kind)s不能由您任命为“%(role)s”")
                    % {"kind": place.get_kind_display(), "role": post.get_role_display()}
                ]
            },
            code="role_not_appointable",
        )
    if post.user_id and not post.holder_name:
        post.holder_name = post.user.get_full_name() or post.user.get_username()
    if post.start and post.end and post.end < post.start:
        raise ValidationError({"end": [_("离任日期不能早于任职日期")]}, code="ends_before_start")
    full_clean(post)
    _lock_seat(post)
    _refuse_the_same_post_twice(post)
    if post.slot and post.area_id:
        clash = (
            Post.objects.unscoped("a slot clash says only that the slot is taken")
            .active(post.start)
            .filter(area=post.area, role=post.role, slot=post.slot)
            .exclude(pk=post.pk)
        )
        if clash.exists():
            raise ValidationError({"slot": [_("该区域此岗位的%(slot)s已有人在岗") % {"slot": post.get_slot_display()}]})
    if post.role in SINGLE_HOLDER_ROLES and post.organization_id:
        _refuse_a_second_holder(post)
    post.save()
    if post.user_id:
        forget(post.user)  # their scope follows their posts
    audit.record(actor=actor, action="orgs.appoint", target=post, fields=_set(post, POST_FIELDS), capacity=capacity)
    return post


def _lock_seat(post: Post) -> None:
    """Appointments to one place (department, organisation) wait for each other, so the checks
    below hold for two submitted at once (a double-click, two staff)."""
    seat = post.area or post.department or post.organization
    if seat is not None:
        type(seat).objects.lock(seat)


def _overlapping(posts, post: Post):
    """The posts whose dates overlap the new one's."""
    posts = posts.filter(Q(end__isnull=True) | Q(end__gte=post.start))
    return posts.filter(start__lte=post.end) if post.end else posts


def _refuse_the_same_post_twice(post: Post) -> None:
    """One person holds one post of a role at one place once: the same appointment again is refused."""
    same = Post.objects.unscoped("whether this person already holds the post").filter(
        role=post.role, area_id=post.area_id, department_id=post.department_id, organization_id=post.organization_id
    )
    if post.user_id:
        same = same.filter(user_id=post.user_id)
    else:
        same = same.filter(user__isnull=True, holder_name=post.holder_name)
    if _overlapping(same.exclude(pk=post.pk), post).exists():
        raise ValidationError(
            {"holder_name": [_("%(name)s已在此岗位任职,任期重叠") % {"name": post.holder_name}]}, code="already_in_post"
        )


# An organisation has one secretary (and a party group one leader) at a time; deputies and
# committee members may be several.
SINGLE_HOLDER_ROLES = {Role.SECRETARY, Role.GROUP_LEADER}


def _refuse_a_second_holder(post: Post) -> None:
    beside = Post.objects.unscoped("the holder beside a post being appointed in scope").filter(
        organization_id=post.organization_id, role=post.role
    )
    if _overlapping(beside.exclude(pk=post.pk), post).exists():
        raise ValidationError(
            {"role": [_("该党组织在这期间已有在任的%(role)s,请先办理离任") % {"role": post.get_role_display()}]},
            code="second_holder",
        )


@transaction.atomic
def end_post(*, actor, post: Post, end: datetime.date) -> Post:
    capacity = require_appointer(actor, post)
    if end < post.start:
        raise ValidationError({"end": [_("离任日期不能早于任职日期")]})
    post.end = end
    post.save(update_fields=["end"])
    if post.user_id:
        forget(post.user)
        _end_sessions_if_postless(post)
    audit.record(actor=actor, action="orgs.end_post", target=post, fields=["end"], capacity=capacity)
    return post


@transaction.atomic
def hand_over(*, actor, post: Post, start: datetime.date, end: datetime.date, reason: str) -> HandOver:
    """AB岗: the B slot of the same role and place takes the A post over from start to end."""
    capacity = require_appointer(actor, post)
    if post.slot != Slot.A or not post.area_id:
        raise ValidationError(_("只有网格的A岗可以交由B岗代岗"), code="not_a_slot")
    if end < start:
        raise ValidationError({"end": [_("代岗结束日期不能早于开始日期")]}, code="ends_before_start")
    if start < post.start or (post.end is not None and end > post.end):
        raise ValidationError({"start": [_("代岗期间须在A岗任职期内")]}, code="outside_term")
    backup = (
        Post.objects.unscoped("the B slot beside a post in scope")
        .active(start)
        .filter(area_id=post.area_id, role=post.role, slot=Slot.B)
        .first()
    )
    if backup is None:
        raise ValidationError({"start": [_("该岗位这一天没有在岗的B岗")]}, code="no_backup")
    handing = HandOver(post=post, to=backup, start=start, end=end, reason=reason.strip())
    full_clean(handing)
    handing.save()
    audit.record(
        actor=actor,
        action="orgs.hand_over",
        target=post,
        fields=["hand_overs.to", "hand_overs.start", "hand_overs.end", "hand_overs.reason"],
        capacity=capacity,
    )
    return handing


def _end_sessions_if_postless(post: Post) -> None:
    # Someone who has left their last post keeps no signed-in session; a post ending on a later
    # day leaves them signed in until then (their scope lapses with it).
    if post.end > timezone.localdate():
        return
    others = Post.objects.unscoped("a user's own posts").active().filter(user_id=post.user_id).exclude(pk=post.pk)
    if not others.exists():
        end_sessions(post.user)


def org_keeper_capacity(scope, seat: Area) -> str | None:
    """Who keeps an organisation seated at `seat`: a post allowed to keep party organisations at a
    place strictly above it (community staff their community's branches and groups, street staff
    their street's tree with its community committees, district staff every street's); None if
    no post of the user's may."""
    if scope.unrestricted:
        return SYSTEM_CAPACITY if scope.user is SYSTEM else ADMIN
    for held in scope.posts:
        if Capability.KEEP_PARTY_ORGS not in scope.role_capabilities.get(held.role, ()) or not held.area_id:
            continue
        if _inside(held.area, seat):
            return held.role
    return None


def require_org_keeper(actor, seat: Area) -> str:
    capacity = org_keeper_capacity(scope_for(actor), seat)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能维护这一级的党组织"))
    return capacity


def _check_org_parent(kind: str, parent: Organization | None) -> None:
    allowed = ORG_PARENT_KINDS[kind]
    if not allowed:
        if parent is not None:
            raise ValidationError(
                {"parent": [_("街道党工委是顶级党组织,不能有上级")]},
                code="root_with_parent",
            )
        return
    if parent is None or parent.kind not in allowed:
        names = "、".join(str(OrgKind(k).label) for k in sorted(allowed))
        raise ValidationError(
            {
                "parent": [
                    ValidationError(
                        _("%(kind)s的上级必须是%(allowed)s"),
                        code="bad_parent",
                        params={"kind": OrgKind(kind).label, "allowed": names},
                    )
                ]
            }
        )


# Where the levels of the tree sit: a 街道党工委 at its street (or town), a community's own
# organisation at its community. The branches below may sit at any place inside their parent's.
SEAT_KINDS = {
    OrgKind.STREET_WORKING_COMMITTEE: {AreaKind.STREET, AreaKind.TOWN},
    **{kind: {AreaKind.COMMUNITY} for kind in COMMUNITY_LEVEL_KINDS},
}


def _check_seat_kind(kind: str, area: Area) -> None:
    allowed = SEAT_KINDS.get(kind)
    if allowed and area.kind not in allowed:
        places = str(_("或")).join(str(AreaKind(k).label) for k in sorted(allowed))
        raise ValidationError(
            {"area": [_("%(kind)s须设在%(places)s") % {"kind": OrgKind(kind).label, "places": places}]},
            code="bad_seat",
        )


def _check_seat_under_parent(area: Area, parent: Organization) -> None:
    # Read afresh: an area in hand may predate inserts that shifted its tree's lft/rght.
    fresh = Area.objects.unscoped("the tree fields of two areas in hand").in_bulk([area.pk, parent.area_id])
    seat, top = fresh[area.pk], fresh[parent.area_id]
    if not covers_area(top, seat):
        raise ValidationError({"area": [_("所在区域须在上级党组织所在区域之内")]}, code="outside_parent")


def _check_term(term_start: datetime.date | None, term_end: datetime.date | None) -> None:
    # The model's constraint says the same, but a constraint's message names no field.
    if term_start and term_end and term_end <= term_start:
        raise ValidationError({"term_end": [_("任期止必须晚于任期起")]}, code="term_ends_before_start")


# Community-level party organisations serve five-year terms (换届).
COMMUNITY_TERM_YEARS = 5


def _years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February, in a year without one, becomes 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


@transaction.atomic
def create_organization(
    *,
    actor,
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
    capacity = require_org_keeper(actor, area)
    _check_org_parent(kind, parent)
    _check_seat_kind(kind, area)
    for covered in covers:
        require_org_keeper(actor, covered)
    if parent is not None:
        # One writer per street tree: django-mptt shifts lft/rght across it.
        Organization.objects.unscoped("a lock on the tree's root, read for nothing else").select_for_update().filter(
            tree_id=parent.tree_id, parent__isnull=True
        ).first()
        parent.refresh_from_db()
        _check_seat_under_parent(area, parent)
    if term_start and term_end is None and kind in COMMUNITY_LEVEL_KINDS:
        term_end = _years_after(term_start, COMMUNITY_TERM_YEARS) - datetime.timedelta(days=1)
    _check_term(term_start, term_end)
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
    full_clean(organization, exclude=["lft", "rght", "tree_id", "level"])
    organization.save()
    _cover(organization, [area, *covers])
    fields = _set(organization, ["kind", "name", "area", "parent", *sorted(ORGANIZATION_EDITABLE - {"name", "area"})])
    audit.record(
        actor=actor,
        action="orgs.create_organization",
        target=organization,
        fields=[*fields, "covers"],
        capacity=capacity,
    )
    return organization


ORGANIZATION_EDITABLE = frozenset({"name", "area", "term_start", "term_end", "property_company", "owners_committee"})


@transaction.atomic
def update_organization(*, actor, organization: Organization, **changes) -> Organization:
    """Everything but the place in the tree (kind and parent). The seat is compared with the one
    stored, not the object's: admin sets the new one on the object before saving."""
    unknown = set(changes) - ORGANIZATION_EDITABLE
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    stored = Organization.objects.reread(organization).select_related("area").get()
    capacity = require_org_keeper(actor, stored.area)
    if "area" in changes and changes["area"] != stored.area:
        require_org_keeper(actor, changes["area"])
        _check_seat_kind(organization.kind, changes["area"])
        if stored.parent_id is not None:
            _check_seat_under_parent(changes["area"], stored.parent)
    _check_term(changes.get("term_start", organization.term_start), changes.get("term_end", organization.term_end))
    for name, value in changes.items():
        setattr(organization, name, value)
    full_clean(organization, exclude=["lft", "rght", "tree_id", "level"])
    organization.save(update_fields=sorted(changes))
    if "area" in changes:
        _cover(organization, [organization.area])
    audit.record(actor=actor, action="orgs.update_organization", target=organization, fields=changes, capacity=capacity)
    return organization


@transaction.atomic
def cover(*, actor, organization: Organization, areas: list[Area]) -> None:
    """支部包片: add areas the organisation is responsible for (each one the actor's to give)."""
    capacity = require_org_keeper(actor, organization.area)
    for area in areas:
        require_org_keeper(actor, area)
    _cover(organization, areas)
    audit.record(actor=actor, action="orgs.cover", target=organization, fields=["covers"], capacity=capacity)


def _cover(organization: Organization, areas: list[Area]) -> None:
    Coverage.objects.bulk_create(
        [Coverage(organization=organization, area=area) for area in areas], ignore_conflicts=True
    )


# The party roll's writes (register, transfer, 双报到, points, 包户) live in orgs/member_services.py;
# the two every caller already knows by this module's name stay importable from here.
from orgs.member_services import award_points, register_member  # noqa: E402, F401
