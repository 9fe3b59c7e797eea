"""Party organisations on pages: kept one level down the org chain, created only under the right
parent kind, with their term and their committee, every write on the audit trail."""

import datetime
import re

import pytest
from django.test import Client

from core.models import AuditEntry
from core.scope import SYSTEM
from orgs import services
from orgs.models import Coverage, Organization, OrgKind, Post, Role
from tests.sign_in import force_login_verified

DAY = datetime.date(2025, 1, 1)


def _client(world, persona: str) -> Client:
    return force_login_verified(Client(), world.users[persona])


def _orgs() -> list:
    return list(
        Organization.objects.unscoped("test")
        .order_by("pk")
        .values_list("pk", "name", "parent_id", "term_start", "term_end", "lft", "rght")
    )


def _posts() -> list:
    return list(Post.objects.unscoped("test").order_by("pk").values_list("pk", "role", "organization_id", "end"))


def _coverage() -> list:
    return list(Coverage.objects.order_by("pk").values_list("organization_id", "area_id"))


def _snapshot() -> tuple:
    return _orgs(), _posts(), _coverage(), AuditEntry.objects.count()


def _org(world, key: str) -> Organization:
    """The world's organisations, and the neighbours each persona must not reach."""
    if key in world.orgs:
        return world.orgs[key]
    a = world.areas
    if key == "S2":  # another street's tree
        root = services.create_organization(
            actor=SYSTEM, kind=OrgKind.STREET_WORKING_COMMITTEE, name="二街道党工委", area=a["S2"]
        )
        return services.create_organization(
            actor=SYSTEM, kind=OrgKind.COMMUNITY_BRANCH, name="三社区党支部", area=a["K3"], parent=root
        )
    assert key == "county"  # outside the district
    root = services.create_organization(
        actor=SYSTEM, kind=OrgKind.STREET_WORKING_COMMITTEE, name="一镇党委", area=a["T"]
    )
    return services.create_organization(
        actor=SYSTEM, kind=OrgKind.COMMUNITY_BRANCH, name="四社区党支部", area=a["K4"], parent=root
    )


# (persona, an organisation it keeps, a neighbour's it does not see)
KEEPERS = [
    ("community", "A", "K2"),  # grid A's branch is inside K1; K2's branch is the next community's
    ("street", "K1", "S2"),  # the community committee is the street's; the next street's tree is not
    ("district", "S1", "county"),  # the street committee is the district's; the county is elsewhere
]


@pytest.mark.parametrize(("persona", "own", "neighbour"), KEEPERS)
def test_each_keeper_opens_its_own_organisations_forms_and_not_a_neighbours(world, persona, own, neighbour):
    client = _client(world, persona)
    mine, theirs = _org(world, own), _org(world, neighbour)
    for slug in ["edit", "cover", "history"]:
        assert client.get(f"/orgs/{mine.pk}/{slug}/").status_code == 200, slug
        assert client.get(f"/orgs/{theirs.pk}/{slug}/").status_code == 404, slug
    assert client.get(f"/orgs/{mine.pk}/").status_code == 200
    assert client.get(f"/orgs/{theirs.pk}/").status_code == 404
    listed = client.get("/orgs/list/").content.decode()
    assert mine.name in listed and theirs.name not in listed


@pytest.mark.parametrize(
    ("persona", "key"),
    [
        ("community", "K1"),  # its own community's committee is the street's to keep
        ("street", "S1"),  # its own street committee is the district's
        ("grid_a", "A"),  # a grid worker keeps no organisation
        ("leader", "A"),
        ("officer", "A"),
    ],
)
def test_a_write_the_chain_does_not_allow_is_a_404_and_changes_nothing(world, persona, key):
    client = _client(world, persona)
    org = world.orgs[key]
    before = _snapshot()
    edit = client.post(f"/orgs/{org.pk}/edit/", {"name": "改名", "term_start": "2025-01-01"})
    cover = client.post(f"/orgs/{org.pk}/cover/", {"areas": [world.areas["A1"].pk]})
    appoint = client.post(
        f"/orgs/{org.pk}/appoint/", {"holder_name": "某人", "role": "deputy_secretary", "start": "2025-01-01"}
    )
    assert (edit.status_code, cover.status_code, appoint.status_code) == (404, 404, 404)
    assert _snapshot() == before


@pytest.mark.parametrize("persona", ["grid_a", "leader", "officer", "sunk"])
def test_who_keeps_no_organisation_is_not_offered_the_create_form(world, persona):
    client = _client(world, persona)
    before = _snapshot()
    assert client.get("/orgs/new/").status_code == 404
    post = {"kind": "grid_branch", "name": "网格B党支部", "parent": world.orgs["K1"].pk, "area": world.areas["B"].pk}
    assert client.post("/orgs/new/", post).status_code == 404
    assert _snapshot() == before


def test_community_staff_create_a_grid_branch_under_their_community_committee(world):
    client = _client(world, "community")
    response = client.post(
        "/orgs/new/",
        {"kind": "grid_branch", "name": "网格B党支部", "parent": world.orgs["K1"].pk, "area": world.areas["B"].pk},
    )
    org = Organization.objects.unscoped("test").get(name="网格B党支部")
    assert response.status_code == 302 and response["Location"] == f"/orgs/{org.pk}/"
    assert (org.parent_id, org.kind) == (world.orgs["K1"].pk, OrgKind.GRID_BRANCH)
    assert list(org.covers.values_list("pk", flat=True)) == [world.areas["B"].pk]
    parent = Organization.objects.unscoped("test").get(pk=world.orgs["K1"].pk)
    assert parent.lft < org.lft < org.rght < parent.rght and org.tree_id == parent.tree_id
    entry = AuditEntry.objects.filter(action="orgs.create_organization").latest("id")
    assert (entry.actor, entry.capacity, entry.target_id) == (world.users["community"], "community_staff", str(org.pk))
    assert "网格B党支部" not in repr(entry.fields)


@pytest.mark.parametrize(
    ("kind", "parent"),
    [
        ("grid_branch", "A1"),  # a grid branch under a building group
        ("building_group", "K1"),  # a building group straight under the community's 总支
        ("compound_branch", "A1"),
    ],
)
def test_a_wrong_parent_kind_is_refused_in_chinese_on_the_parent_field(world, kind, parent):
    client = _client(world, "community")
    before = _snapshot()
    response = client.post(
        "/orgs/new/",
        {"kind": kind, "name": "新组织", "parent": world.orgs[parent].pk, "area": world.areas["A2"].pk},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"上级党组织:{OrgKind(kind).label}的上级必须是" in page
    assert _snapshot() == before


def test_a_street_committee_with_a_parent_is_refused_on_the_parent_field(world):
    client = _client(world, "district")
    before = _snapshot()
    data = {"kind": "street_committee", "name": "二街道党工委", "parent": world.orgs["S1"].pk}
    response = client.post("/orgs/new/", {**data, "area": world.areas["S2"].pk})
    assert response.status_code == 400
    assert "上级党组织:街道党工委是顶级党组织,不能有上级" in response.content.decode()
    assert _snapshot() == before


def test_a_seat_outside_the_parents_is_refused_on_the_area_field(world):
    """Street staff see both communities: a grid branch of K1's 总支 cannot sit in K2's grid."""
    client = _client(world, "street")
    before = _snapshot()
    response = client.post(
        "/orgs/new/",
        {"kind": "grid_branch", "name": "网格C党支部", "parent": world.orgs["K1"].pk, "area": world.areas["C"].pk},
    )
    assert response.status_code == 400
    assert "所在区域:所在区域须在上级党组织所在区域之内" in response.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("persona", "kind", "seat", "message"),
    [
        ("community", "street_committee", "A", "所在区域:街道党工委须设在街道或镇"),  # a new root, in a grid
        ("street", "community_committee", "B", "所在区域:社区党委须设在社区"),
    ],
)
def test_the_tree_s_upper_levels_sit_at_their_own_kind_of_place(world, persona, kind, seat, message):
    """Community staff keep their grids: a 街道党工委 seated in one would be a tree of their own."""
    client = _client(world, persona)
    before = _snapshot()
    data = {"kind": kind, "name": "新组织", "area": world.areas[seat].pk}
    if kind != "street_committee":
        data["parent"] = world.orgs["S1"].pk
    response = client.post("/orgs/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _snapshot() == before


def test_a_community_term_from_29_february_ends_five_years_on(world):
    from orgs import services

    org = services.create_organization(
        actor=world.users["street"], kind="community_committee", name="二社区党委", area=world.areas["K2"],
        parent=world.orgs["S1"], term_start=datetime.date(2024, 2, 29),
    )  # fmt: skip
    assert org.term_end == datetime.date(2029, 2, 28)


def test_community_staff_are_not_offered_their_own_community_as_a_seat(world):
    client = _client(world, "community")
    form = client.get("/orgs/new/").content.decode()
    seats = re.search(r'<select name="area".*?</select>', form, re.S).group(0)
    assert f'value="{world.areas["A"].pk}"' in seats and f'value="{world.areas["K1"].pk}"' not in seats
    before = _snapshot()
    response = client.post(
        "/orgs/new/",
        {"kind": "new_social", "name": "社会组织党支部", "parent": world.orgs["K1"].pk, "area": world.areas["K1"].pk},
    )
    assert response.status_code == 400
    assert _snapshot() == before


def test_a_term_ending_before_it_starts_is_refused_on_the_term_end_field(world):
    client = _client(world, "community")
    org = world.orgs["A"]
    before = _snapshot()
    for end in ["2023-12-31", "2024-01-01"]:
        response = client.post(
            f"/orgs/{org.pk}/edit/", {"name": "网格A党支部", "term_start": "2024-01-01", "term_end": end}
        )
        assert response.status_code == 400
        assert "本届任期止:任期止必须晚于任期起" in response.content.decode()
    assert _snapshot() == before


def test_renaming_and_a_new_term_are_saved_and_recorded_in_the_history(world):
    client = _client(world, "community")
    org = world.orgs["A"]
    response = client.post(
        f"/orgs/{org.pk}/edit/", {"name": "网格A第一党支部", "term_start": "2024-01-01", "term_end": "2028-12-31"}
    )
    assert response.status_code == 302 and response["Location"] == f"/orgs/{org.pk}/"
    org.refresh_from_db()
    assert (org.name, str(org.term_start), str(org.term_end)) == ("网格A第一党支部", "2024-01-01", "2028-12-31")
    entry = AuditEntry.objects.filter(action="orgs.update_organization").latest("id")
    assert (entry.actor, entry.capacity) == (world.users["community"], "community_staff")
    assert set(entry.fields) == {"name", "term_start", "term_end"}
    assert "orgs.update_organization" in client.get(f"/orgs/{org.pk}/history/").content.decode()
    assert "2024-01-01 – 2028-12-31" in client.get(f"/orgs/{org.pk}/").content.decode()


def test_covering_areas_adds_them_and_is_recorded(world):
    client = _client(world, "community")
    org = world.orgs["A"]
    response = client.post(f"/orgs/{org.pk}/cover/", {"areas": [world.areas["A1"].pk, world.areas["A2"].pk]})
    assert response.status_code == 302
    covered = set(Coverage.objects.filter(organization=org).values_list("area_id", flat=True))
    assert {world.areas["A1"].pk, world.areas["A2"].pk} <= covered
    entry = AuditEntry.objects.filter(action="orgs.cover").latest("id")
    assert (entry.actor, entry.target_id, entry.fields) == (world.users["community"], str(org.pk), ["covers"])


def test_an_area_outside_the_keepers_reach_cannot_be_covered(world):
    client = _client(world, "community")
    org = world.orgs["A"]
    before = _snapshot()
    for area in ["C1", "K1"]:  # the next community's building; the community itself (the street's)
        assert client.post(f"/orgs/{org.pk}/cover/", {"areas": [world.areas[area].pk]}).status_code == 400
    assert _snapshot() == before


def _appoint(client, org, **data):
    form = {"holder_name": "王书记", "role": "secretary", "start": "2025-01-01"}
    return client.post(f"/orgs/{org.pk}/appoint/", {**form, **data})


def test_community_staff_appoint_a_grid_branchs_secretary_and_it_is_recorded(world):
    client = _client(world, "community")
    org = world.orgs["A"]
    response = _appoint(client, org, username="world_grid_a")
    assert response.status_code == 302 and response["Location"] == f"/orgs/{org.pk}/"
    post = Post.objects.unscoped("test").get(holder_name="王书记")
    held = (post.organization_id, post.role, post.user, post.area_id)
    assert held == (org.pk, "secretary", world.users["grid_a"], None)
    entry = AuditEntry.objects.filter(action="orgs.appoint").latest("id")
    assert (entry.actor, entry.capacity, entry.target_id) == (world.users["community"], "community_staff", str(post.pk))


def test_the_communitys_own_committee_is_appointed_by_the_street(world):
    org = world.orgs["K1"]
    community, street = _client(world, "community"), _client(world, "street")
    before = _snapshot()
    assert _appoint(community, org, role="deputy_secretary").status_code == 404
    assert _snapshot() == before
    assert _appoint(street, org, role="deputy_secretary").status_code == 302
    entry = AuditEntry.objects.filter(action="orgs.appoint").latest("id")
    assert (entry.actor, entry.capacity) == (world.users["street"], "street_staff")


def test_a_second_secretary_at_the_same_time_is_refused_on_the_role_field(world):
    client = _client(world, "community")
    org = world.orgs["A"]
    assert _appoint(client, org).status_code == 302
    before = _snapshot()
    response = _appoint(client, org, holder_name="李书记", start="2025-06-01")
    assert response.status_code == 400
    assert "职务:该党组织在这期间已有在任的书记,请先办理离任" in response.content.decode()
    assert _snapshot() == before
    # Deputies and committee members may be several.
    assert _appoint(client, org, holder_name="副书记甲", role="deputy_secretary").status_code == 302
    assert _appoint(client, org, holder_name="副书记乙", role="deputy_secretary").status_code == 302


def test_a_committee_post_ending_before_it_starts_is_refused_on_the_end_field(world):
    client = _client(world, "community")
    before = _snapshot()
    response = _appoint(client, world.orgs["A"], start="2025-03-01", end="2025-02-01")
    assert response.status_code == 400
    assert "离任日期:离任日期不能早于任职日期" in response.content.decode()
    assert _snapshot() == before


def test_ending_the_secretary_keeps_the_post_and_lets_a_successor_in(world):
    client = _client(world, "community")
    org = world.orgs["A"]
    _appoint(client, org)
    post = Post.objects.unscoped("test").get(holder_name="王书记")
    response = client.post(f"/orgs/{org.pk}/end_post/", {"post": post.pk, "end": "2025-05-31"})
    assert response.status_code == 302 and response["Location"] == f"/orgs/{org.pk}/"
    post.refresh_from_db()
    assert str(post.end) == "2025-05-31"
    entry = AuditEntry.objects.filter(action="orgs.end_post").latest("id")
    assert (entry.actor, entry.target_id) == (world.users["community"], str(post.pk))
    assert _appoint(client, org, holder_name="李书记", start="2025-06-01").status_code == 302


def test_a_post_of_another_organisation_cannot_be_ended_from_this_one(world):
    street, community = _client(world, "street"), _client(world, "community")
    secretary = Post.objects.unscoped("test").get(holder_name="总支书记")  # K1's
    before = _snapshot()
    response = street.post(f"/orgs/{world.orgs['A'].pk}/end_post/", {"post": secretary.pk, "end": "2025-05-31"})
    assert response.status_code == 404  # grid A's committee is the community's, not the street's
    response = community.post(f"/orgs/{world.orgs['A'].pk}/end_post/", {"post": secretary.pk, "end": "2025-05-31"})
    assert response.status_code == 400  # not one of grid A's committee
    assert _snapshot() == before


def test_the_committee_is_shown_by_rank_with_its_term_dates(world):
    client = _client(world, "community")
    org = world.orgs["A"]
    for name, role, start in [
        ("组员", "group_leader", "2025-04-01"),
        ("委员", "org_committee_member", "2025-03-01"),
        ("副书记", "deputy_secretary", "2025-02-01"),
        ("书记", "secretary", "2025-01-01"),
    ]:
        assert _appoint(client, org, holder_name=name, role=role, start=start).status_code == 302
    page = client.get(f"/orgs/{org.pk}/").content.decode()
    committee = page[page.index('data-testid="committee"') :]
    roles = re.findall(r'data-role="(\w+)"', committee)
    assert roles == [Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.ORG_COMMITTEE_MEMBER, Role.GROUP_LEADER]
    assert "2025-01-01 –" in committee and "2025-04-01 –" in committee


def test_the_organisation_page_offers_each_persona_only_its_writes(world):
    org = world.orgs["A"]
    community = _client(world, "community").get(f"/orgs/{org.pk}/").content.decode()
    for slug in ["edit", "cover", "appoint", "end_post", "history"]:
        assert f'href="/orgs/{org.pk}/{slug}/"' in community
    street = _client(world, "street").get(f"/orgs/{org.pk}/").content.decode()
    assert f'href="/orgs/{org.pk}/edit/"' in street and f'href="/orgs/{org.pk}/appoint/"' not in street
    grid = _client(world, "grid_a").get(f"/orgs/{org.pk}/").content.decode()
    assert f'href="/orgs/{org.pk}/edit/"' not in grid and f'href="/orgs/{org.pk}/history/"' in grid


def test_the_list_filters_by_kind_and_by_place(world):
    client = _client(world, "street")
    by_kind = client.get("/orgs/list/?kind=grid_branch").content.decode()
    assert ">网格A党支部</a>" in by_kind and ">一社区党总支</a>" not in by_kind
    by_place = client.get(f"/orgs/list/?area={world.areas['K2'].pk}").content.decode()
    assert ">二社区党支部</a>" in by_place and ">网格A党支部</a>" not in by_place


def test_the_org_chart_and_the_menu_lead_to_the_list(world):
    client = _client(world, "community")
    assert 'href="/orgs/list/"' in client.get("/orgs/").content.decode()
    assert 'href="/orgs/list/" data-menu' in client.get("/").content.decode()


def test_a_seat_moved_the_way_admin_moves_it_is_checked_against_the_stored_one(world):
    """Admin puts the new seat on the object before it saves: the service still sees the move."""
    from django.core.exceptions import ValidationError

    from orgs import services

    org = Organization.objects.unscoped("test").get(pk=world.orgs["K1"].pk)
    org.area = world.areas["A1"]  # a community's 总支 in a building
    with pytest.raises(ValidationError) as refused:
        services.update_organization(actor=world.users["admin"], organization=org, area=org.area, name=org.name)
    assert "须设在社区" in str(refused.value.message_dict["area"])
    branch = Organization.objects.unscoped("test").get(pk=world.orgs["A"].pk)
    branch.area = world.areas["C"]  # grid A's branch into K2's grid, outside its parent's community
    with pytest.raises(ValidationError) as refused:
        services.update_organization(actor=world.users["admin"], organization=branch, area=branch.area)
    assert list(refused.value.message_dict) == ["area"]
    assert Organization.objects.unscoped("test").get(pk=branch.pk).area == world.areas["A"]
