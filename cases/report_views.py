"""The ranking page and the leader's dashboard: figures over the caller's scope, nothing written."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from cases import forms, metrics, selectors
from cases.models import OPEN, Colour, Metric, Status

# The 三率 chart shows the best this many; the table below it has everyone.
CHART_ROWS = 15
THREE_RATES = (Metric.RESPONSE, Metric.RESOLUTION, Metric.SATISFACTION)


def _points(rate) -> str | None:
    return None if rate is None else str(metrics.points(rate))


def _three_rates(rows: list[metrics.Ranked]) -> dict:
    shown = rows[:CHART_ROWS]
    return {
        "names": [r.name for r in shown],
        "series": [{"name": str(Metric(m).label), "data": [_points(r.rates[m]) for r in shown]} for m in THREE_RATES],
    }


@login_required
def ranking(request):
    scope = selectors.case_scope_or_404(request.scope)
    form = forms.RankingForm(request.GET)
    weights = metrics.weights()
    rows = []
    if form.is_valid():
        data = form.cleaned_data
        rows = metrics.ranking(scope, data["period"], data["unit"], weights=weights, source=data["source"])
    context = {
        "form": form,
        "rows": rows,
        "chart": _three_rates(rows),
        "labels": {},
        "weights": [(Metric(m).label, w) for m, w in weights.items()],
    }
    return render(request, "cases/ranking.html", context)


def _charts(scope, period) -> tuple[dict, dict]:
    by_colour = metrics.by_colour_and_status(scope, period)
    trend = metrics.daily(scope, period)
    categories = metrics.top_categories(scope, period)
    overdue = metrics.overdue_by_department(scope)
    ranked = metrics.ranking(scope, period, "department", weights=metrics.weights())
    charts = {
        "colours": {
            "statuses": [str(label) for label in Status.labels],
            "series": [
                {"key": colour, "name": str(label), "data": [by_colour.get((colour, s), 0) for s in Status.values]}
                for colour, label in Colour.choices
            ],
        },
        "trend": {"days": [d.strftime("%m-%d") for d in period.days], **trend},
        "categories": {"names": [n for n, _count in categories], "counts": [c for _name, c in categories]},
        "overdue": {
            "names": [name or _("社区/街道办理中") for name, _count in overdue],
            "counts": [n for _name, n in overdue],
        },
        "rates": _three_rates(ranked),
    }
    totals = {
        "reported": sum(by_colour.values()),
        "open": sum(n for (_colour, s), n in by_colour.items() if s in OPEN),
        "closed": sum(trend["closed"]),
        "overdue": sum(charts["overdue"]["counts"]),
    }
    return charts, totals


@login_required
def dashboard(request):
    """The leader's view of the loop: what came in, what is stuck, who is slow."""
    scope = selectors.case_scope_or_404(request.scope)
    form = forms.PeriodForm(request.GET)
    charts = totals = None
    if form.is_valid():
        charts, totals = _charts(scope, form.cleaned_data["period"])
    labels = {"reported": _("上报"), "closed": _("办结"), "cases": _("案件数")}
    return render(request, "cases/dashboard.html", {"form": form, "charts": charts, "totals": totals, "labels": labels})
