"""The assessment's arithmetic, pure: from the counts and the rule to each part's score and the total.

Each part is on a 100-point scale, rounded to 0.1 (half up) as the page shows it:
- residents' satisfaction: (satisfied + 0.9 × basically satisfied) / rated × 100, the same
  reading of a 基本满意 as the case metrics (cases.metrics.BASIC_SATISFACTION);
- timeliness: cases resolved by their deadline / cases due × 100;
- case volume: 100 − cases × the rule's points per case, never below 0;
- inspections: the mean of the inspections' scores.
A part with nothing to count (no ratings, no case due, no inspection) is left out, and the total
is the weighted mean of the parts that exist, from their rounded scores, so anyone can redo it by
hand from the page. Volume always exists; under a rule that weighs it 0 and with nothing else to
count, the total is the volume part alone (no case, full marks)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cases.metrics import BASIC_SATISFACTION

PLACES = Decimal("0.1")
HUNDRED = Decimal(100)


def _round(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Counts:
    rated: int = 0
    satisfied: int = 0
    basic: int = 0
    cases: int = 0
    due: int = 0
    on_time: int = 0
    inspection_scores: tuple[Decimal, ...] = ()


@dataclass(frozen=True)
class Parts:
    satisfaction: Decimal | None
    timeliness: Decimal | None
    volume: Decimal
    inspection: Decimal | None
    total: Decimal


def score(counts: Counts, rule) -> Parts:
    satisfaction = timeliness = inspection = None
    if counts.rated:
        satisfied = counts.satisfied + BASIC_SATISFACTION * counts.basic
        satisfaction = _round(satisfied * HUNDRED / counts.rated)
    if counts.due:
        timeliness = _round(Decimal(counts.on_time) * HUNDRED / counts.due)
    volume = _round(max(Decimal(0), HUNDRED - counts.cases * rule.points_per_case))
    if counts.inspection_scores:
        inspection = _round(sum(counts.inspection_scores, Decimal(0)) / len(counts.inspection_scores))
    weighted = [
        (satisfaction, rule.satisfaction_weight),
        (timeliness, rule.timeliness_weight),
        (volume, rule.volume_weight),
        (inspection, rule.inspection_weight),
    ]
    present = [(part, weight) for part, weight in weighted if part is not None and weight]
    weights = sum((weight for _, weight in present), Decimal(0))
    total = _round(sum((part * weight for part, weight in present), Decimal(0)) / weights) if weights else volume
    return Parts(satisfaction, timeliness, volume, inspection, total)


def passes(total: Decimal, rule) -> bool:
    """以上 includes the number itself (Civil Code art. 1259): exactly the pass mark passes."""
    return total >= rule.pass_score
