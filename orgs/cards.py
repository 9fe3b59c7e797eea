"""挂牌上岗: each grid's public card (its grid workers on their A/B posts, the 楼栋长, the sunk staff
and the party branch, each with photo, duties and a work number), and the write that keeps a
post's card. The card is read without a scope — residents see it on the building's QR page — so
it is built here from public fields only, into values that carry nothing else of a post or a
person (no resident, no account, no personal phone)."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.scoping import full_clean
from grids.models import Area, AreaKind
from orgs.models import COMMUNITY_LEVEL_KINDS, Organization, Post, PostCard, Role
from orgs.services import require_appointer

GRID_WORKER_ROLES = (Role.GRID_CHIEF, Role.GRID_GROUP_LEADER, Role.GRID_WORKER, Role.GRID_WORKER_PART_TIME)
BRANCH_ROLES = (Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.ORG_COMMITTEE_MEMBER)
CARD_ORDER = (*GRID_WORKER_ROLES, Role.SUNK_STAFF, Role.BUILDING_HEAD, *BRANCH_ROLES)
ROLE_ORDER = {role: n for n, role in enumerate(CARD_ORDER)}


@dataclass(frozen=True)
class Person:
    post_id: int
    name: str
    role: str
    slot: str
    where: str  # the building of a 楼栋长, the department of sunk staff
    duties: str
    phone: str
    has_photo: bool


@dataclass(frozen=True)
class Branch:
    name: str
    committee: list[Person]


@dataclass(frozen=True)
class GridCard:
    grid_id: int
    grid: str
    community: str
    workers: list[Person] = field(default_factory=list)
    building_heads: list[Person] = field(default_factory=list)
    sunk_staff: list[Person] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)

    @property
    def sections(self) -> list[tuple[str, list[Person]]]:
        return [(_("网格员"), self.workers), (_("下沉人员"), self.sunk_staff), (_("楼栋长"), self.building_heads)]

    @property
    def people(self) -> list[Person]:
        return [*self.workers, *self.sunk_staff, *self.building_heads, *(p for b in self.branches for p in b.committee)]


def _person(post: Post) -> Person:
    card = getattr(post, "card", None)
    where = post.department.name if post.role == Role.SUNK_STAFF and post.department else ""
    if post.role == Role.BUILDING_HEAD and post.area is not None:
        where = post.area.name
    return Person(
        post_id=post.pk,
        name=post.holder_name,
        role=post.get_role_display(),
        slot=post.get_slot_display(),
        where=where,
        duties=card.duties if card else "",
        phone=card.phone if card else "",
        has_photo=bool(card and card.photo),
    )


def grid_card(grid: Area, on: datetime.date | None = None) -> GridCard:
    """Three queries however many posts: the party branches over the grid, then every post on the
    card with its card, place and department."""
    on = on or timezone.localdate()
    community = grid.parent
    orgs = Organization.objects.unscoped("the party branches named on a grid's public card")
    orgs = list(
        orgs.filter(Q(area=grid) | Q(coverage__area=grid) | Q(area=community, kind__in=COMMUNITY_LEVEL_KINDS))
        .distinct()
        .order_by("level", "pk")
    )
    # The grid's own branch when it has one (支部建在网格上), else its community's.
    own = [o for o in orgs if o.area_id != community.pk or o.kind not in COMMUNITY_LEVEL_KINDS]
    orgs = own or orgs
    inside = Q(area__tree_id=grid.tree_id, area__lft__gte=grid.lft, area__lft__lte=grid.rght)
    on_card = (
        Q(area=grid, role__in=(*GRID_WORKER_ROLES, Role.SUNK_STAFF))
        | inside & Q(role=Role.BUILDING_HEAD, area__kind=AreaKind.BUILDING)
        | Q(organization__in=[o.pk for o in orgs], role__in=BRANCH_ROLES)
    )
    posts = Post.objects.unscoped("the posts on a grid's public card: public fields only")
    posts = (
        posts.active(on)
        .filter(on_card)
        .select_related("area", "department")
        .prefetch_related(Prefetch("card", queryset=PostCard.objects.unscoped("the cards of the posts on it")))
    )
    posts = sorted(posts, key=lambda p: (ROLE_ORDER.get(p.role, 99), p.area.lft if p.area else 0, p.slot, p.pk))
    card = GridCard(grid_id=grid.pk, grid=grid.name, community=community.name if community else "")
    committees = {o.pk: [] for o in orgs}
    for post in posts:
        person = _person(post)
        if post.organization_id in committees:
            committees[post.organization_id].append(person)
        elif post.role == Role.BUILDING_HEAD:
            card.building_heads.append(person)
        elif post.role == Role.SUNK_STAFF:
            card.sunk_staff.append(person)
        else:
            card.workers.append(person)
    card.branches.extend(Branch(o.name, committees[o.pk]) for o in orgs)
    return card


def grid_of(place: Area) -> Area | None:
    """The grid a building (or compound) is in, read from the tree without a query per level."""
    if place.kind == AreaKind.GRID:
        return place
    grids = Area.objects.unscoped("the grid above a building, for its public card")
    return (
        grids.filter(kind=AreaKind.GRID, tree_id=place.tree_id, lft__lt=place.lft, rght__gt=place.rght)
        .select_related("parent")
        .first()
    )


def card_photo(post_id: int, on: datetime.date | None = None):
    """The photo of a post on a card today, or None: public, like the card it is on."""
    on = on or timezone.localdate()
    found = PostCard.objects.unscoped("a photo shown on a grid's public card").filter(
        Q(post__end__isnull=True) | Q(post__end__gte=on), post_id=post_id, post__start__lte=on
    )
    card = found.exclude(photo="").first()
    return card.photo if card else None


def card_of(post: Post) -> PostCard | None:
    return PostCard.objects.unscoped("the card of the post in hand").filter(post=post).first()


@transaction.atomic
def set_post_card(
    *, actor, post: Post, duties: str, phone: str, photo: ContentFile | None = None, remove_photo: bool = False
) -> PostCard:
    """Who may appoint to the post keeps its card. `photo` is already re-encoded (cases.photos):
    the page that takes the upload cleans it, as for a case photo."""
    capacity = require_appointer(actor, post)
    if post.end is not None and post.end < timezone.localdate():
        raise ValidationError(_("该岗位已离任,不再挂牌"), code="ended")
    card = card_of(post) or PostCard(post=post)
    card.duties, card.phone = duties.strip(), phone.strip()
    fields = ["duties", "phone"]
    if photo is not None:
        card.photo = photo
        fields.append("photo")
    elif remove_photo and card.photo:
        card.photo.delete(save=False)
        fields.append("photo")
    full_clean(card, exclude=["post"])
    card.save()
    audit.record(actor=actor, action="post.card", target=post, fields=fields, capacity=capacity)
    return card
