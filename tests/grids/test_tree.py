import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from core.scope import SYSTEM
from grids import services
from grids.models import Area, AreaKind
from tests.factories import AreaFactory, CityFactory


def assert_tree_valid(tree_id: int) -> None:
    """Nested-set invariants: edges 1..2n exactly once, every node inside its parent, levels one deeper."""
    nodes = list(Area.objects.filter(tree_id=tree_id).values("id", "parent_id", "lft", "rght", "level"))
    by_id = {n["id"]: n for n in nodes}
    assert sorted([n["lft"] for n in nodes] + [n["rght"] for n in nodes]) == list(range(1, 2 * len(nodes) + 1))
    for node in nodes:
        assert node["lft"] < node["rght"]
        parent = by_id.get(node["parent_id"])
        if parent is None:
            assert (node["level"], node["lft"]) == (0, 1)
        else:
            assert parent["lft"] < node["lft"] < node["rght"] < parent["rght"]
            assert node["level"] == parent["level"] + 1


def test_each_district_and_county_is_its_own_tree(world):
    assert world.areas["district"].tree_id != world.areas["county"].tree_id
    assert world.areas["E1"].tree_id == world.areas["county"].tree_id


def test_an_insert_leaves_other_districts_untouched(world):
    county_before = list(Area.objects.filter(tree_id=world.areas["county"].tree_id).values_list("id", "lft", "rght"))
    AreaFactory(kind=AreaKind.BUILDING, parent=world.areas["A"])
    assert_tree_valid(world.areas["district"].tree_id)
    assert list(Area.objects.filter(tree_id=world.areas["county"].tree_id).values_list("id", "lft", "rght")) == (
        county_before
    )


@pytest.mark.parametrize(
    ("kind", "parent_key", "message"),
    [
        (AreaKind.BUILDING, "K1", "楼栋的上级必须是"),
        (AreaKind.GRID, "S1", "网格的上级必须是社区"),
        (AreaKind.COMMUNITY, "district", "社区的上级必须是"),
        (AreaKind.STREET, "K1", "街道的上级必须是"),
        (AreaKind.DISTRICT, "district", "顶级区域"),
    ],
)
def test_an_area_must_hang_under_the_right_kind(world, kind, parent_key, message):
    with pytest.raises(ValidationError, match=message):
        services.create_area(actor=SYSTEM, kind=kind, name="x", code="X1", parent=world.areas[parent_key])


def test_a_district_needs_a_city(db):
    with pytest.raises(ValidationError, match="所属城市"):
        services.create_area(actor=SYSTEM, kind=AreaKind.DISTRICT, name="无城市区", code="X2")


def test_declared_households_belong_to_communities_only(world):
    grid = services.create_area(
        actor=SYSTEM, kind=AreaKind.GRID, name="g", code="X3", parent=world.areas["K1"], declared_households=500
    )
    assert grid.declared_households is None


def test_duplicate_codes_are_refused_with_a_clear_message(world):
    with pytest.raises(ValidationError) as error:
        services.create_area(
            actor=SYSTEM, kind=AreaKind.GRID, name="g", code=world.areas["A"].code, parent=world.areas["K1"]
        )
    assert "code" in error.value.message_dict


def test_moving_a_grid_to_another_community_keeps_the_tree_valid(world):
    services.move_area(actor=SYSTEM, area=world.areas["B"], new_parent=world.areas["K2"])
    assert_tree_valid(world.areas["district"].tree_id)
    building = Area.objects.get(pk=world.areas["B1"].pk)
    assert building.get_ancestors().filter(pk=world.areas["K2"].pk).exists()


def test_a_move_across_districts_or_into_itself_is_refused(world):
    with pytest.raises(ValidationError, match="跨区县"):
        services.move_area(actor=SYSTEM, area=world.areas["B"], new_parent=world.areas["K4"])
    with pytest.raises(ValidationError, match="的上级必须是"):
        services.move_area(actor=SYSTEM, area=world.areas["K1"], new_parent=world.areas["A"])


def test_bulk_subtree_under_an_existing_node_is_valid_and_in_place(world):
    data = {
        "kind": AreaKind.GRID,
        "name": "批量网格",
        "code": "BULK1",
        "children": [
            {
                "kind": AreaKind.COMPOUND,
                "name": "花园",
                "code": "BULK1C",
                "children": [{"kind": AreaKind.BUILDING, "name": f"{n}号楼", "code": f"BULK1C{n}"} for n in range(5)],
            },
            {"kind": AreaKind.BUILDING, "name": "独栋", "code": "BULK1B"},
        ],
    }
    nodes = services.bulk_create_subtree(actor=SYSTEM, data=data, parent=world.areas["K3"])
    assert len(nodes) == 8
    assert_tree_valid(world.areas["district"].tree_id)
    grid = Area.objects.get(code="BULK1")
    assert grid.parent_id == world.areas["K3"].pk
    assert [a.code for a in grid.get_descendants()] == ["BULK1C", *[f"BULK1C{n}" for n in range(5)], "BULK1B"]


def test_bulk_subtree_as_a_new_district(db):
    city = CityFactory()
    data = {
        "kind": AreaKind.COUNTY,
        "name": "新县",
        "code": "NEW",
        "children": [{"kind": AreaKind.TOWN, "name": f"{n}镇", "code": f"NEW{n}"} for n in range(3)],
    }
    root = services.bulk_create_subtree(actor=SYSTEM, data=data, city=city)[0]
    assert_tree_valid(root.tree_id)
    assert Area.objects.get(code="NEW").city == city


def test_bulk_subtree_refuses_a_wrong_kind_anywhere_and_writes_nothing(world):
    before = Area.objects.count()
    data = {
        "kind": AreaKind.GRID,
        "name": "g",
        "code": "BAD",
        "children": [{"kind": AreaKind.STREET, "name": "s", "code": "BAD1"}],
    }
    with pytest.raises(ValidationError, match="街道的上级必须是"):
        services.bulk_create_subtree(actor=SYSTEM, data=data, parent=world.areas["K1"])
    assert Area.objects.count() == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_into_one_district_keep_its_tree_valid():
    district = AreaFactory(kind=AreaKind.DISTRICT, name="并发区")
    street = AreaFactory(kind=AreaKind.STREET, parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, parent=street)
    grids = [AreaFactory(kind=AreaKind.GRID, parent=community) for _ in range(2)]
    start = threading.Barrier(2)
    errors = []

    def insert(grid: Area, prefix: str) -> None:
        try:
            start.wait()
            for n in range(15):
                parent = Area.objects.get(pk=grid.pk)
                services.create_area(
                    actor=SYSTEM, kind=AreaKind.BUILDING, name=f"{prefix}{n}", code=f"{prefix}{n}", parent=parent
                )
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=insert, args=(g, p)) for g, p in zip(grids, ["L", "R"], strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Area.objects.filter(kind=AreaKind.BUILDING, tree_id=district.tree_id).count() == 30
    assert_tree_valid(district.tree_id)
