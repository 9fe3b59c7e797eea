"""考核评估: a round scores each serving term from the cases at its compound and its inspections,
under the rule in force; below the pass mark it is flagged for 整改 with a working-day deadline,
re-assessed, and if still below proposed for exit and decided — each step kept and audited."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services as case_services
from cases.models import Case, Category
from core.models import AuditEntry
from core.scope import SYSTEM
from estates import scoring, services
from estates.models import Assessment, Status
from tests.estates.conftest import rule

TZ = ZoneInfo("Asia/Shanghai")
START, END, ON = datetime.date(2026, 3, 1), datetime.date(2026, 5, 31), datetime.date(2026, 6, 1)


def at(day: datetime.date, hour=10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def case_at(world, estate, building="AC1", *, rating="", on_time=None, day=datetime.date(2026, 4, 1)) -> Case:
    case = case_services.report_case(
        actor=world.users["grid_a"],
        category=Category.objects.get(code="urban-events-clutter"),
        area=estate[building],
        description="楼道堆放杂物",
        at=at(day),
    )
    fields = {"rating": rating, "created_at": at(day), "resolution_due": at(day + datetime.timedelta(days=5))}
    if on_time is not None:
        fields["resolved_at"] = at(day + datetime.timedelta(days=3 if on_time else 8))
    Case.objects.filter(pk=case.pk).update(**fields)
    return case


def inspect(serving, score, compound="甲", day=datetime.date(2026, 4, 15)):
    return services.record_inspection(
        actor=SYSTEM, term=serving[compound], inspected_on=day, items="保洁\n绿化", score=Decimal(score)
    )


def open_round(world, by="street", on=ON):
    return services.open_round(
        actor=world.users[by],
        street=world.areas["S1"],
        name="2026年春季考核",
        period_start=START,
        period_end=END,
        assessed_on=on,
    )


def assessment_of(round_, term) -> Assessment:
    return Assessment.objects.get(round=round_, term=term, follows__isnull=True)


# The pass mark (合格分), exactly and 0.1 below -----------------------------------------------------


@pytest.mark.parametrize(("score", "status"), [("60.0", Status.PASSED), ("59.9", Status.RECTIFYING)])
def test_exactly_the_pass_mark_passes_and_a_tenth_below_is_flagged(world, serving, score, status):
    rule(satisfaction_weight=0, timeliness_weight=0, volume_weight=0, inspection_weight=1)
    inspect(serving, score)
    found = assessment_of(open_round(world), serving["甲"])
    assert (found.score, found.status) == (Decimal(score), status)
    assert (found.rectify_due is None) == (status == Status.PASSED)


@pytest.mark.parametrize(("pass_score", "status"), [("75.0", Status.PASSED), ("75.1", Status.RECTIFYING)])
def test_the_pass_mark_is_data(world, serving, pass_score, status):
    rule(pass_score=Decimal(pass_score), satisfaction_weight=0, timeliness_weight=0, volume_weight=0)
    inspect(serving, "75")
    assert assessment_of(open_round(world), serving["甲"]).status == status


# The score, by hand ---------------------------------------------------------------------------

COUNTS = scoring.Counts(
    rated=4, satisfied=2, basic=1, cases=5, due=4, on_time=3, inspection_scores=(Decimal(90), Decimal(81))
)
# satisfaction (2 + 0.9) / 4 = 72.5; timeliness 3 / 4 = 75.0; volume 100 − 5 × 2 = 90.0; inspection 85.5
PARTS = {
    "satisfaction": Decimal("72.5"),
    "timeliness": Decimal("75.0"),
    "volume": Decimal("90.0"),
    "inspection": Decimal("85.5"),
}
BASE = {"satisfaction": 40, "timeliness": 30, "volume": 10, "inspection": 20}


def by_hand(weights: dict) -> Decimal:
    total = sum(PARTS[k] * w for k, w in weights.items()) / sum(weights.values())
    return total.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP")


def as_rule(weights: dict, points_per_case=Decimal(2)):
    return type(
        "Rule", (), {f"{k}_weight": Decimal(w) for k, w in weights.items()} | {"points_per_case": points_per_case}
    )


def test_the_default_weights_give_the_hand_computed_score():
    parts = scoring.score(COUNTS, as_rule(BASE))
    assert (parts.satisfaction, parts.timeliness, parts.volume, parts.inspection) == tuple(PARTS.values())
    # (72.5 × 40 + 75 × 30 + 90 × 10 + 85.5 × 20) / 100 = 77.6
    assert parts.total == Decimal("77.6") == by_hand(BASE)


@pytest.mark.parametrize("part", list(BASE))
def test_each_weight_changed_moves_the_score_as_by_hand(part):
    weights = BASE | {part: BASE[part] + 30}
    moved = scoring.score(COUNTS, as_rule(weights)).total
    assert moved == by_hand(weights) and moved != by_hand(BASE)


def test_points_per_case_move_the_volume_part():
    assert scoring.score(COUNTS, as_rule(BASE, points_per_case=Decimal(30))).volume == Decimal(0)  # never below 0
    assert scoring.score(COUNTS, as_rule(BASE, points_per_case=Decimal("0.5"))).volume == Decimal("97.5")


def test_a_part_with_nothing_to_count_is_left_out():
    parts = scoring.score(scoring.Counts(cases=0), as_rule(BASE))
    assert (parts.satisfaction, parts.timeliness, parts.inspection, parts.total) == (None, None, None, Decimal(100))


# A round from the platform's records -----------------------------------------------------------


def test_a_round_scores_from_the_cases_at_the_compound_and_keeps_them(world, serving, estate):
    counted = [
        case_at(world, estate, rating="satisfied", on_time=True),
        case_at(world, estate, rating="basic", on_time=True),
        case_at(world, estate, rating="dissatisfied", on_time=False),
        case_at(world, estate),  # not rated, not resolved, past its deadline at the end of the period
    ]
    case_at(world, estate, "A1", rating="dissatisfied")  # in grid A, not in the compound
    case_at(world, estate, rating="dissatisfied", day=datetime.date(2026, 2, 27))  # before the period
    inspection = inspect(serving, "80")
    found = assessment_of(open_round(world), serving["甲"])
    assert (found.rated, found.satisfied, found.basic, found.case_count, found.due_count, found.on_time_count) == (
        3,
        1,
        1,
        4,
        4,
        2,
    )
    # (1 + 0.9) / 3 = 63.3; 2 / 4 = 50.0; 100 − 4 × 2 = 92.0; 80.0 → (63.3×40 + 50×30 + 92×10 + 80×20) / 100
    assert (found.satisfaction_score, found.timeliness_score, found.volume_score, found.inspection_score) == (
        Decimal("63.3"),
        Decimal("50.0"),
        Decimal("92.0"),
        Decimal("80.0"),
    )
    assert found.score == Decimal("65.5")
    assert set(found.cases.all()) == set(counted) and list(found.inspections.all()) == [inspection]
    # 乙小区 has no records at all: full marks on volume alone. 丙小区 is another street's.
    assert assessment_of(found.round, serving["乙"]).score == Decimal(100)
    assert not Assessment.objects.filter(term=serving["丙"]).exists()
    assert AuditEntry.objects.filter(action="property.round", target_id=found.round.pk).exists()


def test_the_rectification_deadline_counts_working_days_over_the_national_day(world, serving):
    # From Tue 29 Sep 2026: Wed 30 Sep, (1–7 Oct off), Thu 8, Fri 9, Sat 10 Oct (调休 make-up day).
    rule(rectify_working_days=4, satisfaction_weight=0, timeliness_weight=0, volume_weight=0)
    inspect(serving, "50", day=datetime.date(2026, 8, 3))
    round_ = services.open_round(
        actor=SYSTEM,
        street=world.areas["S1"],
        name="三季度",
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 9, 28),
        assessed_on=datetime.date(2026, 9, 29),
    )
    found = assessment_of(round_, serving["甲"])
    assert (found.status, found.rectify_due) == (Status.RECTIFYING, datetime.date(2026, 10, 10))


@pytest.mark.parametrize("who", ["community", "grid_a", "officer"])
def test_only_the_street_opens_a_round(world, serving, who):
    with pytest.raises(PermissionDenied):
        open_round(world, by=who)


def test_community_staff_inspect_their_compounds_and_grid_workers_do_not(world, serving):
    services.record_inspection(
        actor=world.users["community"],
        term=serving["甲"],
        inspected_on=datetime.date(2026, 4, 1),
        items="保洁",
        score=90,
    )
    with pytest.raises(PermissionDenied):
        services.record_inspection(
            actor=world.users["grid_a"],
            term=serving["甲"],
            inspected_on=datetime.date(2026, 4, 1),
            items="保洁",
            score=90,
        )
    with pytest.raises(PermissionDenied):  # 乙小区 is in K2
        services.record_inspection(
            actor=world.users["community"],
            term=serving["乙"],
            inspected_on=datetime.date(2026, 4, 1),
            items="保洁",
            score=90,
        )


def test_an_inspection_outside_the_term_or_off_the_scale_is_refused(world, serving):
    with pytest.raises(ValidationError):
        inspect(serving, "80", day=datetime.date(2026, 3, 1))  # the term starts on 2 March
    with pytest.raises(ValidationError):
        inspect(serving, "100.1")


# 整改, 复核, 退出 -------------------------------------------------------------------------------


def flagged(world, serving):
    rule(satisfaction_weight=0, timeliness_weight=0, volume_weight=0)
    inspect(serving, "40")
    return assessment_of(open_round(world), serving["甲"])


def test_rectified_when_the_reassessment_passes(world, serving):
    first = flagged(world, serving)
    inspect(serving, "85", day=datetime.date(2026, 6, 10))
    services.reassess(actor=world.users["street"], assessment=first, on=datetime.date(2026, 6, 20))
    first.refresh_from_db()
    again = first.reassessment
    assert (first.status, again.score, again.period_start) == (
        Status.RECTIFIED,
        Decimal("85.0"),
        datetime.date(2026, 6, 2),
    )
    assert list(again.inspections.values_list("score", flat=True)) == [Decimal("85.0")]


def test_still_below_proposes_exit_and_the_decision_ends_the_term(world, serving, estate):
    street = world.users["street"]
    first = flagged(world, serving)
    inspect(serving, "55", day=datetime.date(2026, 6, 10))
    services.reassess(actor=street, assessment=first, on=datetime.date(2026, 6, 20))
    first.refresh_from_db()
    assert first.status == Status.EXIT_PROPOSED
    with pytest.raises(ValidationError):  # a second re-assessment of the same flag
        services.reassess(actor=street, assessment=first, on=datetime.date(2026, 6, 21))
    services.decide_exit(
        actor=street,
        assessment=first,
        exits=True,
        decision_ref="街退〔2026〕3号",
        note="复核仍不合格",
        ends_on=datetime.date(2026, 6, 30),
    )
    term = serving["甲"]
    term.refresh_from_db()
    first.refresh_from_db()
    assert first.status == Status.EXITED and term.ends_on == datetime.date(2026, 6, 30)
    assert term.exit_ref == "街退〔2026〕3号" and "复核仍不合格" in term.exit_reason
    actions = set(AuditEntry.objects.filter(action__startswith="property.").values_list("action", flat=True))
    assert {"property.round", "property.reassess", "property.decide", "property.exit"} <= actions
    # The compound is free for the next company.
    services.admit_company(
        actor=street,
        compound=estate["甲"],
        company=estate["乙物业"],
        starts_on=datetime.date(2026, 7, 1),
        admission_ref="街准〔2026〕9号",
    )


def test_the_street_may_keep_a_company_proposed_for_exit(world, serving):
    first = flagged(world, serving)
    inspect(serving, "50", day=datetime.date(2026, 6, 10))
    services.reassess(actor=SYSTEM, assessment=first, on=datetime.date(2026, 6, 20))
    services.decide_exit(
        actor=world.users["street"],
        assessment=first,
        exits=False,
        decision_ref="街〔2026〕4号",
        note="业主大会要求保留",
    )
    first.refresh_from_db()
    serving["甲"].refresh_from_db()
    assert first.status == Status.RETAINED and serving["甲"].ends_on is None


def test_community_staff_do_not_decide_an_exit(world, serving):
    first = flagged(world, serving)
    with pytest.raises(PermissionDenied):
        services.reassess(actor=world.users["community"], assessment=first, on=datetime.date(2026, 6, 20))
