"""A company's page (its compounds, their assessments and status), a round's page (each term's
score) and an assessment's page (the score's parts and every record behind them). Thin: scope →
selector → template."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.scope import area_scope_or_404
from estates import selectors
from estates.backoffice import ASSESSMENTS, COMPANIES, ROUNDS


@login_required
def company_detail(request, pk: int):
    scope = area_scope_or_404(request.scope)
    company = selectors.get_company(scope, pk)
    context = {"company": company, "links": COMPANIES.links(scope, company), **selectors.company_page(scope, company)}
    return render(request, "estates/company_detail.html", context)


@login_required
def round_detail(request, pk: int):
    scope = area_scope_or_404(request.scope)
    round_ = selectors.get_round(scope, pk)
    context = {
        "round": round_,
        "links": ROUNDS.links(scope, round_),
        "assessments": selectors.round_assessments(scope, round_),
    }
    return render(request, "estates/round_detail.html", context)


@login_required
def assessment_detail(request, pk: int):
    scope = area_scope_or_404(request.scope)
    assessment = selectors.get_assessment(scope, pk)
    context = {
        "assessment": assessment,
        "rule": assessment.round.rule,
        "links": ASSESSMENTS.links(scope, assessment),
        **selectors.records_behind(assessment),
    }
    return render(request, "estates/assessment_detail.html", context)
