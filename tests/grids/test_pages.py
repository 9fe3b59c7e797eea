import pytest
from django.urls import reverse

from grids.models import SensitiveAccess
from tests.factories import AreaFactory, HouseholdFactory, ResidentFactory


def test_tree_shows_counts_at_each_root(world, client_for):
    response = client_for(world.users["admin"]).get(reverse("grids:tree"))
    district = next(a for a in response.context["roots"] if a.name == "测试区")
    # A1 holds two households, every other building one; 8 residents in the district's 6 households.
    assert (district.household_count, district.resident_count) == (6, 7)
    # Only the non-sensitive tag counts: the 社区矫正 resident is never in a count.
    assert district.key_group_count == 1


def test_children_fragment_expands_one_level(world, client_for):
    response = client_for(world.users["community"]).get(reverse("grids:area_children", args=[world.areas["K1"].pk]))
    assert [(n.name, n.household_count, n.resident_count) for n in response.context["nodes"]] == [
        ("网格A", 3, 4),
        ("网格B", 1, 1),
    ]
    assert b"<html" not in response.content


def test_grid_page_lists_posts_households_and_key_group_residents(world, client_for):
    response = client_for(world.users["grid_a"]).get(reverse("grids:area", args=[world.areas["A"].pk]))
    content = response.content.decode()
    assert [(p.role, p.slot) for p in response.context["posts"]] == [("grid_worker", "A"), ("sunk_staff", "")]
    assert [h.pk for h in response.context["households"]] == [world.households[k].pk for k in ["A1", "A1b", "A2"]]
    assert [r.name for r in response.context["key_group_residents"]] == ["A1独居老人"]
    assert "A1矫正对象" not in content.split('data-testid="key-group-list"')[1]


def test_community_page_shows_declared_beside_entered_households(world, client_for):
    response = client_for(world.users["community"]).get(reverse("grids:area", args=[world.areas["K1"].pk]))
    content = response.content.decode()
    assert 'data-testid="declared">3000<' in content
    assert 'data-testid="households">4<' in content


def test_household_card_masks_ids_and_never_shows_birth_date(world, client_for):
    resident = world.residents["A1"]
    response = client_for(world.users["grid_a"]).get(reverse("grids:household", args=[world.households["A1"].pk]))
    content = response.content.decode()
    assert resident.citizen_id not in content
    assert "*" * 14 + resident.citizen_id[-4:] in content
    assert resident.birth_date.strftime("%Y-%m-%d") not in content
    assert resident.citizen_id[6:14] not in content


def test_household_card_hides_sensitive_groups(world, client_for):
    response = client_for(world.users["community"]).get(reverse("grids:household", args=[world.households["A1"].pk]))
    assert "社区矫正人员" not in response.content.decode()


def test_reveal_shows_the_full_id_and_logs_who_whom_and_why(world, client_for):
    resident = world.residents["A1c"]
    client = client_for(world.users["community"])
    response = client.post(reverse("grids:resident_reveal", args=[resident.pk]), {"reason": "入户核实社区矫正情况"})
    content = response.content.decode()
    assert resident.citizen_id in content
    assert "社区矫正人员" in content
    log = SensitiveAccess.objects.get()
    assert (log.user, log.resident, log.reason) == (world.users["community"], resident, "入户核实社区矫正情况")


def test_reveal_needs_a_reason(world, client_for):
    resident = world.residents["A1c"]
    response = client_for(world.users["community"]).post(
        reverse("grids:resident_reveal", args=[resident.pk]), {"reason": "看"}
    )
    assert response.status_code == 400
    assert "请写明查看事由" in response.content.decode()
    assert resident.citizen_id not in response.content.decode()
    assert not SensitiveAccess.objects.exists()


def test_reveal_without_the_permission_is_404_and_logs_nothing(world, client_for):
    resident = world.residents["A1"]
    response = client_for(world.users["grid_a"]).post(
        reverse("grids:resident_reveal", args=[resident.pk]), {"reason": "入户走访核实"}
    )
    assert response.status_code == 404
    assert not SensitiveAccess.objects.exists()


def test_resident_page_offers_reveal_only_with_permission(world, client_for):
    url = reverse("grids:resident", args=[world.residents["A1"].pk])
    assert client_for(world.users["grid_a"]).get(url).context["reveal_form"] is None
    assert client_for(world.users["community"]).get(url).context["reveal_form"] is not None


def test_household_card_update_goes_through_and_shows(world, client_for):
    household = world.households["A2"]
    client = client_for(world.users["grid_a"])
    response = client.post(
        reverse("grids:household_edit", args=[household.pk]),
        {
            "unit": household.unit,
            "floor": household.floor,
            "room": household.room,
            "occupancy": "rented",
            "family_situation": "三口之家",
            "facilities": "",
            "hazards": "电动车入户充电",
            "conflicts": "",
            "last_visited": "2026-11-20",
        },
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.occupancy, household.hazards) == ("rented", "电动车入户充电")
    assert "电动车入户充电" in client.get(reverse("grids:household", args=[household.pk])).content.decode()


def test_household_card_rejects_a_taken_room_and_keeps_the_input(world, client_for):
    taken, household = world.households["A1"], world.households["A1b"]
    response = client_for(world.users["grid_a"]).post(
        reverse("grids:household_edit", args=[household.pk]),
        {"unit": taken.unit, "floor": 3, "room": taken.room, "occupancy": "owner", "family_situation": "已填写的内容"},
    )
    assert response.status_code == 200
    assert "该楼栋已登记此单元房号" in response.content.decode()
    assert "已填写的内容" in response.content.decode()
    household.refresh_from_db()
    assert household.room != taken.room


def test_registering_a_resident_with_a_bad_check_digit_says_so(world, client_for):
    household = world.households["A2"]
    good = "11010519491231002X"
    response = client_for(world.users["grid_a"]).post(
        reverse("grids:resident_create", args=[household.pk]),
        {"name": "新居民", "citizen_id": good[:-1] + "1", "residence_status": "registered", "relation": "child"},
    )
    assert response.status_code == 400
    assert "身份证号校验位不正确" in response.content.decode()
    assert not household.residents.filter(name="新居民").exists()


def test_registering_a_resident_adds_them_to_the_card(world, client_for):
    household = world.households["A2"]
    response = client_for(world.users["grid_a"]).post(
        reverse("grids:resident_create", args=[household.pk]),
        {
            "name": "新居民",
            "citizen_id": "11010519491231002x",
            "phone": "138 1234 5678",
            "residence_status": "registered",
            "relation": "parent",
        },
    )
    assert response.status_code == 302
    resident = household.residents.get(name="新居民")
    assert (resident.citizen_id, resident.phone, resident.sex) == ("11010519491231002X", "+8613812345678", "F")


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_grid_page_speaks_the_chosen_language(world, client_for, lang):
    client = client_for(world.users["grid_a"])
    client.post(reverse("set_language"), {"language": lang})
    content = client.get(reverse("grids:area", args=[world.areas["A"].pk])).content.decode()
    assert ("Households" in content) == (lang == "en")
    assert ("住户" in content) == (lang == "zh-hans")


def _grow(world, buildings: int) -> None:
    """More of everything under grid A and a new community, to show query counts do not follow."""
    for n in range(buildings):
        building = AreaFactory(kind="building", name=f"新{n}号楼", parent=world.areas["A"])
        for _ in range(3):
            household = HouseholdFactory(building=building)
            ResidentFactory(household=household)
    community = AreaFactory(kind="community", name="新社区", parent=world.areas["S1"], declared_households=10)
    AreaFactory(kind="grid", name="新网格", parent=community)


# (url name, world collection, key, queries): the count is pinned, and must not move when the
# district grows. Full pages include the header's unread-notification count (the htmx fragment
# of an area's children has no header).
PAGES = [
    # the street's workbench panels: its queue (one grouped query), property rectifications due (one),
    # its alliances' chair hand-overs and 双报告 (two)
    ("home", None, None, 12),
    ("grids:tree", None, None, 5),
    ("grids:area_children", "areas", "S1", 5),
    ("grids:area", "areas", "K1", 9),  # + its shape, for the small map
    ("grids:area", "areas", "A", 15),  # its community, for the door plates link; its shape
    ("grids:household", "households", "A1", 14),  # + who left, moves, merges, visits, 便民服务: a query each
    ("grids:resident", "residents", "A1", 8),
    ("grids:resident_search", None, None, 7),
]


@pytest.mark.parametrize(("url_name", "kind", "key", "queries"), PAGES)
def test_query_count_is_pinned_and_does_not_grow_with_the_data(
    world, client_for, django_assert_num_queries, url_name, kind, key, queries
):
    client = client_for(world.users["street"])
    url = reverse(url_name, args=[getattr(world, kind)[key].pk] if kind else [])
    params = {"q": "住户"} if url_name == "grids:resident_search" else {}
    with django_assert_num_queries(queries):
        assert client.get(url, params).status_code == 200
    _grow(world, buildings=12)
    with django_assert_num_queries(queries):
        assert client.get(url, params).status_code == 200


def test_home_summarises_key_groups_and_occupancy_without_sensitive_groups(world, client_for):
    response = client_for(world.users["community"]).get(reverse("home"))
    assert response.context["key_groups"] == [{"name": "空巢老人", "count": 1}]
    assert dict(response.context["occupancy"])["自住"] == 4
    assert "社区矫正人员" not in response.content.decode()


def test_home_of_a_grid_worker_lists_their_grids(world, client_for):
    response = client_for(world.users["sunk"]).get(reverse("home"))
    assert [(g.name, g.household_count) for g in response.context["grids"]] == [("网格A", 3), ("网格C", 1)]
