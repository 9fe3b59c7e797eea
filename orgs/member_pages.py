"""The back office's pages for the party roll, declared with core.backoffice: the list with its
filters, the member's page (resident masked, transfers, the points ledger with its running total,
the households they look after), register, edit, transfer, 双报到, points, 包户 and history."""

from django.contrib.auth.decorators import login_required
from django.db.models import IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.backoffice import Action, Column, ObjectPages
from core.capabilities import Capability
from grids import selectors as grid_selectors
from orgs import member_forms as forms
from orgs import member_services as services
from orgs.models import MemberKind, Organization, PartyMember, ServicePoints

# Selectors ---------------------------------------------------------------------------------------


def _points_total() -> Coalesce:
    summed = (
        ServicePoints.objects.filter(member=OuterRef("pk"))
        .order_by()
        .values("member")
        .annotate(total=Sum("points"))
        .values("total")
    )
    return Coalesce(Subquery(summed, output_field=IntegerField()), Value(0))


def member_rows(scope):
    return (
        PartyMember.objects.within(scope)
        .select_related("organization")
        .annotate(point_total=_points_total())
        .order_by("organization__name", "name", "pk")
    )


def get_member(scope, pk: int) -> PartyMember:
    member = (
        PartyMember.objects.within(scope)
        .select_related("organization__area", "resident__household__building", "co_building_unit")
        .filter(pk=pk)
        .first()
    )
    if member is None:
        raise Http404
    return member


def keepable_organizations(scope):
    """The organisations whose roll the caller keeps: under the places of their keeping posts."""
    found = Organization.objects.within(scope).select_related("area").order_by("tree_id", "lft")
    if scope.unrestricted:
        return found
    places = Q(pk__in=[])
    for post in scope.posts:
        if post.area_id and Capability.KEEP_PARTY_MEMBERS in scope.role_capabilities.get(post.role, ()):
            area = post.area
            places |= Q(area__tree_id=area.tree_id, area__lft__gte=area.lft, area__lft__lte=area.rght)
    return found.filter(places)


def _co_building_units(scope, member: PartyMember):
    # The room above keeps co-building units; its model is reached through the field, not imported.
    units = PartyMember._meta.get_field("co_building_unit").related_model.objects.within(scope)
    seat = member.organization.area
    # A unit that has left is offered no more, except to the member already reported to it.
    here = units.filter(community__tree_id=seat.tree_id, community__lft__lte=seat.lft, community__rght__gte=seat.lft)
    return here.filter(Q(ended_on__isnull=True) | Q(pk=member.co_building_unit_id)).order_by("name")


def ledger(member: PartyMember) -> list[tuple[ServicePoints, int]]:
    """Each entry, oldest first, with the total after it."""
    total, rows = 0, []
    for entry in member.points.select_related("corrects").order_by("on", "id"):
        total += entry.points
        rows.append((entry, total))
    return rows


# Who may ------------------------------------------------------------------------------------------


def _keeps(scope, member: PartyMember) -> bool:
    return member.left_on is None and services.may_keep_members(scope, member.organization)


def _keeps_in_service(scope, member: PartyMember) -> bool:
    return member.kind == MemberKind.IN_SERVICE and _keeps(scope, member)


def _may_transfer(scope, member: PartyMember) -> bool:
    if member.left_on is not None:  # back into the district: whoever keeps a roll here
        return scope.may(Capability.KEEP_PARTY_MEMBERS)
    return _keeps(scope, member)


# Writes -------------------------------------------------------------------------------------------


def _register(*, actor, obj, data) -> PartyMember:
    transferred_from = data.pop("transferred_from")
    member = PartyMember(**data)
    return services.register_member(actor=actor, member=member, transferred_from=transferred_from)


def _transfer(*, actor, obj, data) -> PartyMember:
    return services.transfer_member(actor=actor, member=obj, **data).member


def _award(*, actor, obj, data) -> PartyMember:
    return services.award_points(actor=actor, member=obj, **data).member


def _correct(*, actor, obj, data) -> PartyMember:
    return services.correct_points(actor=actor, entry=data["entry"], reason=data["reason"]).member


def _unassign(*, actor, obj, data) -> PartyMember:
    return services.unassign_households(actor=actor, member=obj, households=list(data["households"]))


def _assign(*, actor, obj, data) -> PartyMember:
    return services.assign_households(actor=actor, member=obj, households=list(data["households"]))


def _open_entries(member: PartyMember):
    # An entry not itself a correction and not yet corrected.
    return member.points.filter(corrects__isnull=True, corrected_by__isnull=True).order_by("-on", "-id")


def _households_to_assign(scope, member: PartyMember):
    # A choice list: the households themselves, not households_under's head counts (a GROUP BY
    # over every household of the seat that no option shows).
    area = member.organization.area
    return (
        grid_selectors.households(scope)
        .filter(building__tree_id=area.tree_id, building__lft__gte=area.lft, building__lft__lte=area.rght)
        .select_related("building")
        .exclude(pk__in=member.households.values("pk"))
        .order_by("building__lft", "unit", "floor", "room")
    )


def _destinations(scope, member: PartyMember):
    found = keepable_organizations(scope)
    # One who left may come back to their last organisation; one on its roll moves elsewhere.
    return found if member.left_on is not None else found.exclude(pk=member.organization_id)


def _in_roll(member: PartyMember) -> str:
    if member.left_on is None:
        return str(_("在册"))
    return str(_("%(on)s 转往 %(to)s")) % {"on": member.left_on, "to": member.left_to}


MEMBERS = ObjectPages(
    namespace="orgs",
    name="member",
    prefix="orgs/members",
    title=_("党员名册"),
    rows=member_rows,
    get=get_member,
    detail_route="orgs:member",
    filterset=forms.MemberFilter,
    columns=[
        Column(_("姓名"), lambda m: m.name),
        Column(_("所在党组织"), lambda m: m.organization.name),
        Column(_("党员类别"), lambda m: m.get_status_display()),
        Column(_("管理类型"), lambda m: m.get_kind_display()),
        Column(_("双报到"), lambda m: m.reported_on),
        Column(_("积分"), lambda m: m.point_total if m.kind == MemberKind.IN_SERVICE else ""),
        Column(_("在册"), _in_roll),
    ],
    create=Action(
        "new",
        _("登记党员"),
        forms.MemberForm,
        perform=_register,
        allowed=lambda scope, obj: scope.may(Capability.KEEP_PARTY_MEMBERS),
        form_kwargs=lambda scope, obj: {"scope": scope, "organizations": keepable_organizations(scope)},
        done=_("党员已登记"),
    ),
    actions=[
        Action(
            "edit",
            _("修改"),
            forms.MemberEditForm,
            perform=lambda *, actor, obj, data: services.update_member(actor=actor, member=obj, **data),
            allowed=_keeps,
            initial=lambda m: {
                "name": m.name,
                "status": m.status,
                "kind": m.kind,
                "joined": m.joined,
                "work_unit": m.work_unit,
            },
        ),
        Action(
            "transfer",
            _("组织关系转接"),
            forms.TransferForm,
            perform=_transfer,
            allowed=_may_transfer,
            form_kwargs=lambda scope, obj: {"organizations": _destinations(scope, obj)},
            done=_("组织关系已转接"),
        ),
        Action(
            "dual",
            _("双报到"),
            forms.DualReportForm,
            perform=lambda *, actor, obj, data: services.report_dual(actor=actor, member=obj, **data),
            allowed=_keeps_in_service,
            form_kwargs=lambda scope, obj: {"units": _co_building_units(scope, obj)},
            initial=lambda m: {
                "work_unit": m.work_unit,
                "co_building_unit": m.co_building_unit_id,
                "reported_on": m.reported_on,
            },
            done=_("双报到已登记"),
        ),
        Action(
            "points",
            _("记积分"),
            forms.PointsForm,
            perform=_award,
            allowed=_keeps_in_service,
            done=_("积分已记入"),
        ),
        Action(
            "correct",
            _("更正积分"),
            forms.CorrectPointsForm,
            perform=_correct,
            allowed=lambda scope, obj: _keeps_in_service(scope, obj) and _open_entries(obj).exists(),
            form_kwargs=lambda scope, obj: {"entries": _open_entries(obj)},
            done=_("已记入更正"),
        ),
        Action(
            "assign",
            _("包联住户"),
            forms.HouseholdsForm,
            perform=_assign,
            allowed=_keeps,
            form_kwargs=lambda scope, obj: {"households": _households_to_assign(scope, obj)},
            done=_("已包联"),
        ),
        Action(
            "unassign",
            _("取消包联"),
            forms.HouseholdsForm,
            perform=_unassign,
            allowed=lambda scope, obj: _keeps(scope, obj) and obj.households.exists(),
            form_kwargs=lambda scope, obj: {"households": obj.households.select_related("building")},
            done=_("已取消包联"),
        ),
    ],
)


@login_required
def member_detail(request, pk: int):
    scope = request.scope
    member = get_member(scope, pk)
    resident = member.resident
    return render(
        request,
        "orgs/members/detail.html",
        {
            "member": member,
            "pages": MEMBERS,
            "resident": resident,
            # The household page opens only inside the viewer's places.
            "resident_household_open": resident is not None and scope.covers(resident.household.building),
            "households": list(member.households.select_related("building").order_by("building__lft", "room")),
            "transfers": list(member.transfers.select_related("from_organization", "to_organization")),
            "ledger": ledger(member)[::-1],
            "links": MEMBERS.links(scope, member),
        },
    )
