from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.capabilities import Capability
from core.scope import area_scope_or_404
from funding import exports, pay, selectors, services, whatif
from funding.forms import NewCommunityFormSet, NewUnitCostForm, ScenarioForm, StartRunForm
from funding.models import RunStatus

PAGE_SIZE = 20


@login_required
def run_list(request):
    scope = area_scope_or_404(request.scope)
    form = None
    areas, cities = selectors.run_options(scope)
    if areas:
        form = StartRunForm(
            request.POST or None, areas=areas, cities=cities, initial={"year": timezone.localdate().year}
        )
        if request.method == "POST" and form.is_valid():
            try:
                run = services.start_budget_run(
                    year=form.cleaned_data["year"], actor=request.user, **form.cleaned_data["scope"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("测算已开始"))
                return redirect("funding:run", pk=run.pk)
    elif request.method == "POST":
        raise Http404
    runs = selectors.runs(scope)
    # ?status=active: the runs still queued or computing, the finance workbench's link.
    active = request.GET.get("status") == "active"
    if active:
        runs = runs.filter(selectors.IN_PROGRESS)
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "funding/run_list.html", {"runs": page, "form": form, "active": active})


@login_required
def run_detail(request, pk: int):
    scope = area_scope_or_404(request.scope)
    run = selectors.get_run(scope, pk)
    communities = selectors.visible_communities(scope, run)
    one = request.GET.get("community", "")
    if one.isdecimal() and len(one) <= 18:
        communities = communities.filter(community_id=int(one))
    communities = list(communities)
    chart = {
        "communities": [c.name for c in communities],
        "city": [str(c.city) for c in communities],
        "local": [str(c.local) for c in communities],
    }
    return render(
        request,
        "funding/run_detail.html",
        {
            "run": run,
            "communities": communities,
            "totals": selectors.totals(communities),
            "chart": chart,
            "labels": {"city": _("市级承担"), "local": _("区县承担")},
            "others": selectors.runs(scope).filter(status=RunStatus.DONE).exclude(pk=run.pk)[:20],
            "one_community": one.isdecimal(),
        },
    )


@login_required
def run_status(request, pk: int):
    run = selectors.get_run(area_scope_or_404(request.scope), pk)
    return JsonResponse({"status": run.status, "progress": run.progress})


@login_required
def run_print(request, pk: int):
    scope = area_scope_or_404(request.scope)
    run = selectors.get_run(scope, pk)
    communities = list(selectors.visible_communities(scope, run))
    return render(
        request,
        "funding/run_print.html",
        {"run": run, "communities": communities, "totals": selectors.totals(communities)},
    )


@login_required
def run_export(request, pk: int):
    scope = area_scope_or_404(request.scope)
    run = selectors.get_run(scope, pk)
    workbook = exports.export_budget_run(actor=request.user, scope=scope, run=run)
    response = HttpResponse(workbook, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="budget-{run.year}-{run.pk}.xlsx"'
    return response


@login_required
def run_compare(request, pk: int, other: int):
    scope = area_scope_or_404(request.scope)
    first, second = selectors.get_run(scope, other), selectors.get_run(scope, pk)
    return render(
        request,
        "funding/run_compare.html",
        {"first": first, "second": second, "rows": selectors.compare(scope, first, second)},
    )


@login_required
def scenario_list(request):
    scope = area_scope_or_404(request.scope)
    page = Paginator(selectors.scenarios(scope), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "funding/scenario_list.html", {"scenarios": page, "can_plan": scope.may(Capability.PLAN_REDIVISION)}
    )


@login_required
def scenario_create(request):
    communities = selectors.planning_communities(area_scope_or_404(request.scope))
    form = ScenarioForm(request.POST or None, communities=communities, initial={"year": timezone.localdate().year})
    formset = NewCommunityFormSet(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        proposal = [
            {key: str(value) if isinstance(value, Decimal) else value for key, value in row.items()}
            for row in formset.cleaned_data
            if row
        ]
        try:
            scenario = whatif.save_scenario(
                name=form.cleaned_data["name"],
                year=form.cleaned_data["year"],
                communities=list(form.cleaned_data["communities"]),
                proposal=proposal,
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("funding:scenario", pk=scenario.pk)
    return render(request, "funding/scenario_form.html", {"form": form, "formset": formset})


@login_required
def scenario_detail(request, pk: int):
    scope = area_scope_or_404(request.scope)
    scenario = selectors.get_scenario(scope, pk)
    return render(
        request,
        "funding/scenario_detail.html",
        {
            "scenario": scenario,
            "differences": whatif.differences(scenario),
            "before": whatif.labelled(scenario.before),
            "after": whatif.labelled(scenario.after),
        },
    )


@login_required
def pay_report(request):
    scope = area_scope_or_404(request.scope)
    year = timezone.localdate().year
    asked = request.GET.get("year", "")
    if asked.isdecimal() and 2000 <= int(asked) <= 2100:
        year = int(asked)
    elif asked:
        messages.error(request, _("年度“%(year)s”无效,显示%(now)s年") % {"year": asked, "now": year})
    data = pay.report(scope, year)
    chart = {
        "communities": [row.community.name for row in data["communities"]],
        "series": {
            str(data["base_year"]): [str(row.base_average or 0) for row in data["communities"]],
            str(year): [str(row.average or 0) for row in data["communities"]],
        },
    }
    return render(request, "funding/pay_report.html", {**data, "chart": chart, "labels": {}})


@login_required
def new_unit_costs(request):
    """Finance staff enter what new communities and grids add: staff and venues."""
    scope = area_scope_or_404(request.scope)
    form = NewUnitCostForm(
        request.POST or None, communities=selectors.cost_communities(scope), initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_new_unit_cost(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("funding:new_costs")
    return render(request, "funding/new_costs.html", {"form": form, "costs": selectors.new_unit_costs(scope)})
