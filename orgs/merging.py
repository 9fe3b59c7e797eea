"""What orgs moves when a place is merged into a neighbour (grids.merging sends area_merging).

Decisions (issue 14): every post held at the old place, ended ones too, is now held at the merged
place with its dates unchanged (the place it named is gone; the merge's record keeps its name).
An AB岗 holder cannot be moved onto a slot someone already holds there: the merge is refused with
the posts named, so whoever keeps the posts ends or hands one over first — a merge does not
decide who is A and who is B. Organisations seated at the old place are seated at the merged
one; what an organisation covered there, it covers there.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from orgs.models import Coverage, Organization, OwnersCommittee, Post


def move_area_holdings(sender, *, area, into, on, **kwargs) -> dict[str, int]:
    posts = Post.objects.unscoped("the posts of a place being merged").filter(area=area)
    taken = set(
        Post.objects.unscoped("which slots are held at the merged place")
        .active(on)
        .filter(area=into)
        .exclude(slot="")
        .values_list("role", "slot")
    )
    clashes = [p for p in posts.active(on).exclude(slot="") if (p.role, p.slot) in taken]
    if clashes:
        names = "、".join(f"{p.get_role_display()}{p.get_slot_display()}({p.holder_name})" for p in clashes)
        message = _("%(into)s已有人在岗:%(posts)s;请先结束或调整原区域的岗位") % {"into": into.name, "posts": names}
        raise ValidationError({"into": [message]}, code="slot_clash")
    moved_posts = posts.update(area=into)
    seats = Organization.objects.unscoped("organisations seated at a place being merged").filter(area=area)
    moved_seats = seats.update(area=into)
    coverage = Coverage.objects.filter(area=area)
    already = Coverage.objects.filter(area=into).values("organization")
    doubled = coverage.filter(organization__in=already).delete()[0]
    moved_coverage = coverage.update(area=into) + doubled
    committees = OwnersCommittee.objects.filter(compound=area).update(compound=into)
    return {"posts": moved_posts, "organizations": moved_seats, "coverage": moved_coverage, "committees": committees}
