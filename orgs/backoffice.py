"""The back office's pages for posts (who holds which role where), declared with core.backoffice."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from core.backoffice import Action, Column, ObjectPages
from core.capabilities import Capability
from grids import selectors as grid_selectors
from grids.models import AreaKind
from orgs import forms, services
from orgs.filters import PostFilter
from orgs.models import Post, Slot

# Where posts are appointed from a page: the places of the area roles (a department's posts and
# a party organisation's committee are appointed elsewhere).
POST_PLACES = [AreaKind.STREET, AreaKind.TOWN, AreaKind.COMMUNITY, AreaKind.GRID, AreaKind.COMPOUND, AreaKind.BUILDING]


def _rows(scope):
    return Post.objects.within(scope).select_related("area", "organization", "department").order_by("-start", "-pk")


def _get(scope, pk: int) -> Post:
    post = _rows(scope).prefetch_related("hand_overs__to").filter(pk=pk).first()
    if post is None:
        raise Http404
    return post


def _may_appoint_at(scope, post: Post) -> bool:
    place = services.post_place(post)
    return place is not None and services.appointer_capacity(scope, place) is not None


def _appoint(*, actor, obj, data) -> Post:
    user = data.pop("username")
    return services.appoint(actor=actor, post=Post(user=user, **data))


POSTS = ObjectPages(
    namespace="orgs",
    name="post",
    prefix="posts",
    title=_("岗位任职"),
    rows=_rows,
    get=_get,
    filterset=PostFilter,
    columns=[
        Column(_("姓名"), lambda p: p.holder_name),
        Column(_("岗位"), lambda p: p.get_role_display() + (f"({p.slot})" if p.slot else "")),
        Column(_("区域"), lambda p: p.area or p.organization or p.department),
        Column(_("任职日期"), lambda p: p.start),
        Column(_("离任日期"), lambda p: p.end),
    ],
    fields=[
        Column(_("姓名"), lambda p: p.holder_name),
        Column(_("岗位"), lambda p: p.get_role_display()),
        Column(_("AB岗"), lambda p: p.get_slot_display()),
        Column(_("区域"), lambda p: p.area or p.organization or p.department),
        Column(_("任职日期"), lambda p: p.start),
        Column(_("离任日期"), lambda p: p.end),
        Column(
            _("代岗记录"),
            lambda p: "; ".join(f"{h.to.holder_name} {h.start}–{h.end} {h.reason}" for h in p.hand_overs.all()),
        ),
    ],
    create=Action(
        "new",
        _("任命"),
        forms.AppointForm,
        perform=_appoint,
        allowed=lambda scope, obj: scope.may(Capability.APPOINT_POSTS),
        form_kwargs=lambda scope, obj: {"areas": grid_selectors.areas(scope).filter(kind__in=POST_PLACES)},
        done=_("已任命"),
    ),
    actions=[
        Action(
            "end",
            _("离任"),
            forms.EndPostForm,
            perform=lambda *, actor, obj, data: services.end_post(actor=actor, post=obj, end=data["end"]),
            allowed=lambda scope, obj: obj.end is None and _may_appoint_at(scope, obj),
            done=_("已离任"),
        ),
        Action(
            "hand_over",
            _("B岗代岗"),
            forms.HandOverForm,
            perform=lambda *, actor, obj, data: services.hand_over(actor=actor, post=obj, **data).post,
            allowed=lambda scope, obj: obj.slot == Slot.A and obj.end is None and _may_appoint_at(scope, obj),
            done=_("已安排B岗代岗"),
        ),
    ],
)
