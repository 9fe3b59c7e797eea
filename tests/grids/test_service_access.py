"""Every grids service authorises its actor, changes nothing when it refuses, and records who wrote
which fields (names only, never values)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict

from core.models import AuditEntry
from core.scope import SYSTEM
from core.scoping import guard_on
from grids import services
from grids.models import Area, AreaKind, Household, Resident, ResidentTag, SensitiveAccess
from tests.factories import CityFactory, citizen_id, key_group

SINCE = datetime.date(2025, 1, 1)


@pytest.fixture
def written(world):
    """The audit entries written by the test itself (the shared world was built through services)."""
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return lambda: AuditEntry.objects.filter(pk__gt=last)


# (name, call) for every write of people; each is tried at household/resident A1.
PEOPLE_WRITES = [
    ("register_household", lambda w, actor: services.register_household(
        actor=actor, building=w.areas["A1"], floor=9, room="901"
    )),
    ("update_household_card", lambda w, actor: services.update_household_card(
        actor=actor, household=w.households["A1"], hazards="楼道堆物"
    )),
    ("register_resident", lambda w, actor: services.register_resident(
        actor=actor, household=w.households["A1"], name="新住户", citizen_id=citizen_id(),
        residence_status="registered", relation="child",
    )),
    ("update_resident", lambda w, actor: services.update_resident(
        actor=actor, resident=w.residents["A1"], name="改名", phone="13800138000",
        residence_status="registered", relation="head",
    )),
    ("correct_citizen_id", lambda w, actor: services.correct_citizen_id(
        actor=actor, resident=w.residents["A1"], citizen_id=citizen_id(datetime.date(1990, 1, 2))
    )),
    ("tag_resident", lambda w, actor: services.tag_resident(
        # Not a sensitive group: only who may reveal may set one (tested in test_households_and_residents).
        actor=actor, resident=w.residents["A1"], group=key_group("floating-population"), since=SINCE
    )),
    ("tag_household", lambda w, actor: services.tag_household(
        actor=actor, household=w.households["A1"], group=key_group("rented-housing"), since=SINCE
    )),
]  # fmt: skip


def _snapshot(world) -> tuple:
    """Everything a refused write could have touched."""
    rows = [model_to_dict(Household.objects.get(pk=world.households["A1"].pk))]
    rows.append(model_to_dict(Resident.objects.get(pk=world.residents["A1"].pk)))
    return (
        rows,
        Household.objects.count(),
        Resident.objects.count(),
        ResidentTag.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("persona", ["grid_b", "street", "officer", "sunk", "leader"])
@pytest.mark.parametrize(("name", "write"), PEOPLE_WRITES, ids=[n for n, _ in PEOPLE_WRITES])
def test_people_writes_refuse_an_actor_without_edit_people_there(world, persona, name, write):
    """grid_b works elsewhere; the street, officers, sunk staff and leaders do not keep residents."""
    before = _snapshot(world)
    with guard_on(), pytest.raises(PermissionDenied):
        write(world, world.users[persona])
    assert _snapshot(world) == before


@pytest.mark.parametrize(("persona", "capacity"), [("grid_a", "grid_worker"), ("community", "community_staff")])
@pytest.mark.parametrize(("name", "write"), PEOPLE_WRITES, ids=[n for n, _ in PEOPLE_WRITES])
def test_people_writes_record_the_actor_capacity_and_field_names(world, persona, capacity, name, write, written):
    actor = world.users[persona]
    with guard_on():
        saved = write(world, actor)
    entry = written().get()
    assert (entry.actor, entry.capacity, entry.action) == (actor, capacity, f"grids.{name}")
    assert entry.target_id == str(saved.pk)
    assert entry.fields and all(field.isidentifier() for field in entry.fields)
    _assert_no_personal_values(entry, saved)


def _assert_no_personal_values(entry: AuditEntry, saved) -> None:
    # What the entry says in words: not its time or its chain hash, whose digits may hold a room
    # number by chance ('…629015' holds 901).
    recorded = repr({name: value for name, value in model_to_dict(entry).items() if name not in ("at", "hash")})
    for field in saved._meta.concrete_fields:
        value = getattr(saved, field.attname)
        if isinstance(value, str) and len(value) >= 2 and field.name not in ("relation", "residence_status"):
            assert value not in recorded, field.name


def test_a_resident_registered_by_a_grid_worker_names_fields_never_the_id(world, written):
    number = citizen_id()
    resident = services.register_resident(
        actor=world.users["grid_a"],
        household=world.households["A2"],
        name="王五",
        citizen_id=number,
        residence_status="registered",
        relation="child",
        phone="13900139000",
    )
    entry = written().get()
    assert {"name", "citizen_id", "phone"} <= set(entry.fields)
    for value in (number, "王五", "13900139000", resident.citizen_id_hash):
        assert value not in repr(model_to_dict(entry))


def test_the_system_acts_in_the_system_capacity(world, written):
    services.update_household_card(actor=SYSTEM, household=world.households["A1"], conflicts="邻里噪音")
    entry = written().get()
    assert (entry.actor, entry.capacity, entry.fields) == (None, "system", ["conflicts"])


def test_build_resident_refuses_outside_the_actors_grids_and_records_nothing(world, written):
    with pytest.raises(PermissionDenied):
        services.build_resident(
            actor=world.users["grid_b"],
            household=world.households["A1"],
            name="x",
            citizen_id=citizen_id(),
            residence_status="registered",
            relation="child",
        )
    built = services.build_resident(
        actor=world.users["grid_a"],
        household=world.households["A1"],
        name="x",
        citizen_id=citizen_id(),
        residence_status="registered",
        relation="child",
    )
    assert built.pk is None
    assert not written().exists()


# Reveal ---------------------------------------------------------------------------------


def test_reveal_refuses_a_resident_outside_scope_even_with_the_permission(world, written):
    """The community user (K1) holds view_sensitive; C1 lies in K2."""
    with guard_on(), pytest.raises(PermissionDenied):
        services.record_sensitive_access(
            actor=world.users["community"], residents=[world.residents["C1"]], reason="入户走访核实"
        )
    assert not SensitiveAccess.objects.exists()
    assert not written().exists()


def test_reveal_records_who_and_which_fields_never_the_reason_or_the_id(world, written):
    resident = world.residents["A1c"]
    with guard_on():
        services.record_sensitive_access(
            actor=world.users["community"], residents=[resident], reason="入户核实社区矫正情况"
        )
    entry = written().get()
    assert (entry.actor, entry.action, entry.target_id) == (
        world.users["community"],
        "grids.reveal_resident",
        str(resident.pk),
    )
    assert entry.capacity == "community_staff"
    # What the entry says in words: not its time or its chain hash, whose digits may hold a room
    # number by chance ('…629015' holds 901).
    recorded = repr({name: value for name, value in model_to_dict(entry).items() if name not in ("at", "hash")})
    assert "入户核实" not in recorded and resident.citizen_id not in recorded


# Structure ------------------------------------------------------------------------------

STRUCTURE_WRITES = [
    ("create_area", lambda w, actor: services.create_area(
        actor=actor, kind=AreaKind.GRID, name="新网格", code="T99000000001", parent=w.areas["K1"]
    )),
    ("update_area", lambda w, actor: services.update_area(actor=actor, area=w.areas["A"], name="改名网格")),
    ("move_area", lambda w, actor: services.move_area(actor=actor, area=w.areas["A1"], new_parent=w.areas["B"])),
    ("bulk_create_subtree", lambda w, actor: services.bulk_create_subtree(
        actor=actor,
        data={"kind": AreaKind.GRID, "name": "批量网格", "code": "T99000000002",
              "children": [{"kind": AreaKind.BUILDING, "name": "批量楼", "code": "T99000000003"}]},
        parent=w.areas["K1"],
    )),
]  # fmt: skip


def _tree(world) -> list:
    return list(Area.objects.order_by("pk").values_list("pk", "name", "parent", "tree_id", "lft", "rght"))


# The grid and buildings of K1 are its staff's to keep; a whole subtree at once is the admin's.
KEEPERS = {"create_area": {"community"}, "update_area": {"community"}, "move_area": {"community"}}
REFUSED = [
    (persona, name, write)
    for name, write in STRUCTURE_WRITES
    for persona in ["community", "street", "district", "leader", "grid_a"]
    if persona not in KEEPERS.get(name, ())
]


@pytest.mark.parametrize(("persona", "name", "write"), REFUSED, ids=[f"{p}-{n}" for p, n, _ in REFUSED])
def test_area_writes_refuse_who_does_not_keep_that_level_and_change_nothing(world, persona, name, write):
    before = (_tree(world), AuditEntry.objects.count())
    with guard_on(), pytest.raises(PermissionDenied):
        write(world, world.users[persona])
    assert (_tree(world), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(("name", "write"), [(n, w) for n, w in STRUCTURE_WRITES if n in KEEPERS])
def test_community_staff_keep_the_grids_and_buildings_of_their_community(world, name, write, written):
    with guard_on():
        write(world, world.users["community"])
    entry = written().get()
    assert (entry.actor, entry.capacity, entry.action) == (world.users["community"], "community_staff", f"grids.{name}")


@pytest.mark.parametrize(("name", "write"), STRUCTURE_WRITES, ids=[n for n, _ in STRUCTURE_WRITES])
def test_area_writes_by_a_superuser_record_one_entry(world, name, write, written):
    admin = world.users["admin"]
    with guard_on():
        write(world, admin)
    entry = written().get()
    assert (entry.actor, entry.capacity, entry.action) == (admin, "admin", f"grids.{name}")
    assert entry.fields


def test_a_bulk_subtree_is_one_entry_on_its_top_node(world, written):
    city = CityFactory()
    data = {
        "kind": AreaKind.DISTRICT,
        "name": "批量区",
        "code": "T99000000010",
        "children": [{"kind": AreaKind.STREET, "name": f"街道{n}", "code": f"T9900000002{n}"} for n in range(5)],
    }
    nodes = services.bulk_create_subtree(actor=SYSTEM, data=data, city=city)
    entry = written().get()
    assert entry.target_id == str(nodes[0].pk)
    assert set(entry.fields) == {"kind", "name", "code", "city"}
