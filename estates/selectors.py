"""Reads of property service, always through the caller's scope: the terms, inspections, rounds,
assessments with the records behind them, the companies, and the rectifications due."""

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Case
from core.capabilities import Capability
from core.scope import Scope
from estates.models import Assessment, AssessmentRound, Inspection, ServiceTerm, Status
from grids.models import AreaKind
from orgs.models import Department, DepartmentKind

STREET_KINDS = (AreaKind.STREET, AreaKind.TOWN)


def decides(scope: Scope) -> bool:
    """Street staff (a post at a street allowing MANAGE_COMMUNITY) or an administrator: who admits,
    ends, assesses and decides; the service checks the street of the compound itself."""
    if scope.unrestricted:
        return True
    return any(
        Capability.MANAGE_COMMUNITY in scope.role_capabilities.get(post.role, ())
        and post.area_id
        and post.area.kind in STREET_KINDS
        for post in scope.posts
    )


def _first(rows: QuerySet, pk: int):
    found = rows.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def terms(scope: Scope) -> QuerySet[ServiceTerm]:
    return ServiceTerm.objects.within(scope).select_related("compound__parent", "company")


def get_term(scope: Scope, pk: int) -> ServiceTerm:
    return _first(terms(scope), pk)


def serving_terms(scope: Scope) -> QuerySet[ServiceTerm]:
    return terms(scope).filter(ends_on__isnull=True).order_by("compound__tree_id", "compound__lft")


def inspections(scope: Scope) -> QuerySet[Inspection]:
    return Inspection.objects.within(scope).select_related("term__compound", "term__company", "inspector")


def get_inspection(scope: Scope, pk: int) -> Inspection:
    return _first(inspections(scope), pk)


def rounds(scope: Scope) -> QuerySet[AssessmentRound]:
    return AssessmentRound.objects.within(scope).select_related("street", "rule")


def get_round(scope: Scope, pk: int) -> AssessmentRound:
    return _first(rounds(scope), pk)


def assessments(scope: Scope) -> QuerySet[Assessment]:
    return Assessment.objects.within(scope).select_related(
        "round__rule", "term__compound__parent", "term__company", "follows"
    )


def get_assessment(scope: Scope, pk: int) -> Assessment:
    return _first(assessments(scope), pk)


def round_assessments(scope: Scope, round_: AssessmentRound) -> QuerySet[Assessment]:
    return assessments(scope).filter(round=round_).order_by("term__compound__tree_id", "term__compound__lft", "id")


def records_behind(assessment: Assessment) -> dict:
    """The cases and inspections the score was counted from (the assessment is in scope; they are
    its own rows, kept when it was scored)."""
    counted = Assessment.cases.through.objects.filter(assessment=assessment).values("case_id")
    cases = Case.objects.unscoped("the cases an assessment in scope was counted from").filter(pk__in=counted)
    inspections = Inspection.objects.unscoped("the inspections an assessment in scope was counted from")
    return {
        "cases": cases.select_related("category", "area").order_by("created_at", "pk"),
        "inspections": inspections.filter(assessments=assessment)
        .select_related("inspector")
        .order_by("inspected_on", "pk"),
    }


def companies(scope: Scope) -> QuerySet[Department]:
    rows = Department.objects.within(scope).filter(kind=DepartmentKind.PROPERTY).select_related("jurisdiction")
    # How many of its compounds in the caller's places it serves now.
    serving = Q(property_terms__ends_on__isnull=True) & scope.area_q("property_terms__compound__")
    return rows.annotate(serving=Count("property_terms", filter=serving)).order_by("name", "pk")


def get_company(scope: Scope, pk: int) -> Department:
    return _first(companies(scope), pk)


def company_page(scope: Scope, company: Department) -> dict:
    """The company's compounds (its terms in scope, serving first), each with its assessments."""
    ordered = Assessment.objects.within(scope).select_related("round").order_by("-period_end", "-id")
    rows = (
        terms(scope)
        .filter(company=company)
        .order_by("ends_on", "compound__tree_id", "compound__lft", "-starts_on")
        .prefetch_related(Prefetch("assessments", queryset=ordered))
    )
    return {"terms": rows}


def rectifications(scope: Scope) -> QuerySet[Assessment]:
    return assessments(scope).filter(status=Status.RECTIFYING).order_by("rectify_due", "id")


def rectifications_due(scope: Scope) -> dict:
    """整改: the caller's compounds under rectification, how many past their deadline, the oldest."""
    today = timezone.localdate()
    found = (
        Assessment.objects.within(scope)
        .filter(status=Status.RECTIFYING)
        .aggregate(
            count=Count("pk"),
            overdue=Count("pk", filter=Q(rectify_due__lt=today)),
            oldest=Min("rectify_due"),
        )
    )
    return found
