"""The membership rules at every boundary; 以上 includes the number itself."""

import pytest

from orgs.advisories import advisories
from orgs.models import OrgKind


def codes(kind=OrgKind.GRID_BRANCH, *, full=10, probationary=0, subtree_total=None):
    total = full + probationary if subtree_total is None else subtree_total
    return {a.code for a in advisories(kind=kind, full=full, probationary=probationary, subtree_total=total)}


@pytest.mark.parametrize(("full", "joint"), [(0, True), (2, True), (3, False), (4, False)])
def test_fewer_than_three_full_members_make_a_joint_branch(full, joint):
    assert ("joint_branch" in codes(full=full)) is joint


def test_probationary_members_do_not_count_towards_a_branch():
    assert "joint_branch" in codes(full=2, probationary=5)


@pytest.mark.parametrize(("full", "committee"), [(6, False), (7, True), (8, True)])
def test_seven_full_members_need_a_branch_committee(full, committee):
    assert ("branch_committee" in codes(full=full)) is committee


@pytest.mark.parametrize(
    ("total", "over_50", "general_branch"),
    [(49, False, False), (50, False, True), (51, True, True)],
)
def test_fifty_members_is_the_edge_of_a_branch(total, over_50, general_branch):
    found = codes(full=total - 5, probationary=5)
    assert ("over_50" in found) is over_50
    assert ("general_branch_eligible" in found) is general_branch


@pytest.mark.parametrize(("subtree", "upgrade"), [(99, False), (100, True), (101, True)])
def test_a_community_with_a_hundred_members_sets_up_a_committee(subtree, upgrade):
    found = codes(OrgKind.COMMUNITY_GENERAL_BRANCH, full=20, subtree_total=subtree)
    assert ("community_committee" in found) is upgrade


def test_a_community_committee_is_not_told_to_become_one():
    assert "community_committee" not in codes(OrgKind.COMMUNITY_COMMITTEE, full=20, subtree_total=300)


def test_a_building_group_gets_no_branch_advice():
    assert codes(OrgKind.BUILDING_GROUP, full=1) == set()


def test_every_advisory_cites_its_rule():
    found = advisories(kind=OrgKind.COMMUNITY_BRANCH, full=60, probationary=0, subtree_total=120)
    assert {a.code for a in found} == {"branch_committee", "over_50", "general_branch_eligible", "community_committee"}
    assert all(a.clause for a in found)
