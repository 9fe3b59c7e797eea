"""便民服务 pages (core.backoffice): the requests of the caller's stations, received at a window,
handed to a staff member, completed or refused; lists and histories for whoever sees the places."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.backoffice import Action, Column, ObjectPages
from core.capabilities import Capability
from core.masking import mask_phone
from grids import selectors as grid_selectors
from grids.models import AreaKind
from hall import forms, selectors, services
from hall.filters import RequestFilter


def _serves(scope, request) -> bool:
    return request.is_open and scope.capacity(Capability.HANDLE_IN_COMMUNITY, at=request.community) is not None


def _receive_form(scope, obj) -> dict:
    communities = selectors.communities(scope)
    buildings = grid_selectors.areas(scope).filter(kind=AreaKind.BUILDING).order_by("tree_id", "lft")
    return {"communities": communities, "items": selectors.items(), "buildings": buildings}


def _late(r) -> str:
    return str(gettext_lazy("超期")) if r.overdue() else ""


def _time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


DETAIL = [
    Column(gettext_lazy("服务事项"), lambda r: f"{r.item.category.name} · {r.item.name}"),
    Column(gettext_lazy("所需材料"), lambda r: r.item.documents),
    Column(gettext_lazy("社区"), lambda r: r.community.name),
    Column(gettext_lazy("楼栋"), lambda r: r.building.name if r.building else ""),
    Column(gettext_lazy("来源"), lambda r: r.get_source_display()),
    Column(gettext_lazy("申请人"), lambda r: r.applicant_name),
    # The number stays masked on the page: the window calls back from the record, not from a screen.
    Column(gettext_lazy("联系电话"), lambda r: mask_phone(r.applicant_phone or "")),
    Column(gettext_lazy("诉求说明"), lambda r: r.note),
    Column(gettext_lazy("受理时间"), lambda r: _time(r.received_at)),
    Column(gettext_lazy("办结时限"), lambda r: _time(r.due_at)),
    Column(gettext_lazy("窗口"), lambda r: r.window.name if r.window else ""),
    Column(gettext_lazy("经办人"), lambda r: (r.handler.get_full_name() or r.handler.username) if r.handler else ""),
    Column(gettext_lazy("状态"), lambda r: r.get_status_display()),
    Column(gettext_lazy("超期"), _late),
    Column(gettext_lazy("办理结果"), lambda r: r.result),
    Column(gettext_lazy("办结时间"), lambda r: _time(r.finished_at)),
]

REQUESTS = ObjectPages(
    namespace="hall",
    name="request",
    prefix="service-requests",
    title=gettext_lazy("便民服务办件"),
    rows=lambda scope: selectors.requests(scope).order_by("-received_at", "-id"),
    get=selectors.get_request,
    filterset=RequestFilter,
    columns=[
        Column(gettext_lazy("受理时间"), lambda r: _time(r.received_at), link=True),
        Column(gettext_lazy("服务事项"), lambda r: r.item.name),
        Column(gettext_lazy("申请人"), lambda r: r.applicant_name),
        Column(gettext_lazy("窗口"), lambda r: r.window.name if r.window else ""),
        Column(gettext_lazy("状态"), lambda r: r.get_status_display()),
        Column(gettext_lazy("办结时限"), lambda r: _time(r.due_at)),
        Column(gettext_lazy("超期"), _late),
    ],
    fields=DETAIL,
    create=Action(
        "new",
        gettext_lazy("窗口受理"),
        forms.ReceiveForm,
        perform=lambda *, actor, obj, data: services.receive_request(actor=actor, **data),
        allowed=lambda scope, obj: scope.may(Capability.HANDLE_IN_COMMUNITY) and scope.has_areas,
        form_kwargs=_receive_form,
        done=gettext_lazy("已受理,请分办或当场办结"),
    ),
    actions=[
        Action(
            "assign",
            gettext_lazy("分办"),
            forms.AssignForm,
            perform=lambda *, actor, obj, data: services.assign_request(actor=actor, request=obj, **data),
            allowed=_serves,
            form_kwargs=lambda scope, obj: {
                "staff": selectors.station_staff(obj.community),
                "windows": selectors.windows(scope).filter(community=obj.community, active=True),
            },
            initial=lambda r: {"handler": r.handler, "window": r.window},
            done=gettext_lazy("已分办,经办人的工作台会显示这件办件"),
        ),
        Action(
            "complete",
            gettext_lazy("办结"),
            forms.CompleteForm,
            perform=lambda *, actor, obj, data: services.complete_request(
                actor=actor, request=obj, result=data["result"]
            ),
            allowed=_serves,
            done=gettext_lazy("已办结"),
        ),
        Action(
            "refuse",
            gettext_lazy("不予办理"),
            forms.RefuseForm,
            perform=lambda *, actor, obj, data: services.refuse_request(
                actor=actor, request=obj, reason=data["reason"]
            ),
            allowed=_serves,
            done=gettext_lazy("已记录不予办理及理由"),
        ),
    ],
)
