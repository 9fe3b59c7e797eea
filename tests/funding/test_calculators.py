"""The seed-000 formulas at every edge, with hand-computed figures."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import split
from funding import selectors
from funding.calculators import Inputs, estimate

D = Decimal


@pytest.fixture
def rules(db):
    return selectors.rules_for(selectors.policy_for(2026))


def lines(rules, **kwargs):
    inputs = Inputs(**{"fiscal_class": "city_district", "org_kind": "community_branch", "households": 1000, **kwargs})
    return {line.item: line for line in estimate(rules, inputs).lines}


@pytest.mark.parametrize(
    ("households", "amount"),
    [
        (0, "170000"),
        (2999, "170000"),
        (3000, "170000"),
        (3001, "180000"),
        (4999, "180000"),
        (5000, "200000"),
        (5001, "200000"),
    ],
)
def test_service_fund_band_edges_read_yishang_yixia_as_inclusive(rules, households, amount):
    assert lines(rules, households=households)["service_fund"].amount == D(amount)


@pytest.mark.parametrize(
    ("org_kind", "amount", "city", "local"),
    [
        ("community_committee", "100000.00", "50000.00", "50000.00"),
        ("community_general_branch", "60000.00", "30000.00", "30000.00"),
        ("community_branch", "40000.00", "20000.00", "20000.00"),
    ],
)
def test_party_building_funds_by_the_organisations_kind_split_5_5(rules, org_kind, amount, city, local):
    line = lines(rules, org_kind=org_kind)["party_building"]
    assert (line.amount, line.city, line.local) == (D(amount), D(city), D(local))


def test_service_fund_splits_6_4_in_a_city_district(rules):
    line = lines(rules, households=4200)["service_fund"]
    assert (line.city, line.local) == (D("108000.00"), D("72000.00"))


def test_a_county_pays_party_staff_and_service_funds_in_full_but_shares_a_venue(rules):
    by_item = lines(
        rules,
        fiscal_class="county",
        households=6000,
        new_staff=2,
        new_staff_annual_salary=D("48000"),
        new_venue_cost=D("300000"),
    )
    for item in ("party_building", "service_fund", "new_staff_salaries"):
        assert by_item[item].city == D("0.00")
        assert by_item[item].local == by_item[item].amount
    assert (by_item["new_venue"].city, by_item["new_venue"].local) == (D("150000.00"), D("150000.00"))


def test_the_grid_leader_subsidy_is_300_a_month_and_an_assumed_local_cost(rules):
    line = lines(rules, grid_party_org_leaders=4, months=9)["grid_leader_subsidy"]
    assert (line.amount, line.city, line.local) == (D("10800.00"), D("0.00"), D("10800.00"))
    assert line.assumption and "假设" in line.clause


def test_an_odd_fen_goes_to_the_district(rules):
    line = lines(rules, new_staff=1, new_staff_annual_salary=D("33333.33"))["new_staff_salaries"]
    assert (line.city, line.local) == (D("16666.67"), D("16666.66"))  # 16,666.665 rounds half-up for the city


def test_a_whole_community_by_hand(rules):
    """文苑社区-like: 党总支, 4,200 households, 3 grid leaders, a city district, nothing new."""
    result = estimate(
        rules,
        Inputs(
            fiscal_class="city_district", org_kind="community_general_branch", households=4200, grid_party_org_leaders=3
        ),
    )
    # 60,000 (30,000 + 30,000) + 180,000 (108,000 + 72,000) + 300 × 3 × 12 = 10,800 (local)
    assert (result.amount, result.city, result.local) == (D("250800.00"), D("138000.00"), D("112800.00"))


def test_every_line_cites_its_clause(rules):
    assert all(line.clause for line in lines(rules).values())


@given(
    amount=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    city=st.integers(min_value=0, max_value=10),
    local=st.integers(min_value=0, max_value=10),
)
def test_a_split_never_loses_or_creates_a_fen(amount, city, local):
    if city + local == 0:
        return
    city_share, local_share = split(amount, city, local)
    assert city_share + local_share == amount
    assert city_share == city_share.quantize(D("0.01")) and local_share >= 0
