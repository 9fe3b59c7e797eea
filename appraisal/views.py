"""The round's results and its households' links, the public ballot (by link or by the building's
QR plate) and the published 三报告, training due, and the yearly evaluation: its ranking, each
worker's page of records, a community's 网格工作 line and a department's 部门报到 line, the two lines also as
workbooks. Thin: scope → selector → service."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from redis.exceptions import RedisError

from appraisal import exports, forms, selectors, services
from appraisal.backoffice import ROUNDS
from appraisal.models import Via
from cases import selectors as case_selectors
from cases import services as case_services
from core.capabilities import Capability
from core.request_context import client_address
from core.scope import area_scope_or_404
from grids import selectors as grid_selectors
from grids.models import AreaKind

log = logging.getLogger(__name__)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _keeper_scope(request):
    scope = area_scope_or_404(request.scope)
    if not selectors.reads_all_workers(scope):
        raise Http404
    return scope


@login_required
def round_detail(request, pk: int):
    """Per person the counts of each rating, and how many households answered; never who said what."""
    scope = area_scope_or_404(request.scope)
    round = selectors.get_round(scope, pk)
    context = {
        "round": round,
        "results": selectors.results(round),
        "ballots": selectors.ballots_cast(round),
        "links": ROUNDS.links(scope, round),
    }
    return render(request, "appraisal/round_detail.html", context)


@login_required
def round_links(request, pk: int):
    """一户一码: each household of the community's one-time link, to print and hand out: only for
    who keeps the community's rounds (a link casts a household's ballot)."""
    scope = area_scope_or_404(request.scope)
    round = selectors.get_round(scope, pk)
    if scope.capacity(Capability.MANAGE_COMMUNITY, at=round.community) is None:
        raise Http404
    households = (
        grid_selectors.households_under(scope, round.community)
        .select_related("building")
        .order_by("building__tree_id", "building__lft", "unit", "floor", "room")
    )
    rows = [
        (h, request.build_absolute_uri(reverse("appraisal:ballot", args=[services.household_link_token(round, h)])))
        for h in households
    ]
    entries = [
        (plate.building, request.build_absolute_uri(reverse("appraisal:qr_ballot", args=[plate.token, round.pk])))
        for plate in case_services.door_plates(round.community)
    ]
    return render(request, "appraisal/round_links.html", {"round": round, "rows": rows, "entries": entries})


def _ballot_page(request, round, form, extra: dict, status: int = 200):
    context = {"round": round, "form": form, **extra}
    return render(request, "appraisal/ballot.html", context, status=status)


@csrf_protect
def ballot(request, token: str):
    """The one-time link: the token names the round and the household; the ballot it casts spends it."""
    found = services.read_link_token(token)
    if found is None:
        raise Http404
    round, household = selectors.named_by_link(*found)
    form = forms.BallotForm(request.POST or None, people=round.evaluated.order_by("role", "slot", "holder_name"))
    if request.method == "POST" and form.is_valid():
        try:
            services.cast_ballot(round=round, household=household, via=Via.LINK, ratings=form.ratings())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _ballot_page(request, round, form, {}, status=400)
        return render(request, "appraisal/ballot_done.html", {"round": round})
    return _ballot_page(request, round, form, {}, status=400 if request.method == "POST" else 200)


def _checks_over_limit(request, token: str) -> bool:
    """Six characters are a few million guesses: a plate takes a handful of checks an hour per address."""
    key = f"appraisal-check:{token}:{client_address(request.META) or 'unknown'}"
    try:
        cache.add(key, 0, timeout=3600)
        return cache.incr(key) > settings.EVALUATION_CHECKS_PER_ADDRESS
    except ValueError:  # the hour ended between add and incr
        return False
    except RedisError:
        log.warning("evaluation check counters unavailable, letting the check through")
        return False


@csrf_protect
def qr_ballot(request, token: str, pk: int):
    """From the building's QR plate: the household picked, proved by the check, then rated."""
    plate = case_selectors.door_plate(token)
    round = selectors.round_at_plate(plate, pk)
    households = selectors.households_at_plate(plate)
    people = round.evaluated.order_by("role", "slot", "holder_name")
    form = forms.HouseholdCheckForm(request.POST or None, people=people, households=households)
    extra = {"plate": plate}
    if request.method == "POST":
        if _checks_over_limit(request, token):
            messages.error(request, _("尝试过于频繁,请一小时后再试"))
            return _ballot_page(request, round, form, extra, status=429)
        if form.is_valid():
            household = form.cleaned_data["household"]
            if not services.household_proved(household, form.cleaned_data["id_tail"]):
                messages.error(request, _("房号与身份证号后六位不符"))
                return _ballot_page(request, round, form, extra, status=400)
            try:
                services.cast_ballot(round=round, household=household, via=Via.QR, ratings=form.ratings())
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return _ballot_page(request, round, form, extra, status=400)
            return render(request, "appraisal/ballot_done.html", {"round": round})
        return _ballot_page(request, round, form, extra, status=400)
    return _ballot_page(request, round, form, extra)


def report(request, pk: int):
    """三报告: the station's published report to its residents, for anyone."""
    round = selectors.published_round(pk)
    return render(request, "appraisal/report.html", {"round": round})


@login_required
def training_due(request):
    """培训不足: the caller's grid workers with fewer sessions this year than the rule asks."""
    scope = area_scope_or_404(request.scope)
    year = _year(request)
    rule, short = selectors.short_of_training(scope, year)
    return render(request, "appraisal/training_due.html", {"rule": rule, "short": short, "year": year})


@login_required
def ranking(request):
    """The yearly evaluation's ranking, per community and per street (a grid worker: their own row)."""
    scope = area_scope_or_404(request.scope)
    year = _year(request)
    scheme, rows = selectors.yearly(scope, year)
    context = {
        "scheme": scheme,
        "rows": [(r, selectors.grade(scheme, r.total)) for r in rows],
        "year": year,
        "departments": selectors.readable_departments(scope),
    }
    return render(request, "appraisal/ranking.html", context)


@login_required
def worker(request, pk: int):
    """One worker's year: each figure, the points it earns under the scheme and the records behind it."""
    scope = area_scope_or_404(request.scope)
    year = _year(request)
    scheme, row = selectors.worker_year(scope, pk, year)
    figures = [(f, [f.measure.link(record) for record in f.records]) for f in row.figures]
    context = {"scheme": scheme, "row": row, "grade": selectors.grade(scheme, row.total), "figures": figures}
    return render(request, "appraisal/worker.html", {**context, "year": year})


def _community_line(request, pk: int):
    scope = _keeper_scope(request)
    community = grid_selectors.get_area(scope, pk)
    if community.kind != AreaKind.COMMUNITY:
        raise Http404
    year = _year(request)
    return scope, selectors.assessment(scope, community, year), year


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def assessment(request, pk: int):
    """网格工作: the line a community's annual assessment takes from its grid workers' year."""
    _scope, line, year = _community_line(request, pk)
    return render(request, "appraisal/assessment.html", {"line": line, "year": year})


@login_required
def assessment_export(request, pk: int):
    """The community's line as a workbook, each figure beside its clause: a copy that leaves, audited."""
    scope, line, year = _community_line(request, pk)
    content = exports.export_community_line(actor=request.user, scope=scope, line=line, year=year)
    return _xlsx(content, exports.community_file_name(line, year))


def _department_line(request, pk: int):
    scope = request.scope
    department = selectors.get_department(scope, pk)
    return scope, selectors.department_assessment(scope, department, _year(request))


@login_required
def department_assessment(request, pk: int):
    """部门报到: the line a department's annual assessment takes from the cases it was sent that year."""
    _scope, line = _department_line(request, pk)
    return render(request, "appraisal/department_assessment.html", {"line": line, "year": line.year})


@login_required
def department_assessment_export(request, pk: int):
    """The department's line as a workbook, each figure beside its clause: a copy that leaves, audited."""
    scope, line = _department_line(request, pk)
    content = exports.export_department_line(actor=request.user, scope=scope, line=line)
    return _xlsx(content, exports.department_file_name(line))
