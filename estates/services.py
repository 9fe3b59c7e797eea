"""物业服务企业准入退出、考核评估 (seed 000): a company admitted to a compound and its exit, an
inspection, an assessment round, a re-assessment after rectification (整改), the exit decision.

Who: admission, exit, rounds and exit decisions are the street's (its staff, whose post is at the
street above the compound); inspections are entered by street or community staff
(Capability.MANAGE_COMMUNITY at the compound)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.deadlines import work_calendar
from cases.metrics import Period
from cases.models import Case, Rating, area_case_q
from cases.models import Status as CaseStatus
from cases.services.recording import required_text
from core import audit
from core.capabilities import Capability
from core.scope import SYSTEM, scope_for
from core.scoping import full_clean
from estates import scoring
from estates.models import Assessment, AssessmentRound, AssessmentRule, Inspection, ServiceTerm, Status
from grids.models import Area, AreaKind
from orgs.models import Department, DepartmentKind

STREET_KINDS = (AreaKind.STREET, AreaKind.TOWN)


def _user(actor):
    return None if actor is SYSTEM else actor


def street_of(area: Area) -> Area:
    places = Area.objects.unscoped("the street above a place the caller has in hand")
    return places.get(tree_id=area.tree_id, lft__lte=area.lft, rght__gte=area.rght, kind__in=STREET_KINDS)


def _require_street(actor, area: Area) -> str:
    street = area if area.kind in STREET_KINDS else street_of(area)
    capacity = scope_for(actor).capacity(Capability.MANAGE_COMMUNITY, at=street)
    if capacity is None:
        raise PermissionDenied(_("物业服务企业的准入、退出和考核由街道办理"))
    return capacity


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: [_("日期不能晚于今天")]})


def _lock_compound(compound: Area) -> None:
    # Two admissions to one compound at once queue here; the partial unique index is the backstop.
    Area.objects.unscoped("row lock on the compound being admitted to").select_for_update().filter(
        pk=compound.pk
    ).first()


@transaction.atomic
def admit_company(
    *, actor, compound: Area, company: Department, starts_on: datetime.date, admission_ref: str
) -> ServiceTerm:
    """准入: the company serves the compound from `starts_on`, on the decision `admission_ref`."""
    if compound.kind != AreaKind.COMPOUND:
        raise ValidationError({"compound": [_("物业服务须在小区")]})
    if company.kind != DepartmentKind.PROPERTY:
        raise ValidationError({"company": [_("请选择物业公司")]})
    capacity = _require_street(actor, compound)
    served = company.jurisdiction
    if not (served.tree_id == compound.tree_id and served.lft <= compound.lft <= served.rght):
        raise ValidationError({"company": [_("该小区不在这家物业公司的服务范围内")]})
    _lock_compound(compound)
    terms = ServiceTerm.objects.unscoped("the compound's own terms, under its lock: dates only")
    terms = terms.filter(compound=compound)
    if terms.filter(ends_on__isnull=True).exists():
        raise ValidationError(_("该小区已有在服务的物业公司,请先办理退出"), code="serving")
    if terms.filter(ends_on__gt=starts_on).exists():
        raise ValidationError({"starts_on": [_("服务起始日期须在上一家物业公司退出之后")]})
    term = ServiceTerm(
        compound=compound,
        company=company,
        starts_on=starts_on,
        admission_ref=required_text(admission_ref, _("请填写准入决定文号")),
        admitted_by=_user(actor),
        admitted_role=capacity,
    )
    full_clean(term, exclude=["compound", "company", "admitted_by"])
    term.save()
    audit.record(
        actor=actor,
        action="property.admit",
        target=term,
        fields=["compound", "company", "starts_on", "admission_ref"],
        capacity=capacity,
    )
    return term


def _end(term: ServiceTerm, *, actor, ends_on: datetime.date, reason: str, exit_ref: str) -> None:
    if term.ends_on is not None:
        raise ValidationError(_("该物业公司已退出这个小区"), code="ended")
    _not_future(ends_on, "ends_on")
    if ends_on < term.starts_on:
        raise ValidationError({"ends_on": [_("退出日期不能早于服务起始日期")]})
    term.ends_on = ends_on
    term.exit_reason = required_text(reason, _("请填写退出原因"))
    term.exit_ref = required_text(exit_ref, _("请填写退出决定文号"))
    term.exited_by = _user(actor)
    term.save(update_fields=["ends_on", "exit_reason", "exit_ref", "exited_by"])


@transaction.atomic
def end_term(*, actor, term: ServiceTerm, ends_on: datetime.date, reason: str, exit_ref: str) -> ServiceTerm:
    """退出: the company stops serving the compound (a contract ended, a company withdrawing)."""
    capacity = _require_street(actor, term.compound)
    _end(term, actor=actor, ends_on=ends_on, reason=reason, exit_ref=exit_ref)
    audit.record(
        actor=actor,
        action="property.exit",
        target=term,
        fields=["ends_on", "exit_reason", "exit_ref"],
        capacity=capacity,
    )
    return term


@transaction.atomic
def record_inspection(*, actor, term: ServiceTerm, inspected_on: datetime.date, items: str, score) -> Inspection:
    capacity = scope_for(actor).capacity(Capability.MANAGE_COMMUNITY, at=term.compound)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能登记这个小区的物业检查"))
    _not_future(inspected_on, "inspected_on")
    if inspected_on < term.starts_on or (term.ends_on is not None and inspected_on > term.ends_on):
        raise ValidationError({"inspected_on": [_("检查日期须在该物业公司的服务期内")]})
    inspection = Inspection(
        term=term,
        inspected_on=inspected_on,
        items=required_text(items, _("请填写检查项目")),
        score=score,
        inspector=_user(actor),
        inspector_role=capacity,
    )
    full_clean(inspection, exclude=["term", "inspector"])
    inspection.save()
    audit.record(
        actor=actor,
        action="property.inspect",
        target=inspection,
        fields=["term", "inspected_on", "items", "score"],
        capacity=capacity,
    )
    return inspection


# Assessment ------------------------------------------------------------------------------------


def rule_on(day: datetime.date) -> AssessmentRule:
    rule = AssessmentRule.objects.filter(starts_on__lte=day).order_by("-starts_on").first()
    if rule is None:
        raise ValidationError(_("该日期没有施行中的物业考核办法"), code="no_rule")
    return rule


def _assess(
    *,
    scope,
    round_: AssessmentRound,
    term: ServiceTerm,
    start: datetime.date,
    end: datetime.date,
    on: datetime.date,
    follows: Assessment | None = None,
) -> Assessment:
    """Score the term over [start, end] (clipped to its own days) from the cases at its compound and
    its inspections, keep the records counted, and flag it for rectification below the pass mark."""
    rule = round_.rule
    start = max(start, term.starts_on)
    end = min(end, term.ends_on) if term.ends_on else end
    since, until = Period(start, end).bounds
    cases = (
        Case.objects.within(scope)
        .filter(area_case_q(term.compound), created_at__gte=since, created_at__lt=until)
        .exclude(status__in=[CaseStatus.REJECTED, CaseStatus.MERGED])
    )
    resolved_by_deadline = Q(resolved_at__isnull=False, resolution_due__isnull=False) & Q(
        resolved_at__lte=F("resolution_due")
    )
    due = Q(resolution_due__isnull=False) & (Q(resolved_at__isnull=False) | Q(resolution_due__lt=until))
    tally = cases.aggregate(
        cases=Count("pk"),
        rated=Count("pk", filter=~Q(rating="")),
        satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
        basic=Count("pk", filter=Q(rating=Rating.BASIC)),
        due=Count("pk", filter=due),
        on_time=Count("pk", filter=due & resolved_by_deadline),
    )
    inspections = list(
        Inspection.objects.within(scope).filter(term=term, inspected_on__gte=start, inspected_on__lte=end)
    )
    counts = scoring.Counts(inspection_scores=tuple(i.score for i in inspections), **tally)
    parts = scoring.score(counts, rule)
    assessment = Assessment(
        round=round_,
        term=term,
        follows=follows,
        period_start=start,
        period_end=end,
        assessed_on=on,
        rated=counts.rated,
        satisfied=counts.satisfied,
        basic=counts.basic,
        case_count=counts.cases,
        due_count=counts.due,
        on_time_count=counts.on_time,
        satisfaction_score=parts.satisfaction,
        timeliness_score=parts.timeliness,
        volume_score=parts.volume,
        inspection_score=parts.inspection,
        score=parts.total,
        status=Status.PASSED,
    )
    if not scoring.passes(parts.total, rule) and follows is None:
        assessment.status = Status.RECTIFYING
        start_at = datetime.datetime.combine(on, datetime.time(12), tzinfo=timezone.get_current_timezone())
        due_at, provisional = work_calendar().add_working_days(start_at, rule.rectify_working_days)
        assessment.rectify_due, assessment.rectify_due_provisional = due_at.date(), provisional
    elif follows is not None:
        # A re-assessment records its own score; the outcome is the first assessment's status.
        assessment.status = Status.RECTIFIED if scoring.passes(parts.total, rule) else Status.EXIT_PROPOSED
    assessment.save()
    assessment.cases.set(cases.values_list("pk", flat=True))
    assessment.inspections.set(inspections)
    return assessment


@transaction.atomic
def open_round(
    *,
    actor,
    street: Area,
    name: str,
    period_start: datetime.date,
    period_end: datetime.date,
    assessed_on: datetime.date | None = None,
) -> AssessmentRound:
    """考核: score every term that served in the street's compounds during the period."""
    if street.kind not in STREET_KINDS:
        raise ValidationError({"street": [_("物业考核以街道为单位")]})
    capacity = _require_street(actor, street)
    assessed_on = assessed_on or timezone.localdate()
    _not_future(assessed_on, "assessed_on")
    if period_end < period_start:
        raise ValidationError({"period_end": [_("考核截止日期不能早于起始日期")]})
    if assessed_on < period_end:
        raise ValidationError({"assessed_on": [_("评分日期不能早于考核截止日期")]})
    round_ = AssessmentRound(
        street=street,
        name=required_text(name, _("请填写名称")),
        period_start=period_start,
        period_end=period_end,
        assessed_on=assessed_on,
        rule=rule_on(period_end),
        opened_by=_user(actor),
    )
    full_clean(round_, exclude=["street", "rule", "opened_by"])
    round_.save()
    scope = scope_for(actor)
    terms = (
        ServiceTerm.objects.within(scope)
        .filter(scope_q_under(street), starts_on__lte=period_end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period_start))
        .select_related("compound")
    )
    for term in terms:
        _assess(scope=scope, round_=round_, term=term, start=period_start, end=period_end, on=assessed_on)
    audit.record(
        actor=actor,
        action="property.round",
        target=round_,
        fields=["street", "name", "period_start", "period_end", "assessed_on", "rule"],
        capacity=capacity,
    )
    return round_


def scope_q_under(area: Area, prefix: str = "compound__") -> Q:
    return Q(**{f"{prefix}tree_id": area.tree_id, f"{prefix}lft__gte": area.lft, f"{prefix}lft__lte": area.rght})


@transaction.atomic
def reassess(*, actor, assessment: Assessment, on: datetime.date | None = None) -> Assessment:
    """复核: after rectification, score the term again over the days since it was flagged."""
    capacity = _require_street(actor, assessment.term.compound)
    locked = Assessment.objects.unscoped("row lock on the assessment in hand").select_for_update()
    assessment = locked.select_related("round__rule", "term__compound").get(pk=assessment.pk)
    if assessment.status != Status.RECTIFYING:
        raise ValidationError(_("只有整改中的考核可以复核"), code="not_rectifying")
    on = on or timezone.localdate()
    _not_future(on, "on")
    if on <= assessment.assessed_on:
        raise ValidationError({"on": [_("复核日期须晚于评分日期")]})
    start = assessment.assessed_on + datetime.timedelta(days=1)
    scope = scope_for(actor)
    again = _assess(
        scope=scope, round_=assessment.round, term=assessment.term, start=start, end=on, on=on, follows=assessment
    )
    assessment.status = again.status
    assessment.save(update_fields=["status"])
    audit.record(actor=actor, action="property.reassess", target=assessment, fields=["status"], capacity=capacity)
    return assessment


@transaction.atomic
def decide_exit(
    *,
    actor,
    assessment: Assessment,
    exits: bool,
    decision_ref: str,
    note: str,
    ends_on: datetime.date | None = None,
) -> Assessment:
    """The street's decision on a proposed exit: the company leaves the compound (its term ends with
    the decision as its reason), or it is kept with the reason why."""
    capacity = _require_street(actor, assessment.term.compound)
    locked = Assessment.objects.unscoped("row lock on the assessment in hand").select_for_update()
    assessment = locked.select_related("term__compound").get(pk=assessment.pk)
    if assessment.status != Status.EXIT_PROPOSED:
        raise ValidationError(_("只有拟退出的考核可以作出退出决定"), code="not_proposed")
    assessment.decision_ref = required_text(decision_ref, _("请填写决定文号"))
    assessment.decision_note = required_text(note, _("请填写决定说明"))
    if exits:
        reason = _("考核不合格,整改后复核仍不合格:%(note)s") % {"note": assessment.decision_note}
        _end(
            assessment.term,
            actor=actor,
            ends_on=ends_on or timezone.localdate(),
            reason=reason,
            exit_ref=assessment.decision_ref,
        )
        audit.record(
            actor=actor,
            action="property.exit",
            target=assessment.term,
            fields=["ends_on", "exit_reason", "exit_ref"],
            capacity=capacity,
        )
    assessment.status = Status.EXITED if exits else Status.RETAINED
    assessment.save(update_fields=["status", "decision_ref", "decision_note"])
    audit.record(
        actor=actor,
        action="property.decide",
        target=assessment,
        fields=["status", "decision_ref", "decision_note"],
        capacity=capacity,
    )
    return assessment
