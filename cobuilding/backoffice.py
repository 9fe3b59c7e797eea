"""The back office's pages for co-building (共驻共建), declared with core.backoffice: units with
their agreements and points ledger, and the shared resources with their bookings. Community staff
keep their community's records and street staff their street's (Capability.MANAGE_COMMUNITY)."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from cobuilding import forms, selectors, services
from cobuilding.filters import NeedFilter, ResourceFilter, UnitFilter
from cobuilding.models import (
    Agreement,
    CoBuildingUnit,
    JointMeeting,
    Need,
    NeedDirection,
    NeedStatus,
    ProjectStatus,
    Rating,
    ResourceBooking,
    ServiceProject,
    SharedResource,
    UnitPoints,
)
from core.backoffice import Action, Column, ObjectPages
from core.capabilities import Capability
from grids import selectors as grid_selectors
from grids.models import AreaKind


def manages(scope, community) -> bool:
    return scope.capacity(Capability.MANAGE_COMMUNITY, at=community) is not None


def _current(scope, unit) -> bool:
    return unit.ended_on is None and manages(scope, unit.community)


def _communities(scope):
    return grid_selectors.areas(scope).filter(kind=AreaKind.COMMUNITY)


# Units -----------------------------------------------------------------------------------------


def _register(*, actor, obj, data) -> CoBuildingUnit:
    return services.register_unit(actor=actor, unit=CoBuildingUnit(**data))


def _edit(*, actor, obj, data) -> CoBuildingUnit:
    for name, value in data.items():
        setattr(obj, name, value)
    return services.update_unit(actor=actor, unit=obj)


def _sign(*, actor, obj, data) -> CoBuildingUnit:
    services.sign_agreement(actor=actor, agreement=Agreement(unit=obj, community=obj.community, **data))
    return obj


def _end_agreement(*, actor, obj, data) -> CoBuildingUnit:
    services.end_agreement(actor=actor, agreement=data["agreement"], on=data["ended_on"], reason=data["end_reason"])
    return obj


def _award(*, actor, obj, data) -> CoBuildingUnit:
    services.award_unit_points(actor=actor, unit=obj, **data)
    return obj


def _correct(*, actor, obj, data) -> CoBuildingUnit:
    services.correct_unit_points(actor=actor, **data)
    return obj


def _rate(*, actor, obj, data) -> CoBuildingUnit:
    # 双向定级考核 (seed 002): the community rates the unit and the unit the community, once a year each.
    services.rate(actor=actor, rating=Rating(unit=obj, **data))
    return obj


def _correctable(obj):
    # Neither a counter-entry nor an entry already corrected: each wrong entry is put right once.
    return UnitPoints.objects.filter(unit=obj, corrects__isnull=True, correction__isnull=True).order_by("-on", "-id")


UNIT_FIELDS = ("name", "kind", "credit_code", "address", "contact", "phone", "email")

UNITS = ObjectPages(
    namespace="cobuilding",
    name="unit",
    prefix="cobuilding",
    title=_("共建单位"),
    rows=lambda scope: selectors.units(scope).order_by("community__tree_id", "community__lft", "name"),
    get=selectors.unit,
    detail_route="cobuilding:unit",
    filterset=UnitFilter,
    columns=[
        Column(_("单位名称"), lambda u: u.name),
        Column(_("单位类型"), lambda u: u.get_kind_display()),
        Column(_("共建社区"), lambda u: u.community.name),
        Column(_("量化积分"), lambda u: u.point_total),
        Column(_("退出日期"), lambda u: u.ended_on),
    ],
    create=Action(
        "new",
        _("登记共建单位"),
        forms.RegisterUnitForm,
        perform=_register,
        allowed=lambda scope, obj: scope.may(Capability.MANAGE_COMMUNITY),
        form_kwargs=lambda scope, obj: {"communities": _communities(scope)},
        done=_("共建单位已登记"),
    ),
    actions=[
        Action(
            "edit",
            _("修改信息"),
            forms.UnitForm,
            perform=_edit,
            allowed=_current,
            initial=lambda u: {name: getattr(u, name) for name in UNIT_FIELDS},
        ),
        Action(
            "agreement",
            _("签订协议"),
            forms.AgreementForm,
            perform=_sign,
            allowed=_current,
            done=_("协议已签订"),
        ),
        Action(
            "end_agreement",
            _("解除协议"),
            forms.EndAgreementForm,
            perform=_end_agreement,
            allowed=lambda scope, obj: manages(scope, obj.community),
            form_kwargs=lambda scope, obj: {
                "agreements": Agreement.objects.within(scope)
                .filter(unit=obj, ended_on__isnull=True)
                .select_related("unit")
            },
            done=_("协议已解除"),
        ),
        Action(
            "points",
            _("记录积分"),
            forms.AwardPointsForm,
            perform=_award,
            allowed=lambda scope, obj: manages(scope, obj.community),
            done=_("积分已记录"),
        ),
        Action(
            "correct_points",
            _("更正积分"),
            forms.CorrectPointsForm,
            perform=_correct,
            allowed=lambda scope, obj: manages(scope, obj.community),
            form_kwargs=lambda scope, obj: {"entries": _correctable(obj)},
            done=_("已记入更正记录"),
        ),
        Action(
            "rate",
            _("年度双向评价"),
            forms.RatingForm,
            perform=_rate,
            allowed=_current,
            done=_("评价已记录"),
        ),
        Action(
            "end",
            _("退出共建"),
            forms.EndUnitForm,
            perform=lambda *, actor, obj, data: services.end_unit(
                actor=actor, unit=obj, on=data["ended_on"], reason=data["end_reason"]
            ),
            allowed=_current,
            done=_("该单位已退出共建"),
        ),
    ],
)


# Shared resources and their bookings -----------------------------------------------------------


def _list_resource(*, actor, obj, data) -> SharedResource:
    return services.list_resource(actor=actor, resource=SharedResource(**data))


def _book(*, actor, obj, data) -> SharedResource:
    services.book_resource(actor=actor, booking=ResourceBooking(resource=obj, **data))
    return obj


def _cancel_booking(*, actor, obj, data) -> SharedResource:
    services.cancel_booking(actor=actor, booking=data["booking"], reason=data["cancel_reason"])
    return obj


def _cancellable(resource) -> bool:
    """Whether a live booking of a day still to come may be called off (read from the page's own
    prefetch, so offering the action costs no query)."""
    today = timezone.localdate()
    return any(b.cancelled_at is None and b.on >= today for b in resource.bookings.all())


def _cancelled(resource):
    """Called-off bookings, apart from the live ones and struck through, each with its reason."""
    return format_html_join(
        "; ",
        "<del>{} {}({})</del> {}",
        (
            (f"{b.on:%Y-%m-%d}", b.unit.name, b.purpose, _("取消原因:%(reason)s") % {"reason": b.cancel_reason})
            for b in resource.bookings.all()
            if b.cancelled_at is not None
        ),
    )


RESOURCES = ObjectPages(
    namespace="cobuilding",
    name="resource",
    prefix="resources",
    title=_("共治资源清单"),
    rows=lambda scope: selectors.resources(scope).select_related("community").order_by("community", "kind", "name"),
    get=selectors.get_resource,
    filterset=ResourceFilter,
    columns=[
        Column(_("名称"), lambda r: r.name),
        Column(_("类型"), lambda r: r.get_kind_display()),
        Column(_("社区"), lambda r: r.community.name),
        Column(_("提供单位"), lambda r: r.unit.name if r.unit else _("社区自有")),
        Column(_("收费方式"), lambda r: r.get_pricing_display()),
    ],
    fields=[
        Column(_("名称"), lambda r: r.name),
        Column(_("类型"), lambda r: r.get_kind_display()),
        Column(_("社区"), lambda r: r.community.name),
        Column(_("提供单位"), lambda r: r.unit.name if r.unit else _("社区自有")),
        Column(_("收费方式"), lambda r: r.get_pricing_display()),
        Column(_("说明"), lambda r: r.description),
        Column(
            _("预约"),
            lambda r: "; ".join(
                f"{b.on:%Y-%m-%d} {b.unit.name}({b.purpose})" for b in r.bookings.all() if b.cancelled_at is None
            ),
        ),
        Column(_("已取消的预约"), _cancelled),
    ],
    create=Action(
        "new",
        _("发布共享资源"),
        forms.ResourceForm,
        perform=_list_resource,
        allowed=lambda scope, obj: scope.may(Capability.MANAGE_COMMUNITY),
        form_kwargs=lambda scope, obj: {"communities": _communities(scope), "units": selectors.current_units(scope)},
        done=_("共享资源已发布"),
    ),
    actions=[
        Action(
            "book",
            _("预约"),
            forms.BookingForm,
            perform=_book,
            allowed=lambda scope, obj: manages(scope, obj.community),
            form_kwargs=lambda scope, obj: {
                "units": selectors.current_units(scope).filter(community=obj.community).order_by("name")
            },
            done=_("已预约"),
        ),
        Action(
            "cancel_booking",
            _("取消预约"),
            forms.CancelBookingForm,
            perform=_cancel_booking,
            allowed=lambda scope, obj: manages(scope, obj.community) and _cancellable(obj),
            form_kwargs=lambda scope, obj: {
                "bookings": ResourceBooking.objects.within(scope)
                .filter(resource=obj, cancelled_at__isnull=True, on__gte=timezone.localdate())
                .select_related("unit")
            },
            done=_("预约已取消,该日可再预约"),
        ),
    ],
)

# Needs, both directions (双向需求清单) ------------------------------------------------------------


def _raise(*, actor, obj, data) -> Need:
    return services.raise_need(actor=actor, need=Need(**data))


def _edit_need(*, actor, obj, data) -> Need:
    for name, value in data.items():
        setattr(obj, name, value)
    return services.update_need(actor=actor, need=obj)


def _open_of(direction):
    def allowed(scope, need) -> bool:
        return need.direction == direction and need.status == NeedStatus.OPEN and manages(scope, need.community)

    return allowed


NEEDS = ObjectPages(
    namespace="cobuilding",
    name="need",
    prefix="needs",
    title=_("双向需求清单"),
    rows=lambda scope: selectors.needs(scope).select_related("community", "raised_by"),
    get=selectors.get_need,
    filterset=NeedFilter,
    columns=[
        Column(_("需求"), lambda n: n.title),
        Column(_("需求方向"), lambda n: n.get_direction_display()),
        Column(_("社区"), lambda n: n.community.name),
        Column(_("提出单位"), lambda n: n.raised_by.name if n.raised_by else ""),
        Column(_("认领单位"), lambda n: n.claimed_by.name if n.claimed_by else ""),
        Column(_("状态"), lambda n: n.get_status_display()),
        Column(_("提出日期"), lambda n: n.raised_on),
    ],
    fields=[
        Column(_("需求方向"), lambda n: n.get_direction_display()),
        Column(_("社区"), lambda n: n.community.name),
        Column(_("提出单位"), lambda n: n.raised_by.name if n.raised_by else ""),
        Column(_("说明"), lambda n: n.description),
        Column(_("提出日期"), lambda n: n.raised_on),
        Column(_("状态"), lambda n: n.get_status_display()),
        Column(_("认领单位"), lambda n: n.claimed_by.name if n.claimed_by else ""),
        Column(_("认领日期"), lambda n: n.claimed_on),
        Column(_("社区回应"), lambda n: n.answer),
        Column(_("完成日期"), lambda n: n.done_on),
        Column(_("完成情况"), lambda n: n.result),
    ],
    create=Action(
        "new",
        _("提出需求"),
        forms.NeedForm,
        perform=_raise,
        allowed=lambda scope, obj: scope.may(Capability.MANAGE_COMMUNITY),
        form_kwargs=lambda scope, obj: {"communities": _communities(scope), "units": selectors.current_units(scope)},
        done=_("需求已登记"),
    ),
    actions=[
        Action(
            "edit",
            _("修改需求"),
            forms.NeedEditForm,
            perform=_edit_need,
            allowed=lambda scope, obj: obj.status != NeedStatus.DONE and manages(scope, obj.community),
            initial=lambda n: {"title": n.title, "description": n.description, "raised_on": n.raised_on},
        ),
        Action(
            "take",
            _("登记认领"),
            forms.ClaimForm,
            perform=lambda *, actor, obj, data: services.claim_need(
                actor=actor, need=obj, unit=data["unit"], on=timezone.localdate()
            ),
            allowed=_open_of(NeedDirection.COMMUNITY),
            form_kwargs=lambda scope, obj: {"scope": scope, "community": obj.community},
            done=_("已登记认领"),
        ),
        Action(
            "answer",
            _("社区回应"),
            forms.AnswerForm,
            perform=lambda *, actor, obj, data: services.answer_need(
                actor=actor, need=obj, on=timezone.localdate(), answer=data["answer"]
            ),
            allowed=_open_of(NeedDirection.UNIT),
            done=_("社区已回应"),
        ),
        Action(
            "finish",
            _("办结"),
            forms.CompleteForm,
            perform=lambda *, actor, obj, data: services.complete_need(
                actor=actor, need=obj, on=timezone.localdate(), result=data["result"]
            ),
            allowed=lambda scope, obj: obj.status == NeedStatus.CLAIMED and manages(scope, obj.community),
            done=_("需求已办结"),
        ),
    ],
)

# Joint meetings with attendance and decisions; service projects ---------------------------------

MEETING_PLACES = [AreaKind.STREET, AreaKind.TOWN, AreaKind.COMMUNITY, AreaKind.COMPOUND]


def _units_at(scope, meeting):
    """Who may be recorded present at the meeting: the current units of its place's communities,
    and those already recorded present, so a unit that has left since stays on the record."""
    area = meeting.area
    units = CoBuildingUnit.objects.within(scope).filter(
        community__tree_id=area.tree_id, community__lft__gte=area.lft, community__rght__lte=area.rght
    )
    return units.filter(Q(ended_on__isnull=True) | Q(pk__in=meeting.units.values("pk"))).select_related("community")


def _record_meeting(*, actor, obj, data) -> JointMeeting:
    units = data.pop("units")
    return services.record_meeting(actor=actor, meeting=JointMeeting(**data), units=units)


def _attendance(*, actor, obj, data) -> JointMeeting:
    obj.decisions = data["decisions"]
    return services.record_meeting(actor=actor, meeting=obj, units=data["units"])


MEETINGS = ObjectPages(
    namespace="cobuilding",
    name="meeting",
    prefix="meetings",
    title=_("党建联席会议"),
    rows=selectors.meetings,
    get=selectors.get_meeting,
    detail_route="cobuilding:meeting",
    columns=[
        Column(_("议题"), lambda m: m.title),
        Column(_("召开日期"), lambda m: m.held_on),
        Column(_("层级"), lambda m: m.get_level_display()),
        Column(_("区域"), lambda m: m.area.name),
    ],
    create=Action(
        "new",
        _("记录联席会议"),
        forms.MeetingForm,
        perform=_record_meeting,
        allowed=lambda scope, obj: scope.may(Capability.MANAGE_COMMUNITY),
        form_kwargs=lambda scope, obj: {
            "areas": grid_selectors.areas(scope).filter(kind__in=MEETING_PLACES),
            "units": selectors.current_units(scope),
        },
        done=_("联席会议已记录"),
    ),
    actions=[
        Action(
            "attendance",
            _("参会单位与议定事项"),
            forms.AttendanceForm,
            perform=_attendance,
            allowed=lambda scope, obj: manages(scope, obj.area),
            form_kwargs=lambda scope, obj: {"units": _units_at(scope, obj)},
            initial=lambda m: {"units": list(m.units.all()), "decisions": m.decisions},
        ),
    ],
)


def _plan_project(*, actor, obj, data) -> ServiceProject:
    return services.start_project(actor=actor, project=ServiceProject(**data))


PROJECTS = ObjectPages(
    namespace="cobuilding",
    name="project",
    prefix="projects",
    title=_("服务项目清单"),
    rows=lambda scope: selectors.projects(scope).select_related("community").order_by("community", "-starts_on"),
    get=lambda scope, pk: _get_project(scope, pk),
    columns=[
        Column(_("项目"), lambda p: p.title),
        Column(_("实施单位"), lambda p: p.unit.name),
        Column(_("社区"), lambda p: p.community.name),
        Column(_("状态"), lambda p: p.get_status_display()),
        Column(_("开始日期"), lambda p: p.starts_on),
    ],
    fields=[
        Column(_("实施单位"), lambda p: p.unit.name),
        Column(_("社区"), lambda p: p.community.name),
        Column(_("对应需求"), lambda p: p.need.title if p.need else ""),
        Column(_("状态"), lambda p: p.get_status_display()),
        Column(_("开始日期"), lambda p: p.starts_on),
        Column(_("完成日期"), lambda p: p.finished_on),
        Column(_("实施成效"), lambda p: p.outcome),
    ],
    create=Action(
        "new",
        _("新建服务项目"),
        forms.ProjectForm,
        perform=_plan_project,
        allowed=lambda scope, obj: scope.may(Capability.MANAGE_COMMUNITY),
        form_kwargs=lambda scope, obj: {
            "communities": _communities(scope),
            "units": selectors.current_units(scope),
            "needs": selectors.needs(scope).exclude(status=NeedStatus.DONE).select_related(None),
        },
        done=_("服务项目已登记"),
    ),
    actions=[
        Action(
            "begin",
            _("开始实施"),
            forms.BeginProjectForm,
            perform=lambda *, actor, obj, data: services.begin_project(actor=actor, project=obj, on=data["on"]),
            allowed=lambda scope, obj: obj.status == ProjectStatus.PLANNED and manages(scope, obj.community),
            done=_("项目已开始实施"),
        ),
        Action(
            "finish",
            _("项目完成"),
            forms.FinishProjectForm,
            perform=lambda *, actor, obj, data: services.finish_project(
                actor=actor, project=obj, on=data["finished_on"], outcome=data["outcome"]
            ),
            allowed=lambda scope, obj: obj.status == ProjectStatus.ONGOING and manages(scope, obj.community),
            done=_("项目已完成"),
        ),
    ],
)


def _get_project(scope, pk: int) -> ServiceProject:
    found = selectors.projects(scope).select_related("community").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


PAGES = [UNITS, RESOURCES, NEEDS, MEETINGS, PROJECTS]
