"""入户走访 pages: logging a visit at the door (a phone page), the households due one, the visit's
photo, and the visit plans' back office (core.backoffice)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import forms, services, visits
from cases.filters import VisitRuleFilter
from cases.models import VISIT_RULE_KINDS
from core.backoffice import Action, Column, ObjectPages, add_errors
from core.capabilities import Capability
from core.scope import area_scope_or_404
from grids import selectors as grid_selectors
from grids.access import may_edit_people

PAGE_SIZE = 30


@login_required
def visit_new(request, pk: int):
    scope = area_scope_or_404(request.scope)
    household = grid_selectors.households(scope).select_related("building__parent").filter(pk=pk).first()
    if household is None or not may_edit_people(scope, household.building):
        raise Http404
    initial = {name: getattr(household, name) for name in forms.VisitForm.CARD}
    posted = request.method == "POST"
    form = forms.VisitForm(request.POST if posted else None, request.FILES if posted else None, initial=initial)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.record_visit(
                actor=request.user,
                household=household,
                on=data["on"],
                findings=data["findings"],
                follow_up=data["follow_up"],
                follow_up_note=data["follow_up_note"],
                photo=data["photo"],
                card={name: data[name] for name in forms.VisitForm.CARD},
                case_category=data["case_category"],
                case_description=data["case_description"],
                submission_key=data["submission_key"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("走访已登记"))
            if visit.case is not None:
                messages.info(request, _("已上报,案件编号 %(number)s") % {"number": visit.case.number})
            return redirect(reverse("grids:household", args=[household.pk]) + "#visits")
    return render(
        request, "cases/visit_new.html", {"household": household, "form": form}, status=400 if posted else 200
    )


@login_required
def visits_due(request):
    """走访到期: the caller's households a visit plan says are due, never visited and oldest first."""
    scope = area_scope_or_404(request.scope)
    found, in_force = visits.overdue_list(scope)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(household, visits.shown_groups(household, in_force)) for household in page]
    return render(request, "cases/visits_due.html", {"page": page, "rows": rows})


@login_required
def visit_photo(request, pk: int):
    """A visit's photo, through the visit's scope: never from a public media URL."""
    visit = visits.get_visit(area_scope_or_404(request.scope), pk)
    if not visit.photo:
        raise Http404
    return FileResponse(visit.photo.open("rb"), content_type="image/jpeg")


# 走访计划: the visit plans, kept by the community's staff --------------------------------------


def _keeps(scope, area) -> bool:
    return scope.capacity(Capability.MANAGE_COMMUNITY, at=area) is not None


def _places(scope):
    places = grid_selectors.areas(scope).filter(kind__in=VISIT_RULE_KINDS).order_by("tree_id", "lft")
    return {"places": places, "groups": visits.groups_to_plan(scope)}


RULES = ObjectPages(
    namespace="cases",
    name="visit_rule",
    prefix="visit-rules",
    title=gettext_lazy("走访计划"),
    rows=lambda scope: visits.listed_rules(scope).order_by(
        "ended_on", "area__tree_id", "area__lft", "group__order", "id"
    ),
    get=visits.get_rule,
    filterset=VisitRuleFilter,
    columns=[
        Column(gettext_lazy("社区或网格"), lambda r: r.area.name),
        Column(gettext_lazy("重点人群"), lambda r: r.group.label if r.group else _("全部住户")),
        Column(gettext_lazy("走访周期(天)"), lambda r: r.every_days),
        Column(gettext_lazy("停用日期"), lambda r: r.ended_on),
    ],
    fields=[
        Column(gettext_lazy("社区或网格"), lambda r: r.area.name),
        Column(gettext_lazy("重点人群"), lambda r: r.group.label if r.group else _("全部住户")),
        Column(gettext_lazy("走访周期(天)"), lambda r: r.every_days),
        Column(gettext_lazy("停用日期"), lambda r: r.ended_on),
    ],
    create=Action(
        "new",
        gettext_lazy("新增走访计划"),
        forms.VisitRuleForm,
        perform=lambda *, actor, obj, data: services.add_visit_rule(actor=actor, **data),
        allowed=lambda scope, obj: scope.may(Capability.MANAGE_COMMUNITY),
        form_kwargs=lambda scope, obj: _places(scope),
        done=gettext_lazy("走访计划已保存"),
    ),
    actions=[
        Action(
            "end",
            gettext_lazy("停用"),
            forms.EndVisitRuleForm,
            perform=lambda *, actor, obj, data: services.end_visit_rule(actor=actor, rule=obj, on=data["ended_on"]),
            allowed=lambda scope, obj: obj.ended_on is None and _keeps(scope, obj.area),
            done=gettext_lazy("走访计划已停用"),
        ),
    ],
)
