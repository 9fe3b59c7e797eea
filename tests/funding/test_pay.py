"""Community-worker pay and the 500 元 three-year promise, by hand."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.scope import SYSTEM
from funding.models import PayRecord
from funding.pay import monthly_pay
from orgs import services as org_services
from orgs.models import Post, Role

D = Decimal


def record(community, name, year, basic, *, qualification="none", user=None, bonus="0"):
    return PayRecord.objects.create(
        community=community,
        name=name,
        year=year,
        basic=D(basic),
        seniority=D("0"),
        grade=D("0"),
        performance=D("0"),
        annual_bonus=D(bonus),
        qualification=qualification,
        user=user,
    )


def test_monthly_pay_adds_the_structure_allowance_and_subsidy():
    worker = PayRecord(
        basic=D("3000"),
        seniority=D("200"),
        grade=D("300"),
        performance=D("800"),
        annual_bonus=D("6000"),
    )
    pay = monthly_pay(worker, allowance=D("300"), grid_leader_subsidy=D("300"), leads_grid=True)
    assert (pay.structure, pay.allowance, pay.grid_leader_subsidy, pay.total) == (
        D("4800.00"),
        D("300.00"),
        D("300.00"),
        D("5400.00"),
    )
    assert monthly_pay(worker, allowance=D("0"), grid_leader_subsidy=D("300"), leads_grid=False).total == D("4800.00")


def test_an_annual_bonus_that_does_not_divide_by_twelve_rounds_to_the_fen():
    worker = PayRecord(basic=D("0"), seniority=D("0"), grade=D("0"), performance=D("0"), annual_bonus=D("1000"))
    assert monthly_pay(worker, allowance=D("0"), grid_leader_subsidy=D("0"), leads_grid=False).structure == D("83.33")


@pytest.fixture
def payroll(world):
    """K1: 2023 average 4,000; 2026 one worker at 4,000 + senior allowance 500 and one at 3,900 who
    leads grid A's branch (+300): average 4,350, a rise of 350, short of 500.
    K2: 2023 3,800; 2026 4,300 + junior 200 = 4,500: a rise of 700."""
    org_services.appoint(
        actor=SYSTEM,
        post=Post(
            user=world.users["grid_a"],
            role=Role.SECRETARY,
            organization=world.orgs["A"],
            start=datetime.date(2024, 1, 1),
        ),
    )
    k1, k2 = world.areas["K1"], world.areas["K2"]
    record(k1, "甲", 2023, "4000")
    record(k1, "乙", 2023, "4000")
    record(k1, "甲", 2026, "4000", qualification="senior")
    record(k1, "乙", 2026, "3900", user=world.users["grid_a"])
    record(k2, "丙", 2023, "3800")
    record(k2, "丙", 2026, "4300", qualification="junior")


def test_the_pay_report_checks_the_promise(world, payroll, client_for):
    response = client_for(world.users["street"]).get(reverse("funding:pay"), {"year": 2026})
    rows = {r.community.name: r for r in response.context["communities"]}
    assert response.context["base_year"] == 2023
    assert (rows["一社区"].base_average, rows["一社区"].average, rows["一社区"].rise) == (
        D("4000.00"),
        D("4350.00"),
        D("350.00"),
    )
    assert (rows["二社区"].average, rows["二社区"].rise) == (D("4500.00"), D("700.00"))
    assert [r.community.name for r in response.context["short"]] == ["一社区"]
    grid_leader = next(pay for record_, pay in rows["一社区"].workers if record_.name == "乙")
    assert grid_leader.grid_leader_subsidy == D("300.00")


def test_community_staff_see_their_community_only(world, payroll, client_for):
    response = client_for(world.users["community"]).get(reverse("funding:pay"), {"year": 2026})
    assert [r.community.name for r in response.context["communities"]] == ["一社区"]
    assert client_for(world.users["officer"]).get(reverse("funding:pay")).status_code == 404


def test_pay_page_query_count_is_pinned(world, payroll, client_for, django_assert_num_queries):
    client = client_for(world.users["street"])
    with django_assert_num_queries(11):
        client.get(reverse("funding:pay"), {"year": 2026})
    for n in range(5):
        record(world.areas["K2"], f"新{n}", 2026, "4100", qualification="intermediate")
    with django_assert_num_queries(11):
        client.get(reverse("funding:pay"), {"year": 2026})


@pytest.mark.parametrize(
    ("qualification", "allowance"),
    [("none", "0.00"), ("junior", "200.00"), ("intermediate", "300.00"), ("senior", "500.00")],
)
def test_each_qualification_earns_its_allowance(world, client_for, qualification, allowance):
    record(world.areas["K2"], "丁", 2026, "4000", qualification=qualification)
    rows = client_for(world.users["street"]).get(reverse("funding:pay"), {"year": 2026}).context["communities"]
    [(_, pay)] = rows[0].workers
    assert (pay.allowance, pay.total) == (D(allowance), D("4000.00") + D(allowance))


def test_a_malformed_year_is_named_and_the_current_year_shown(world, client_for):
    response = client_for(world.users["street"]).get(reverse("funding:pay"), {"year": "20x6"}, follow=True)
    assert response.status_code == 200
    assert "年度“20x6”无效" in response.content.decode()
    assert response.context["year"] == timezone.localdate().year
