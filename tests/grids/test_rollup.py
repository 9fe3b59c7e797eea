"""The area tree's counts (grids.rollup) equal what the residents say after every kind of write."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.scope import SYSTEM, Scope, scope_for
from grids import moves, rollup, services, tasks
from grids.imports.residents import ResidentImport
from grids.merging import merge_area
from grids.models import (
    Area,
    AreaKind,
    BuildingCount,
    Household,
    KeyGroup,
    Occupancy,
    Relation,
    Resident,
    ResidentEnd,
    ResidentTag,
)
from grids.selectors import group_residents, occupancy_breakdown, totals, visible_tags, with_counts
from tests.factories import AreaFactory, HouseholdFactory, ResidentFactory, citizen_id, key_group

DAY = datetime.date(2026, 3, 1)
PLACES = ["district", "S1", "K1", "K2", "A", "B", "C", "A1", "A2", "C1"]


def live(area: Area) -> tuple[int, int, int]:
    """The counts the old way: every household and resident under the area, walked."""
    under = {"tree_id": area.tree_id, "lft__gte": area.lft, "lft__lte": area.rght}
    households = Household.objects.unscoped("test").filter(**{f"building__{k}": v for k, v in under.items()})
    living = Resident.objects.unscoped("test").living().filter(household__in=households)
    tagged = living.filter(pk__in=visible_tags(ResidentTag.objects).values("resident"))
    return households.count(), living.count(), tagged.count()


def rolled_up(area: Area) -> tuple[int, int, int]:
    counted = with_counts(Area.objects.unscoped("test").filter(pk=area.pk)).get()
    return counted.household_count, counted.resident_count, counted.key_group_count


def live_groups(area: Area) -> dict[str, int]:
    """Living residents per visible key group under the area, counted the old way."""
    under = {"tree_id": area.tree_id, "lft__gte": area.lft, "lft__lte": area.rght}
    living = (
        Resident.objects.unscoped("test").living().filter(**{f"household__building__{k}": v for k, v in under.items()})
    )
    counted = {}
    for group in KeyGroup.objects.all():
        n = living.filter(pk__in=visible_tags(ResidentTag.objects).filter(group=group).values("resident")).count()
        if n:
            counted[group.code] = n
    return counted


def rolled_up_groups(area: Area) -> dict[str, int]:
    """What the workbench shows of the area's groups: from its communities' rows, or its buildings'."""
    return {row["group__code"]: row["n"] for row in group_residents(Scope(areas=(area,))) if row["n"]}


def live_occupancy(area: Area) -> dict[str, int]:
    under = {"tree_id": area.tree_id, "lft__gte": area.lft, "lft__lte": area.rght}
    households = Household.objects.unscoped("test").filter(**{f"building__{k}": v for k, v in under.items()})
    return {value: households.filter(occupancy=value).count() for value in Occupancy.values}


def rolled_up_occupancy(area: Area) -> dict[str, int]:
    """What the workbench shows of the area: its scope's breakdown, from the count rows."""
    return occupancy_breakdown(Scope(areas=(area,)))


def assert_counts_hold(world) -> None:
    pks = [world.areas[key].pk for key in PLACES]
    places = list(Area.objects.unscoped("test").filter(pk__in=pks))  # a place merged away is gone
    assert {area.name: rolled_up(area) for area in places} == {area.name: live(area) for area in places}
    assert {area.name: rolled_up_groups(area) for area in places} == {area.name: live_groups(area) for area in places}
    assert {a.name: rolled_up_occupancy(a) for a in places} == {a.name: live_occupancy(a) for a in places}


def test_the_world_starts_counted(world):
    assert rolled_up(world.areas["district"]) == (6, 7, 1)
    assert_counts_hold(world)


def test_registering_a_household_and_a_resident(world):
    household = HouseholdFactory(building=world.areas["C1"])
    assert rolled_up(world.areas["C1"])[0] == 2
    ResidentFactory(household=household)
    assert rolled_up(world.areas["C1"])[1] == 2
    assert_counts_hold(world)


def test_a_household_let_out_moves_between_the_occupancy_counts(world):
    household = Household.objects.unscoped("test").filter(building=world.areas["A1"], occupancy=Occupancy.OWNER)[0]
    before = rolled_up_occupancy(world.areas["A1"])
    services.update_household_card(actor=SYSTEM, household=household, occupancy=Occupancy.RENTED)
    after = rolled_up_occupancy(world.areas["A1"])
    assert (after["owner"], after["rented"]) == (before["owner"] - 1, before["rented"] + 1)
    assert_counts_hold(world)


def test_an_import_that_lets_out_a_household_counts_it_rented(world):
    community = world.users["community"]
    resident = Resident.objects.unscoped("test").living().filter(household__building=world.areas["A1"])[0]
    household = resident.household
    assert household.occupancy == Occupancy.OWNER
    before = rolled_up_occupancy(world.areas["A1"])
    cells = {  # the same person in the same home, which is now let: no one gained, one household changed
        "building": world.areas["A1"].code,
        "unit": household.unit,
        "floor": str(household.floor),
        "room": household.room,
        "occupancy": "出租",
        "name": resident.name,
        "citizen_id": resident.citizen_id,
        "phone": "",
        "residence_status": resident.get_residence_status_display(),
        "relation": resident.get_relation_display(),
    }
    engine = ResidentImport(actor=community, scope=scope_for(community))
    [outcome] = engine.chunk([(2, cells)])
    assert outcome.outcome == "updated", outcome.errors
    engine.done()
    after = rolled_up_occupancy(world.areas["A1"])
    assert (after["owner"], after["rented"]) == (before["owner"] - 1, before["rented"] + 1)
    assert_counts_hold(world)


def test_a_deferred_block_counts_its_buildings_once_when_it_ends(world):
    with rollup.deferred():
        household = HouseholdFactory(building=world.areas["C1"])
        ResidentFactory(household=household)
        services.tag_resident(
            actor=SYSTEM, resident=world.residents["A1"], group=key_group("empty-nest-elderly"), since=DAY
        )
        with rollup.deferred():  # an inner block leaves the counting to the outer one
            ResidentFactory(household=household)
        assert rolled_up(world.areas["C1"]) == (1, 1, 0)  # not yet counted
        assert rolled_up(world.areas["A1"])[2] == 1
    assert rolled_up(world.areas["C1"]) == (2, 3, 0)
    assert rolled_up(world.areas["A1"])[2] == 2
    assert_counts_hold(world)


def test_a_deferred_block_that_fails_counts_nothing(world):
    with pytest.raises(RuntimeError), rollup.deferred():
        HouseholdFactory(building=world.areas["C1"])
        raise RuntimeError("the loader stopped")
    assert rolled_up(world.areas["C1"]) == (1, 1, 0)
    assert rollup.recount_buildings([world.areas["C1"].pk]) == 1  # and recounts again outside one


def test_moving_out_and_back_in_elsewhere(world):
    spouse = world.residents["A1c"]
    moves.end_resident(actor=SYSTEM, resident=spouse, on=DAY, reason=ResidentEnd.MOVED_OUT)
    assert rolled_up(world.areas["A1"])[1] == 2
    moves.move_in(
        actor=SYSTEM,
        household=world.households["C1"],
        on=DAY,
        citizen_id=spouse.citizen_id,
        name=spouse.name,
        residence_status="registered",
        relation=Relation.SPOUSE,
    )
    assert rolled_up(world.areas["C1"])[1] == 2
    assert_counts_hold(world)


def test_someone_new_moving_in(world):
    moves.move_in(
        actor=SYSTEM,
        household=world.households["A2"],
        on=DAY,
        citizen_id=citizen_id(),
        name="新住户",
        residence_status="registered",
        relation=Relation.CHILD,
    )
    assert rolled_up(world.areas["A2"])[1] == 2
    assert_counts_hold(world)


def test_a_death_ends_the_resident_and_their_tag_in_the_counts(world):
    moves.end_resident(actor=SYSTEM, resident=world.residents["A1b"], on=DAY, reason=ResidentEnd.DIED)
    assert rolled_up(world.areas["A1"]) == (2, 2, 0)
    assert_counts_hold(world)


def test_tagging_and_ending_a_tag(world):
    tag = services.tag_resident(
        actor=SYSTEM, resident=world.residents["C1"], group=key_group("empty-nest-elderly"), since=DAY
    )
    assert rolled_up(world.areas["K2"])[2] == 1
    moves.end_resident_tag(actor=SYSTEM, tag=tag, until=timezone.localdate() - datetime.timedelta(days=1))
    assert rolled_up(world.areas["K2"])[2] == 0
    assert_counts_hold(world)


def test_a_group_no_longer_sensitive_enters_the_counts_and_leaves_again(world):
    group = KeyGroup.objects.get(code="community-corrections")
    group.sensitive = False
    services.save_key_group(actor=SYSTEM, group=group)
    assert rolled_up(world.areas["A1"])[2] == 2
    assert_counts_hold(world)
    group.sensitive = True
    services.save_key_group(actor=SYSTEM, group=group)
    assert rolled_up(world.areas["A1"])[2] == 1


def test_merging_a_building_moves_its_counts(world):
    merge_area(actor=world.users["community"], area=world.areas["A1"], into=world.areas["A2"])
    assert rolled_up(world.areas["A2"]) == (3, 4, 1)
    assert not BuildingCount.objects.filter(building_id=world.areas["A1"].pk).exists()
    assert_counts_hold(world)


def test_moving_a_grid_to_another_community_and_merging_one(world):
    services.move_area(actor=SYSTEM, area=world.areas["B"], new_parent=world.areas["K2"])
    assert rolled_up(world.areas["K2"]) == (2, 2, 0)
    assert_counts_hold(world)
    merge_area(actor=SYSTEM, area=world.areas["B"], into=world.areas["C"])
    assert_counts_hold(world)


def test_an_empty_building_is_removed_with_its_count(world):
    building = AreaFactory(kind=AreaKind.BUILDING, parent=world.areas["B"])
    services.recount_areas(actor=SYSTEM, area=building)
    services.remove_area(actor=SYSTEM, area=building)
    assert not BuildingCount.objects.filter(building_id=building.pk).exists()


def test_an_import_counts_the_buildings_it_filled(world):
    community = world.users["community"]
    cells = {
        "building": world.areas["B1"].code,
        "unit": "2",
        "floor": "4",
        "room": "402",
        "occupancy": "",
        "name": "导入户主",
        "citizen_id": citizen_id(),
        "phone": "",
        "residence_status": "户籍人口",
        "relation": "户主",
    }
    engine = ResidentImport(actor=community, scope=scope_for(community))
    [outcome] = engine.chunk([(2, cells)])
    assert outcome.outcome == "created"
    engine.done()  # once a run, after its last chunk
    assert rolled_up(world.areas["B1"]) == (2, 2, 0)


def test_an_import_run_and_a_fixed_row_count_what_they_wrote(world, client_for, run_tasks_here):
    """Through the task and the fix page, which call the engine's end as the runs do."""
    from tests.grids.test_import_fix import _applied, _fix_url, _rows, _values

    before = rolled_up(world.areas["A1"])
    client, run = _applied(world, client_for, run_tasks_here, _rows(world))
    applied = rolled_up(world.areas["A1"])
    assert applied == live(world.areas["A1"]) and applied[:2] == (before[0] + 1, before[1] + 2)
    client.post(_fix_url(run, 4), _values(world, "改后", citizen_id()))  # room 702: a new household
    assert rolled_up(world.areas["A1"]) == live(world.areas["A1"]) == (applied[0] + 1, applied[1] + 1, applied[2])
    assert_counts_hold(world)


def test_the_daily_task_drops_a_tag_that_lapsed_yesterday(world):
    today = timezone.localdate()
    tag = services.tag_resident(
        actor=SYSTEM, resident=world.residents["C1"], group=key_group("empty-nest-elderly"), since=DAY, until=today
    )
    assert rolled_up(world.areas["C1"])[2] == 1
    # A day passes: the tag ended yesterday, and nothing wrote.
    ResidentTag.objects.filter(pk=tag.pk).update(until=today - datetime.timedelta(days=1))
    assert rolled_up(world.areas["C1"])[2] == 1
    tasks.recount_tag_changes()
    assert rolled_up(world.areas["C1"])[2] == 0
    assert_counts_hold(world)


def test_the_daily_task_counts_a_tag_from_its_first_day(world):
    today = timezone.localdate()
    tag = services.tag_resident(
        actor=SYSTEM, resident=world.residents["C1"], group=key_group("empty-nest-elderly"), since=today
    )
    ResidentTag.objects.filter(pk=tag.pk).update(since=today + datetime.timedelta(days=1))
    services.recount_areas(actor=SYSTEM, area=world.areas["C1"])
    assert rolled_up(world.areas["C1"])[2] == 0
    # Tomorrow came: the tag begins.
    ResidentTag.objects.filter(pk=tag.pk).update(since=today)
    tasks.recount_tag_changes()
    assert rolled_up(world.areas["C1"])[2] == 1


@pytest.mark.parametrize("args", [[], ["--area", "980101000000"]])
def test_the_operators_command_repairs_rows_written_past_the_services(world, args):
    BuildingCount.objects.filter(building_id=world.areas["A1"].pk).update(households=99, residents=0)
    call_command("recount_areas", *args)
    assert_counts_hold(world)


def test_tags_written_in_admin_are_counted_and_admin_neither_moves_nor_deletes_people(world, client_for):
    from django.urls import reverse

    client = client_for(world.users["admin"])
    resident = world.residents["A2"]
    building = resident.household.building
    before = rolled_up(building)
    added = client.post(
        reverse("admin:grids_residenttag_add"),
        {
            "resident": resident.pk,
            "group": key_group("floating-population").pk,
            "since": "2026-01-01",
            "legal_basis": "居住证",
        },
    )
    assert added.status_code == 302, added.context["adminform"].form.errors
    assert rolled_up(building) == live(building) == (before[0], before[1], before[2] + 1)
    tag = ResidentTag.objects.get(resident=resident, group__code="floating-population")
    client.post(reverse("admin:grids_residenttag_delete", args=[tag.pk]), {"post": "yes"})
    assert rolled_up(building) == live(building) == before
    household = resident.household
    page = client.get(reverse("admin:grids_household_change", args=[household.pk]))
    assert "building" in page.context["adminform"].readonly_fields
    for name, pk in (("household", household.pk), ("resident", resident.pk)):
        assert client.post(reverse(f"admin:grids_{name}_delete", args=[pk]), {"post": "yes"}).status_code == 403
    assert Resident.objects.unscoped("test").filter(pk=resident.pk).exists()


@pytest.mark.parametrize("field, index", [("households", 0), ("residents", 1), ("key_group_residents", 2)])
def test_the_maps_totals_per_grid_equal_each_grids_own_counts(world, django_assert_num_queries, field, index):
    """selectors.totals gives each grid of a set the sum over the buildings of its subtree, a
    building in a compound included, and nothing of a grid outside the set, in two queries."""
    compound = AreaFactory(kind=AreaKind.COMPOUND, name="金桂园", parent=world.areas["B"])
    housed = HouseholdFactory(building=AreaFactory(kind=AreaKind.BUILDING, name="金桂园1号楼", parent=compound))
    ResidentFactory(household=housed)
    ResidentFactory(household=housed, relation=Relation.SPOUSE)
    grids = Area.objects.unscoped("test").filter(kind=AreaKind.GRID).exclude(pk=world.areas["C"].pk)
    with django_assert_num_queries(2):
        found = totals(grids, field)
    assert found == {grid.pk: rolled_up(grid)[index] for grid in grids}
    assert found[world.areas["B"].pk] == rolled_up(world.areas["B1"])[index] + (1, 2, 0)[index]
