"""物业服务 pages (core.backoffice): the companies, their terms at compounds (准入, 退出), the
inspections, the assessment rounds and each assessment with the records behind its score."""

from django.db.models import F
from django.utils.translation import gettext_lazy

from core.backoffice import Action, Column, ObjectPages
from core.capabilities import Capability
from estates import forms, selectors, services
from estates.models import Status
from grids import selectors as grid_selectors
from grids.models import AreaKind
from orgs.models import Department, DepartmentKind


def _admit_form(scope, obj) -> dict:
    compounds = grid_selectors.areas(scope).filter(kind=AreaKind.COMPOUND).order_by("tree_id", "lft")
    companies = Department.objects.within(scope).filter(kind=DepartmentKind.PROPERTY).order_by("name")
    return {"compounds": compounds, "companies": companies}


def _keeps(scope) -> bool:
    """The lists are the street's and the community's staff's (gridgov.navigation shows them);
    each object's page is open to whoever sees its compound."""
    return scope.has_areas and scope.may(Capability.MANAGE_COMMUNITY)


TERM_FIELDS = [
    Column(gettext_lazy("小区"), lambda t: t.compound.name, link=True),
    Column(gettext_lazy("物业公司"), lambda t: t.company.name),
    Column(gettext_lazy("服务起始日期"), lambda t: t.starts_on),
    Column(gettext_lazy("准入决定文号"), lambda t: t.admission_ref),
    Column(gettext_lazy("退出日期"), lambda t: t.ends_on),
]

TERMS = ObjectPages(
    namespace="estates",
    name="term",
    prefix="property-terms",
    title=gettext_lazy("物业准入退出"),
    list_requires=_keeps,
    rows=lambda scope: selectors.terms(scope).order_by("ends_on", "compound__tree_id", "compound__lft", "-starts_on"),
    get=selectors.get_term,
    columns=TERM_FIELDS,
    fields=[
        *TERM_FIELDS,
        Column(gettext_lazy("准入登记人岗位"), lambda t: t.admitted_role),
        Column(gettext_lazy("退出原因"), lambda t: t.exit_reason),
        Column(gettext_lazy("退出决定文号"), lambda t: t.exit_ref),
    ],
    create=Action(
        "new",
        gettext_lazy("登记准入"),
        forms.AdmitForm,
        perform=lambda *, actor, obj, data: services.admit_company(actor=actor, **data),
        allowed=lambda scope, obj: selectors.decides(scope),
        form_kwargs=_admit_form,
        done=gettext_lazy("准入已登记"),
    ),
    actions=[
        Action(
            "exit",
            gettext_lazy("登记退出"),
            forms.ExitForm,
            perform=lambda *, actor, obj, data: services.end_term(actor=actor, term=obj, **data),
            allowed=lambda scope, obj: obj.ends_on is None and selectors.decides(scope),
            done=gettext_lazy("退出已登记"),
        ),
    ],
)

INSPECTION_FIELDS = [
    Column(gettext_lazy("检查日期"), lambda i: i.inspected_on, link=True),
    Column(gettext_lazy("小区"), lambda i: i.term.compound.name),
    Column(gettext_lazy("物业公司"), lambda i: i.term.company.name),
    Column(gettext_lazy("检查得分"), lambda i: i.score),
]

INSPECTIONS = ObjectPages(
    namespace="estates",
    name="inspection",
    prefix="property-inspections",
    title=gettext_lazy("物业检查"),
    list_requires=_keeps,
    rows=lambda scope: selectors.inspections(scope).order_by("-inspected_on", "-id"),
    get=selectors.get_inspection,
    columns=INSPECTION_FIELDS,
    fields=[
        *INSPECTION_FIELDS,
        Column(gettext_lazy("检查项目"), lambda i: i.items),
        Column(gettext_lazy("检查人岗位"), lambda i: i.inspector_role),
    ],
    create=Action(
        "new",
        gettext_lazy("登记检查"),
        forms.InspectionForm,
        perform=lambda *, actor, obj, data: services.record_inspection(actor=actor, **data),
        allowed=lambda scope, obj: scope.may(Capability.MANAGE_COMMUNITY),
        form_kwargs=lambda scope, obj: {"terms": selectors.serving_terms(scope)},
        done=gettext_lazy("检查已登记"),
    ),
)


def _streets(scope, obj) -> dict:
    return {"streets": grid_selectors.areas(scope).filter(kind__in=selectors.STREET_KINDS).order_by("tree_id", "lft")}


ROUNDS = ObjectPages(
    namespace="estates",
    name="round",
    prefix="property-rounds",
    title=gettext_lazy("物业考核"),
    list_requires=_keeps,
    rows=lambda scope: selectors.rounds(scope).order_by("-period_end", "-id"),
    get=selectors.get_round,
    detail_route="estates:round",
    columns=[
        Column(gettext_lazy("名称"), lambda r: r.name, link=True),
        Column(gettext_lazy("街道"), lambda r: r.street.name),
        Column(gettext_lazy("考核截止日期"), lambda r: r.period_end),
        Column(gettext_lazy("考核办法"), lambda r: r.rule.name),
    ],
    create=Action(
        "new",
        gettext_lazy("发起考核"),
        forms.RoundForm,
        perform=lambda *, actor, obj, data: services.open_round(actor=actor, **data),
        allowed=lambda scope, obj: selectors.decides(scope),
        form_kwargs=_streets,
        done=gettext_lazy("考核已完成评分"),
    ),
)

ASSESSMENTS = ObjectPages(
    namespace="estates",
    name="assessment",
    prefix="property-assessments",
    title=gettext_lazy("物业考核结果"),
    list_requires=_keeps,
    # Those flagged for rectification first, the nearest deadline first: the workbench links here.
    rows=lambda scope: (
        selectors.assessments(scope)
        .filter(follows__isnull=True)
        .order_by(F("rectify_due").asc(nulls_last=True), "-period_end", "-id")
    ),
    get=selectors.get_assessment,
    detail_route="estates:assessment",
    columns=[
        Column(gettext_lazy("小区"), lambda a: a.term.compound.name, link=True),
        Column(gettext_lazy("物业公司"), lambda a: a.term.company.name),
        Column(gettext_lazy("考核轮次"), lambda a: a.round.name),
        Column(gettext_lazy("总分"), lambda a: a.score),
        Column(gettext_lazy("结果"), lambda a: a.get_status_display()),
        Column(gettext_lazy("整改期限"), lambda a: a.rectify_due),
    ],
    actions=[
        Action(
            "reassess",
            gettext_lazy("整改复核"),
            forms.ReassessForm,
            perform=lambda *, actor, obj, data: services.reassess(actor=actor, assessment=obj, on=data["on"]),
            allowed=lambda scope, obj: obj.status == Status.RECTIFYING and selectors.decides(scope),
            done=gettext_lazy("复核已评分"),
        ),
        Action(
            "decide",
            gettext_lazy("退出决定"),
            forms.DecideExitForm,
            perform=lambda *, actor, obj, data: services.decide_exit(actor=actor, assessment=obj, **data),
            allowed=lambda scope, obj: obj.status == Status.EXIT_PROPOSED and selectors.decides(scope),
            done=gettext_lazy("退出决定已记录"),
        ),
    ],
)

COMPANIES = ObjectPages(
    namespace="estates",
    name="company",
    prefix="property-companies",
    title=gettext_lazy("物业公司"),
    list_requires=_keeps,
    rows=selectors.companies,
    get=selectors.get_company,
    detail_route="estates:company",
    columns=[
        Column(gettext_lazy("名称"), lambda c: c.name, link=True),
        Column(gettext_lazy("服务范围"), lambda c: c.jurisdiction.name),
        Column(gettext_lazy("在服务小区"), lambda c: c.serving),
    ],
)
