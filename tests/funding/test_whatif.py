"""Re-division what-ifs on the persona world, by hand.

K1 一社区: 党总支, 3,000 households, 1 grid branch with a secretary (added here), city district.
K2 二社区: 党支部, 5,000 households, no grid branch.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.scope import SYSTEM
from funding import whatif
from funding.models import Scenario
from grids.models import Area
from orgs import services as org_services
from orgs.models import OrgKind, Post, Role

D = Decimal


@pytest.fixture
def led_grid(world):
    org_services.appoint(
        actor=SYSTEM,
        post=Post(
            holder_name="网格A书记", role=Role.SECRETARY, organization=world.orgs["A"], start=datetime.date(2024, 1, 1)
        ),
    )


@pytest.mark.parametrize(
    ("members", "kind"),
    [
        (49, "community_branch"),
        (50, "community_general_branch"),
        (99, "community_general_branch"),
        (100, "community_committee"),
    ],
)
def test_a_new_community_gets_the_organisation_its_members_call_for(members, kind):
    assert whatif.advised_kind(members) == kind


def _difference(scenario, item_label):
    return next(row for row in whatif.differences(scenario) if row["item"] == item_label)


def test_splitting_one_community_in_two(world, led_grid):
    scenario = whatif.save_scenario(
        name="一社区一分为二",
        year=2026,
        communities=[world.areas["K1"]],
        proposal=[
            {"name": "东社区", "households": 1600, "party_members": 60, "grid_party_org_leaders": 1},
            {
                "name": "西社区",
                "households": 1400,
                "party_members": 30,
                "grid_party_org_leaders": 1,
                "new_staff": 3,
                "new_staff_annual_salary": "40000",
                "new_venue_cost": "200000",
            },
        ],
        actor=world.users["street"],
    )
    # Before: 60,000 + 170,000 + 3,600. After: 党总支 60,000 + 党支部 40,000; 170,000 × 2;
    # 3,600 × 2; staff 120,000; venue 200,000.
    party = _difference(scenario, "社区党建经费")
    assert (party["amount_before"], party["amount_after"], party["city_change"], party["local_change"]) == (
        D("60000.00"),
        D("100000.00"),
        D("20000.00"),
        D("20000.00"),
    )
    service = _difference(scenario, "为民服务和发展专项资金")
    assert (service["amount_change"], service["city_change"], service["local_change"]) == (
        D("170000.00"),
        D("102000.00"),
        D("68000.00"),
    )
    total = whatif.differences(scenario)[-1]
    assert (total["amount_before"], total["amount_after"]) == (D("233600.00"), D("767200.00"))
    assert total["city_change"] + total["local_change"] == total["amount_change"] == D("533600.00")


def test_merging_two_communities_into_one(world, led_grid):
    scenario = whatif.save_scenario(
        name="一二社区合并",
        year=2026,
        communities=[world.areas["K1"], world.areas["K2"]],
        proposal=[{"name": "合并社区", "households": 8000, "party_members": 120, "grid_party_org_leaders": 1}],
        actor=world.users["street"],
    )
    # Before: K1 60,000 + 170,000 + 3,600; K2 40,000 + 200,000. After: 党委 100,000 + 200,000 + 3,600.
    # City before 30,000 + 102,000 + 20,000 + 120,000 = 272,000; after 50,000 + 120,000 = 170,000.
    total = whatif.differences(scenario)[-1]
    assert (total["amount_before"], total["amount_after"], total["amount_change"]) == (
        D("473600.00"),
        D("303600.00"),
        D("-170000.00"),
    )
    assert (total["city_change"], total["local_change"]) == (D("-102000.00"), D("-68000.00"))
    assert scenario.after[0]["org_kind"] == OrgKind.COMMUNITY_COMMITTEE


def test_a_scenario_changes_nothing_real(world, led_grid):
    before = list(Area.objects.values_list("pk", "declared_households").order_by("pk"))
    whatif.save_scenario(
        name="试算",
        year=2026,
        communities=[world.areas["K1"]],
        proposal=[{"name": "新", "households": 10, "party_members": 1}],
        actor=world.users["street"],
    )
    assert list(Area.objects.values_list("pk", "declared_households").order_by("pk")) == before


def test_the_form_saves_a_scenario_and_the_page_shows_it(world, led_grid, client_for):
    client = client_for(world.users["street"])
    response = client.post(
        reverse("funding:scenario_create"),
        {
            "name": "页面方案",
            "year": 2026,
            "communities": [world.areas["K1"].pk],
            "new-TOTAL_FORMS": 2,
            "new-INITIAL_FORMS": 0,
            "new-MIN_NUM_FORMS": 1,
            "new-MAX_NUM_FORMS": 12,
            "new-0-name": "甲",
            "new-0-households": 3000,
            "new-0-party_members": 10,
            "new-0-grid_party_org_leaders": 1,
            "new-0-new_staff": 0,
            "new-0-new_staff_annual_salary": "0",
            "new-0-new_venue_cost": "0",
        },
    )
    assert response.status_code == 302, response.context["formset"].errors
    scenario = Scenario.objects.get(name="页面方案")
    page = client.get(reverse("funding:scenario", args=[scenario.pk])).content.decode()
    assert "社区党支部" in page and "社区党建经费" in page and "-20,000.00" in page


@pytest.mark.parametrize(
    ("persona", "status"), [("community", 404), ("grid_a", 404), ("officer", 404), ("street", 200)]
)
def test_only_planners_open_the_form(world, client_for, persona, status):
    assert client_for(world.users[persona]).get(reverse("funding:scenario_create")).status_code == status


def test_scenarios_are_seen_by_those_whose_communities_they_touch(world, led_grid, client_for):
    scenario = whatif.save_scenario(
        name="二社区方案",
        year=2026,
        communities=[world.areas["K2"]],
        proposal=[{"name": "新二", "households": 10, "party_members": 1}],
        actor=world.users["street"],
    )
    assert client_for(world.users["community"]).get(reverse("funding:scenario", args=[scenario.pk])).status_code == 404
    assert client_for(world.users["street"]).get(reverse("funding:scenario", args=[scenario.pk])).status_code == 200
