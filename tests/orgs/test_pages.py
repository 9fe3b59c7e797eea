import datetime

import pytest
from django.urls import reverse

from core.scope import SYSTEM, scope_for
from orgs import selectors, services
from orgs.models import Department, OrgKind, OwnersCommittee, PartyMember, Post
from tests.factories import AreaFactory

# Organisations seated in each persona's scope (see tests/conftest.py).
VISIBLE_ORGS = {
    "grid_a": {"A", "A1"},
    "grid_b": set(),
    "community": {"K1", "A", "A1"},
    "street": {"S1", "K1", "A", "A1", "K2"},
    "officer": set(),
    "sunk": {"A", "A1"},
    "leader": {"S1", "K1", "A", "A1", "K2"},
    "admin": {"S1", "K1", "A", "A1", "K2"},
}


@pytest.mark.parametrize("persona", sorted(VISIBLE_ORGS))
def test_each_persona_sees_exactly_the_organisations_seated_in_their_scope(world, persona):
    seen = set(selectors.organizations(scope_for(world.users[persona])).values_list("pk", flat=True))
    assert seen == {world.orgs[key].pk for key in VISIBLE_ORGS[persona]}


@pytest.mark.parametrize("persona", sorted(VISIBLE_ORGS))
@pytest.mark.parametrize("key", ["S1", "K1", "A", "K2"])
def test_organisation_page_is_404_outside_scope(world, client_for, persona, key):
    response = client_for(world.users[persona]).get(reverse("orgs:organization", args=[world.orgs[key].pk]))
    assert response.status_code == (200 if key in VISIBLE_ORGS[persona] else 404)


@pytest.mark.parametrize("persona", [*sorted(VISIBLE_ORGS), None])
@pytest.mark.parametrize("url_name", ["orgs:chart", "orgs:members", "orgs:coverage"])
def test_org_list_pages_per_persona(world, client_for, persona, url_name):
    response = client_for(world.users[persona] if persona else None).get(reverse(url_name))
    if persona is None:
        assert response.status_code == 302
    else:
        assert response.status_code == (404 if persona == "officer" else 200)


def test_member_counts_and_advisories_on_the_organisation_page(world, client_for):
    response = client_for(world.users["community"]).get(reverse("orgs:organization", args=[world.orgs["A"].pk]))
    org = response.context["organization"]
    assert (org.full_count, org.probationary_count, org.subtree_count) == (2, 1, 3)
    assert [a.code for a in response.context["advisories"]] == ["joint_branch"]


def test_an_expired_term_is_flagged(world, client_for):
    response = client_for(world.users["community"]).get(reverse("orgs:organization", args=[world.orgs["K1"].pk]))
    assert world.orgs["K1"].term_end == datetime.date(2024, 12, 31)  # five years from 2020-01-01
    assert 'data-testid="term-expired"' in response.content.decode()
    assert [p.holder_name for p in response.context["committee"]] == ["总支书记"]


def test_org_chart_nests_the_tree_with_member_totals(world, client_for):
    chart = client_for(world.users["street"]).get(reverse("orgs:chart")).context["chart"]
    assert [(n["name"], n["members"]) for n in chart] == [("一街道党工委", 5)]
    community = chart[0]["children"]
    assert [(n["name"], n["members"]) for n in community] == [("一社区党总支", 4), ("二社区党支部", 1)]
    assert [n["name"] for n in community[0]["children"][0]["children"]] == ["A1楼党小组"]


def test_member_list_filters_by_kind(world, client_for):
    response = client_for(world.users["community"]).get(reverse("orgs:members"), {"kind": "in_service"})
    assert [(m.name, m.work_unit) for m, _, _ in response.context["rows"]] == [("在职党员丁", "区教育局")]


def test_household_card_says_my_family_has_a_party_member(world, client_for):
    client = client_for(world.users["grid_a"])
    member_home = client.get(reverse("grids:household", args=[world.households["A1"].pk])).content.decode()
    cared_for = client.get(reverse("grids:household", args=[world.households["A2"].pk])).content.decode()
    other = client.get(reverse("grids:household", args=[world.households["A1b"].pk])).content.decode()
    assert "我家有党员" in member_home
    assert "联系党员" in cared_for and "A1住户" in cared_for
    assert "我家有党员" not in other and "联系党员" not in other


def test_household_panel_lists_each_member_once_by_either_tie(world):
    """A1's resident member looks after A2; 党员乙 looks after A1 and A2: each shows once per card, with
    the tie it has to that household."""
    scope = scope_for(world.users["community"])
    lives_in_a1 = PartyMember.objects.unscoped("test").get(resident=world.residents["A1"])
    other = PartyMember.objects.unscoped("test").get(name="党员乙")
    other.households.add(world.households["A1"], world.households["A2"])
    lives_in_a1.households.add(world.households["A1"])  # lives in A1 and looks after it too

    def ties(key):
        panel = selectors.household_party(scope, world.households[key])
        caring = [m.name for m in panel["party_members_caring"]]
        assert len(caring) == len(set(caring))
        return panel["has_party_member"], sorted(caring)

    assert ties("A1") == (True, sorted([lives_in_a1.name, "党员乙"]))
    assert ties("A2") == (False, sorted([lives_in_a1.name, "党员乙"]))
    assert ties("A1b") == (False, [])


def test_coverage_report_figures(world, client_for):
    report = client_for(world.users["community"]).get(reverse("orgs:coverage")).context["report"]
    [k1] = report.communities
    assert (k1.community, k1.grids, k1.buildings) == (world.areas["K1"], 2, 3)
    assert k1.grids_without_org == [world.areas["B"]]
    assert k1.grids_without_full_time_worker == []
    assert k1.grids_without_ab == [world.areas["A"], world.areas["B"]]
    assert k1.buildings_without_group == [world.areas["A2"], world.areas["B1"]]
    assert k1.upgrade_to_committee == []


def test_coverage_report_for_the_street_covers_both_communities(world, client_for):
    report = client_for(world.users["street"]).get(reverse("orgs:coverage")).context["report"]
    assert [(r.community.name, r.grids, len(r.grids_without_org)) for r in report.communities] == [
        ("一社区", 2, 1),
        ("二社区", 1, 1),
    ]


def test_coverage_report_finds_a_community_due_for_a_committee_and_bodies_without_an_org(world, client_for):
    for n in range(96):  # K1 holds 4: 100 in all
        services.register_member(
            actor=SYSTEM,
            member=PartyMember(
                name=f"党员{n}",
                organization=world.orgs["A"],
                status="full",
                joined=datetime.date(2015, 1, 1),
                kind="resident",
            ),
        )
    compound = AreaFactory(kind="compound", name="新小区", parent=world.areas["A"])
    OwnersCommittee.objects.create(compound=compound, name="新小区业委会")
    covered = OwnersCommittee.objects.create(compound=compound, name="老业委会")
    services.create_organization(
        actor=SYSTEM,
        kind=OrgKind.OWNERS_COMMITTEE,
        name="老业委会党支部",
        area=compound,
        parent=world.orgs["K1"],
        owners_committee=covered,
    )
    Department.objects.create(name="红旗物业", code="hongqi", kind="property", jurisdiction=world.areas["S1"])
    report = client_for(world.users["street"]).get(reverse("orgs:coverage")).context["report"]
    k1 = report.communities[0]
    assert [o.name for o in k1.upgrade_to_committee] == ["一社区党总支"]
    assert [o.name for o in k1.branches_over_50] == ["网格A党支部"]
    assert [c.name for c in k1.owners_committees_without_org] == ["新小区业委会"]
    assert [d.name for d in report.property_companies_without_org] == ["红旗物业"]


# Each page's count includes the header's unread-notification count; the coverage report reads its targets too.
@pytest.mark.parametrize(("url_name", "queries"), [("orgs:chart", 5), ("orgs:coverage", 11), ("orgs:members", 6)])
def test_query_count_is_pinned_and_does_not_grow(world, client_for, django_assert_num_queries, url_name, queries):
    client = client_for(world.users["street"])
    with django_assert_num_queries(queries):
        client.get(reverse(url_name))
    for n in range(5):
        grid = AreaFactory(kind="grid", name=f"新网格{n}", parent=world.areas["K2"])
        AreaFactory(kind="building", name=f"新楼{n}", parent=grid)
        org = services.create_organization(
            actor=SYSTEM, kind=OrgKind.GRID_BRANCH, name=f"新支部{n}", area=grid, parent=world.orgs["K2"]
        )
        services.register_member(
            actor=SYSTEM,
            member=PartyMember(
                name=f"新党员{n}", organization=org, status="full", joined=datetime.date(2015, 1, 1), kind="resident"
            ),
        )
    with django_assert_num_queries(queries):
        client.get(reverse(url_name))


def test_committee_is_listed_by_rank(world, client_for):
    start = datetime.date(2024, 1, 1)
    for name, role in [
        ("共建书记甲", "co_building_secretary"),
        ("委员乙", "org_committee_member"),
        ("副书记丙", "deputy_secretary"),
    ]:
        services.appoint(
            actor=SYSTEM, post=Post(holder_name=name, role=role, organization=world.orgs["K1"], start=start)
        )
    response = client_for(world.users["community"]).get(reverse("orgs:organization", args=[world.orgs["K1"].pk]))
    assert [p.holder_name for p in response.context["committee"]] == ["总支书记", "副书记丙", "委员乙", "共建书记甲"]
