import functools
import secrets

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from cases import forms, queues, resident_limits, selectors, services, tracking, visits, workflow
from cases.models import CURRENT_DUE, OPEN, Action, CasePhoto, DoorPlate, Level, Status
from core import origins
from core.capabilities import Capability
from core.scope import NOBODY, area_scope_or_404
from grids import locate, panels
from grids import selectors as grid_selectors
from grids.models import AreaKind
from orgs import cards

PAGE_SIZE = 30
BOARD_SIZE = 50
# The queues offered as tabs above every case list, those the caller may open.
TABS = ("mine", "triage", "verify", "inbox")


def _may_report(scope) -> bool:
    return scope.has_areas and scope.may(Capability.REPORT_CASE)


def _form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def listed_cases(request, scope, queue: str):
    """The list's title, its cases (the queue's, filtered), the filter form and the time it runs
    on (None for newest reported first): what the list page shows and the export writes, in one
    order."""
    qs = selectors.cases(scope)
    title = _("案件")
    work = None
    if queue:
        work = queues.open_for(scope, queue)
        title = work.title
        qs = queues.queue_cases(scope, work, request.user)
    places = grid_selectors.areas(scope).order_by("tree_id", "lft")
    filters = forms.CaseFilterForm(
        request.GET or None,
        communities=places.filter(kind=AreaKind.COMMUNITY),
        grids=places.filter(kind=AreaKind.GRID),
    )
    qs, by_due = _filtered(qs, filters)
    key = CURRENT_DUE if by_due else (work.key if work else None)
    return title, qs, filters, key


def _filtered(qs, filters):
    """The list's filters applied (a form that does not validate filters nothing); and whether it
    is sorted by time left. The Excel export applies the same, so it holds what the list shows."""
    if not filters.is_valid():
        return qs, False
    data = filters.cleaned_data
    for field in ("status", "colour", "category", "level", "community", "grid"):
        if data.get(field):
            qs = qs.filter(**{field: data[field]})
    if data["overdue"]:
        qs = qs.filter(selectors.overdue_q())
    if data["q"]:
        qs = qs.filter(selectors.search_q(data["q"]))
    return qs, data["sort"] == "due"


@login_required
def case_list(request, queue: str = ""):
    scope = selectors.case_scope_or_404(request.scope)
    title, qs, filters, key = listed_cases(request, scope, queue)
    page = selectors.keyset_page if key is None else functools.partial(selectors.inbox_page, key=key)
    try:
        rows, next_cursor = page(selectors.for_list(qs), request.GET.get("after"), PAGE_SIZE)
    except ValueError:
        messages.warning(request, _("翻页参数无效,已显示第一页"))
        rows, next_cursor = page(selectors.for_list(qs), None, PAGE_SIZE)
    params = request.GET.copy()
    params.pop("after", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "title": title,
            "queue": queue,
            "cases": rows,
            "filters": filters,
            "next_cursor": next_cursor,
            "params": params.urlencode(),
            "can_report": _may_report(scope),
            "saved_filters": list(selectors.saved_filters(request.scope)),
            "filter_query": services.clean_query(params.urlencode()),
            "tabs": [queues.QUEUES[slug] for slug in TABS if queues.may_open(scope, queues.QUEUES[slug])],
            "dispatcher": scope.may(Capability.DISPATCH_FOR_STREET) and scope.has_areas,
        },
    )


@login_required
def dispatch_board(request):
    """The street's desk: cases to dispatch, returned ones to re-route, extensions, escalations."""
    scope = area_scope_or_404(request.scope)
    if not scope.may(Capability.DISPATCH_FOR_STREET):
        raise Http404
    base = selectors.for_list(selectors.cases(scope)).order_by("created_at")
    sections = [
        (_("待派遣"), "to-dispatch", base.filter(status=Status.WHISTLED).exclude(last_action=Action.RETURN)),
        (_("部门退回,待重新派遣"), "returned", base.filter(status=Status.WHISTLED, last_action=Action.RETURN)),
        (_("延期申请"), "extensions", base.filter(status=Status.IN_PROGRESS, extension_days__isnull=False)),
        (_("已升级至区"), "escalated", base.filter(level=Level.DISTRICT, status__in=sorted(OPEN))),
    ]
    board = [(title, key, list(qs[:BOARD_SIZE])) for title, key, qs in sections]
    return render(request, "cases/dispatch_board.html", {"board": board, "limit": BOARD_SIZE})


def _placed(scope, form) -> bool:
    """A report the phone located must be inside a grid of the reporter's scope; one the reporter
    placed by hand (no position sent) is at the building chosen."""
    lng, lat = form.cleaned_data.get("lng"), form.cleaned_data.get("lat")
    if lng is None or lat is None:
        return True
    try:
        locate.locate(scope, lng=lng, lat=lat)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


@login_required
def case_new(request):
    scope = area_scope_or_404(request.scope)
    if not _may_report(scope):
        raise Http404
    places = (
        grid_selectors.areas(scope).filter(kind=AreaKind.BUILDING).select_related("parent").order_by("tree_id", "lft")
    )
    form = forms.ReportForm(request.POST or None, request.FILES or None, places=places)
    if request.method == "POST" and form.is_valid() and _placed(scope, form):
        data = form.cleaned_data
        try:
            case = services.report_case(
                actor=request.user,
                category=data["category"],
                area=data["area"],
                description=data["description"],
                source=data["source"],
                importance=data["importance"] or None,
                urgency=data["urgency"] or None,
                location_note=data["location_note"],
                reporter_phone=data["reporter_phone"],
                photos=data["photos"],
                submission_key=data["submission_key"],
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已上报,案件编号 %(number)s") % {"number": case.number})
            if case.source in tracking.CALLER_SOURCES:
                messages.info(request, _("请将查询码 %(code)s 告知报事群众") % {"code": case.tracking_code})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_new.html", {"form": form})


@login_required
def case_detail(request, pk: int):
    scope = selectors.case_scope_or_404(request.scope)
    case = selectors.get_case(scope, pk)
    steps = workflow.permitted_steps(scope, case)
    context = {
        "case": case,
        "events": selectors.timeline(case),
        "assisting": list(case.assisting.all()),
        "overdue": case.is_overdue,
        "steps": steps,
        # The intake confirmation for a caller: their code, to read out or print for them.
        "caller_code": tracking.code_for_staff(scope, case),
        # Raised from a visit: the visit, for those who may see the household.
        "visits": visits.case_visits(scope, case),
        # Raised by an app above cases (a meeting's decision): where it came from (core.origins).
        "origins": origins.of(scope, case),
    }
    replies = selectors.reply_templates(case, steps)
    # Each step's form has ids of its own, so every label points at its own field.
    for slug in steps:
        step = workflow.STEPS[slug]
        if step.form is not None:
            choices = step.choices(scope, case) if step.choices else {}
            initial = {}
            if slug == "dispatch":
                context["suggestion"] = suggestion = selectors.suggest_department(case)
                initial = {"department": suggestion.department}
            form = step.form(initial=initial, auto_id=f"id_{step.name}_%s", **choices)
            # 常用语 go into the step's free text (a note, a reason or the feedback), by a small script.
            form.replies = replies[slug]
            form.reply_field = next((f for f in ("note", "feedback", "reason") if f in form.fields), None)
            context[f"{step.name}_form"] = form
    return render(request, "cases/case_detail.html", context)


def _step_view(step: workflow.Step):
    """A POST that takes one step through its service; errors are shown on the case page."""

    @login_required
    @require_POST
    def view(request, pk: int):
        scope = selectors.case_scope_or_404(request.scope)
        case = selectors.get_case(scope, pk)
        data = {}
        if step.form is not None:
            choices = step.choices(scope, case) if step.choices else {}
            form = step.form(request.POST, request.FILES, **choices)
            if not form.is_valid():
                messages.error(request, _form_errors(form))
                return redirect("cases:detail", pk=pk)
            data = form.cleaned_data
        try:
            step.run(actor=request.user, case=case, **step.args(data))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已办理:%(number)s") % {"number": case.number})
        return redirect("cases:detail", pk=pk)

    view.__name__ = f"case_{step.name}"
    return view


# One page view per row of the workflow table: cases.urls routes /cases/<pk>/<slug>/ to these.
STEP_VIEWS = {slug: _step_view(step) for slug, step in workflow.STEPS.items()}


@login_required
def photo(request, pk: int):
    """Photos are served through the case's scope, never from a public media URL."""
    scope = selectors.case_scope_or_404(request.scope)
    item = get_object_or_404(CasePhoto.objects.filter(case__in=selectors.cases(scope)), pk=pk)
    return FileResponse(item.image.open("rb"), content_type="image/jpeg")


@login_required
def door_plates(request, pk: int):
    """A printable sheet: one QR door plate per building of the community. Reading it writes
    nothing; the button on it (a POST) issues plates for buildings that have none yet."""
    scope = area_scope_or_404(request.scope)
    community = grid_selectors.get_area(scope, pk)
    if community.kind != AreaKind.COMMUNITY or not scope.may(Capability.MANAGE_COMMUNITY):
        raise Http404
    if request.method == "POST":
        try:
            services.issue_door_plates(actor=request.user, community=community)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("cases:door_plates", pk=pk)
    plates = services.door_plates(community)
    for plate in plates:
        url = request.build_absolute_uri(reverse("cases:resident_report", args=[plate.token]))
        plate.qr_svg = segno.make(url, error="m").svg_inline(scale=4, dark="#b10000")
        plate.url = url
    return render(request, "cases/door_plates.html", {"community": community, "plates": plates})


# Residents: no log-in ---------------------------------------------------------------------------

DEVICE_COOKIE = "gg_device"


@csrf_exempt  # checked by _resident_form instead, once the limit has passed: the check parses the body
def resident_report(request, token: str):
    plate = selectors.door_plate(token)
    # The resident has no account and no scope: the plate's token is what places the report.
    device = request.COOKIES.get(DEVICE_COOKIE) or secrets.token_urlsafe(16)
    if request.method == "POST" and resident_limits.over_limit(request, plate=plate, device=device):
        messages.error(request, _("提交过于频繁,请稍后再试;紧急情况请拨打12345或110"))
        form = forms.ResidentReportForm(categories=selectors.resident_categories())
        page = render(request, "cases/resident_form.html", _plate_context(plate, form), status=429)
        return _with_device(page, device)
    return _resident_form(request, plate, device)


@csrf_protect
def _resident_form(request, plate: DoorPlate, device: str):
    form = forms.ResidentReportForm(
        request.POST or None, request.FILES or None, categories=selectors.resident_categories()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.report_by_resident(
                actor=None,
                plate=plate,
                category=data["category"],
                description=data["description"],
                phone=data["phone"],
                photos=data["photos"],
                submission_key=data["submission_key"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return _with_device(render(request, "cases/resident_done.html", {"case": case}), device)
    return _with_device(render(request, "cases/resident_form.html", _plate_context(plate, form)), device)


def _plate_context(plate: DoorPlate, form) -> dict:
    # What the apps above offer on the plate's page too (the service hall's 办事), by grids.panels.
    return {"form": form, "plate": plate, "card": _card(plate), **panels.context(panels.PLATE, NOBODY, plate)}


def _card(plate: DoorPlate):
    """挂牌上岗: the building's grid's public card under the form (orgs.cards: public fields only)."""
    grid = cards.grid_of(plate.building)
    return cards.grid_card(grid) if grid is not None else None


def _with_device(response, device: str):
    response.set_cookie(DEVICE_COOKIE, device, max_age=365 * 86400, httponly=True, samesite="Lax")
    return response


NOT_FOUND = gettext_lazy("未找到该案件。请核对查询码,或案件编号和报事时所留手机号的后四位")


@csrf_protect
def track(request):
    """By 查询码, or by case number and the phone's last four digits: both POSTed, so no digits
    end up in an address bar or a log, and all failures read the same."""
    form = forms.TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        query, digits = form.cleaned_data["code"], form.cleaned_data["last_digits"].strip()
        number = tracking.normalized(query) if tracking.is_number(query) else ""
        if resident_limits.tracking_over_limit(request, number=number):
            messages.error(request, _("查询过于频繁,请一小时后再试;也可拨打社区电话查询"))
            return render(request, "cases/track.html", {"form": form}, status=429)
        case = tracking.lookup(query, digits)
        if case is not None:
            return redirect("cases:track_case", code=case.tracking_code)
        form.add_error(None, NOT_FOUND)
    return render(request, "cases/track.html", {"form": form})


def track_case(request, code: str):
    """Progress without anyone's personal data: the steps, the notes written for the resident and
    the photos of the fix; no names or phones. Then the rating, once the case is closed."""
    case = selectors.by_tracking_code(code)
    form = forms.RateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.rate_case(
                    actor=None,
                    case=case,
                    rating=form.cleaned_data["rating"],
                    reopen=form.cleaned_data["reopen"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("感谢您的评价"))
            return redirect("cases:track_case", code=case.tracking_code)
        messages.error(request, _form_errors(form))
    steps = tracking.progress(case)
    resolutions = [step for step in steps if step.action == Action.RESOLVE]
    return render(
        request,
        "cases/track_case.html",
        {
            "case": case,
            "steps": steps,
            "resolution": resolutions[-1] if resolutions else None,
            "form": form if case.status == Status.CLOSED and not case.rating else None,
        },
    )


def track_photo(request, code: str, pk: int):
    """A photo of the fix, for whoever holds the case's 查询码; no other photo of the case."""
    item = tracking.after_photo(selectors.by_tracking_code(code), pk)
    if item is None:
        raise Http404
    return FileResponse(item.image.open("rb"), content_type="image/jpeg")
