"""The coverage report's rates against the targets the seeds set (orgs.models.CoverageTarget: the
value and its clause are data), and a community's size against the seed's bounds. Pure: counts in,
verdicts out. A bound includes the number itself (不低于、不超过), compared exactly, never after
rounding: 94.99 % does not meet a 95 % target even though it shows as 95.0 %."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from orgs.models import CoverageTarget

GRID_PARTY = "grid-party-coverage"
GRID_FULL_TIME = "grid-full-time-worker"
GRID_AB = "grid-ab-posts"
COMMUNITY_MIN = "community-households-min"
RC_MIN = "rc-households-min"
RC_MAX = "rc-households-max"
RATE_CODES = (GRID_PARTY, GRID_FULL_TIME, GRID_AB)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Rate:
    target: CoverageTarget
    count: int
    of: int

    @property
    def percent(self) -> Decimal | None:
        if not self.of:
            return None
        return (Decimal(self.count) * 100 / self.of).quantize(TENTH, rounding=ROUND_HALF_UP)

    @property
    def met(self) -> bool:
        # Exact: count / of ≥ value / 100, multiplied out.
        return bool(self.of) and Decimal(self.count) * 100 >= self.target.value * self.of


def rates(targets: dict[str, CoverageTarget], counts: dict[str, tuple[int, int]]) -> list[Rate]:
    """One rate per target that exists, in the report's order; `counts` maps a code to (count, of)."""
    return [Rate(targets[code], *counts[code]) for code in RATE_CODES if code in targets]


@dataclass(frozen=True)
class Size:
    """A community's households, and per residents' committee (居委会), each against its bounds."""

    households: int | None
    committees: int
    community_ok: bool | None  # None: the bound is not set as data
    per_committee: Decimal | None
    per_committee_ok: bool | None
    community_min: Decimal | None = None
    committee_min: Decimal | None = None
    committee_max: Decimal | None = None

    @property
    def flagged(self) -> bool:
        return self.community_ok is False or self.per_committee_ok is False


def size(targets: dict[str, CoverageTarget], *, households: int | None, committees: int) -> Size:
    community = targets.get(COMMUNITY_MIN)
    low, high = targets.get(RC_MIN), targets.get(RC_MAX)
    community_ok = community.met(households) if community and households is not None else None
    per = None
    if households is not None and committees:
        per = (Decimal(households) / committees).quantize(TENTH, rounding=ROUND_HALF_UP)
    per_ok = None
    if per is not None and (low or high):
        exact = Decimal(households) / committees
        per_ok = (low is None or low.met(exact)) and (high is None or high.met(exact))
    return Size(
        households,
        committees,
        community_ok,
        per,
        per_ok,
        community.value if community else None,
        low.value if low else None,
        high.value if high else None,
    )
