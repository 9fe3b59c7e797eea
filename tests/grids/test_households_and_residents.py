"""迁入/迁出, the end of a resident and the one 户主 of a household: services, constraint and pages."""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from core.models import AuditEntry
from core.scope import SYSTEM
from core.scoping import guard_on
from grids import moves, services
from grids.models import Move, Relation, Resident, ResidentEnd, ResidentTag
from tests.factories import citizen_id, key_group
from tests.sign_in import force_login_verified

DAY = datetime.date(2026, 3, 1)


def _resident(pk: int) -> Resident:
    return Resident.objects.unscoped("the test's own look-up").get(pk=pk)


def test_two_living_heads_in_one_household_are_refused_by_the_database(world):
    spouse = world.residents["A1c"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Resident.objects.unscoped("the test writes past the service").filter(pk=spouse.pk).update(relation="head")


def test_a_head_who_has_ended_leaves_room_for_a_new_one_in_the_database(world):
    head = world.residents["A1"]
    Resident.objects.unscoped("test").filter(pk=head.pk).update(ended_on=DAY, end_reason=ResidentEnd.DIED)
    Resident.objects.unscoped("test").filter(pk=world.residents["A1c"].pk).update(relation="head")
    heads = Resident.objects.unscoped("test").living().filter(household=world.households["A1"], relation="head")
    assert heads.count() == 1


def test_a_second_head_is_refused_naming_the_relation(world):
    with pytest.raises(ValidationError) as error:
        services.register_resident(
            actor=SYSTEM,
            household=world.households["A1"],
            name="第二户主",
            citizen_id=citizen_id(),
            residence_status="registered",
            relation=Relation.HEAD,
        )
    assert "该户已有户主" in error.value.message_dict["relation"][0]
    assert not Resident.objects.unscoped("test").filter(name="第二户主").exists()


def test_moving_out_ends_the_resident_and_keeps_them_in_the_households_history(world):
    community = world.users["community"]
    spouse = world.residents["A1c"]
    with guard_on():
        moves.end_resident(actor=community, resident=spouse, on=DAY, reason=ResidentEnd.MOVED_OUT)
    kept = _resident(spouse.pk)
    assert (kept.ended_on, kept.end_reason) == (DAY, ResidentEnd.MOVED_OUT)
    moved = Move.objects.unscoped("test").filter(household=world.households["A1"])
    assert list(moved.values_list("resident", "direction")) == [(spouse.pk, "out")]
    client = force_login_verified(Client(), community)
    page = client.get(f"/households/{world.households['A1'].pk}/").content.decode()
    assert "1口之家" in page  # the head alone lives there now
    assert "A1矫正对象" in page.split('data-testid="moves"')[1]  # but the history still names who left
    entry = AuditEntry.objects.filter(action="grids.end_resident.moved_out").get()
    assert entry.fields == ["end_reason", "ended_on", "moves"]


def test_a_head_who_leaves_others_behind_names_the_new_head(world):
    head, spouse = world.residents["A1"], world.residents["A1c"]
    with pytest.raises(ValidationError) as error:
        moves.end_resident(actor=SYSTEM, resident=head, on=DAY, reason=ResidentEnd.DIED)
    assert "new_head" in error.value.message_dict
    assert _resident(head.pk).ended_on is None
    moves.end_resident(actor=SYSTEM, resident=head, on=DAY, reason=ResidentEnd.DIED, new_head=spouse)
    assert (_resident(head.pk).end_reason, _resident(spouse.pk).relation) == (ResidentEnd.DIED, Relation.HEAD)


def test_the_new_head_must_live_in_the_household(world):
    head, stranger = world.residents["A1"], world.residents["B1"]
    with pytest.raises(ValidationError) as error:
        moves.end_resident(actor=SYSTEM, resident=head, on=DAY, reason=ResidentEnd.DIED, new_head=stranger)
    assert "new_head" in error.value.message_dict
    assert (_resident(head.pk).ended_on, _resident(stranger.pk).relation) == (None, world.residents["B1"].relation)


def test_someone_who_moved_out_moves_in_elsewhere_as_themselves(world):
    spouse = world.residents["A1c"]
    moves.end_resident(actor=SYSTEM, resident=spouse, on=DAY, reason=ResidentEnd.MOVED_OUT)
    back = moves.move_in(
        actor=SYSTEM,
        household=world.households["A2"],
        on=DAY,
        citizen_id=spouse.citizen_id,
        name="A1矫正对象",
        residence_status="registered",
        relation=Relation.SPOUSE,
    )
    assert back.pk == spouse.pk
    assert (_resident(spouse.pk).household_id, _resident(spouse.pk).ended_on) == (world.households["A2"].pk, None)
    directions = Move.objects.unscoped("test").filter(resident=spouse).values_list("household", "direction")
    assert sorted(directions) == sorted([(world.households["A1"].pk, "out"), (world.households["A2"].pk, "in")])


def test_someone_living_elsewhere_cannot_move_in_and_is_not_told_where(world):
    with pytest.raises(ValidationError) as error:
        moves.move_in(
            actor=SYSTEM,
            household=world.households["A2"],
            on=DAY,
            citizen_id=world.residents["E1"].citizen_id,
            name="E1住户",
            residence_status="registered",
            relation=Relation.OTHER,
        )
    message = error.value.message_dict["citizen_id"][0]
    assert "已登记" in message and "E1" not in message and "四社区" not in message


def test_the_head_changes_in_one_step(world):
    head, spouse = world.residents["A1"], world.residents["A1c"]
    moves.change_head(actor=SYSTEM, household=world.households["A1"], new_head=spouse, old_head_relation="spouse")
    assert (_resident(head.pk).relation, _resident(spouse.pk).relation) == ("spouse", "head")


def test_a_head_cannot_simply_be_edited_away(world):
    head = world.residents["A1"]
    with pytest.raises(ValidationError) as error:
        services.update_resident(
            actor=SYSTEM, resident=head, name=head.name, phone="", residence_status="registered", relation="child"
        )
    assert "relation" in error.value.message_dict


# The pages -------------------------------------------------------------------------------------


@pytest.fixture
def community(world):
    return force_login_verified(Client(), world.users["community"])


def test_move_in_on_the_page_registers_the_resident_and_the_move(world, community):
    household = world.households["A2"]
    response = community.post(
        f"/households/{household.pk}/move_in/",
        {"name": "新住户", "citizen_id": citizen_id(), "phone": "", "residence_status": "floating",
         "relation": "tenant", "on": "2026-03-01"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == f"/households/{household.pk}/"
    resident = Resident.objects.unscoped("test").get(name="新住户")
    assert Move.objects.unscoped("test").filter(resident=resident, direction="in", on=DAY).exists()


def test_an_id_already_registered_is_refused_beside_the_id_field(world, community):
    response = community.post(
        f"/households/{world.households['A2'].pk}/move_in/",
        {"name": "重复", "citizen_id": world.residents["B1"].citizen_id, "residence_status": "registered",
         "relation": "other", "on": "2026-03-01"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "公民身份号码:该身份证号已登记" in response.content.decode()
    assert not Resident.objects.unscoped("test").filter(name="重复").exists()


def test_a_second_head_on_the_page_is_named_in_chinese(world, community):
    response = community.post(
        f"/households/{world.households['A1'].pk}/move_in/",
        {"name": "又一户主", "citizen_id": citizen_id(), "residence_status": "registered", "relation": "head",
         "on": "2026-03-01"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "与户主关系:该户已有户主" in response.content.decode()


def test_a_grid_worker_cannot_end_a_resident_of_another_grid(world):
    grid_b = force_login_verified(Client(), world.users["grid_b"])
    response = grid_b.post(f"/residents/{world.residents['A1c'].pk}/end/", {"reason": "died", "on": "2026-03-01"})
    assert response.status_code == 404
    assert _resident(world.residents["A1c"].pk).ended_on is None


def test_the_resident_history_lists_what_was_written_by_whom(world, community):
    resident = world.residents["A1c"]
    community.post(f"/residents/{resident.pk}/end/", {"reason": "departed", "on": "2026-03-01"})
    page = community.get(f"/residents/{resident.pk}/history/").content.decode()
    assert "grids.end_resident.departed" in page and "world_community" in page
    assert "grids.register_resident" in page


def test_the_resident_list_filters_the_living(world, community):
    moves.end_resident(actor=SYSTEM, resident=world.residents["A1c"], on=DAY, reason=ResidentEnd.DEPARTED)
    living = community.get("/residents/list/", {"living": "true"}).context["rows"]
    names = {obj.name for obj, _, _ in living}
    assert "A1住户" in names and "A1矫正对象" not in names
    assert "C1住户" not in names  # another community's


def test_a_sensitive_group_is_refused_to_who_may_not_see_it(world):
    grid_a = world.users["grid_a"]
    with guard_on(), pytest.raises(ValidationError) as error:
        services.tag_resident(
            actor=grid_a, resident=world.residents["A2"], group=key_group("community-corrections"), since=DAY
        )
    assert "group" in error.value.message_dict
    assert not ResidentTag.objects.filter(resident=world.residents["A2"]).exists()


def test_the_tag_form_offers_no_sensitive_group_without_the_permission(world):
    grid_a = force_login_verified(Client(), world.users["grid_a"])
    groups = grid_a.get(f"/residents/{world.residents['A2'].pk}/tag/").context["form"].fields["group"].queryset
    assert groups.exists() and not groups.filter(sensitive=True).exists()


def test_a_tag_ends_on_a_date_and_stays_on_record(world, community):
    tag = ResidentTag.objects.get(resident=world.residents["A1b"])
    response = community.post(f"/residents/{world.residents['A1b'].pk}/untag/", {"tag": tag.pk, "until": "2026-03-01"})
    assert response.status_code == 302
    assert ResidentTag.objects.get(pk=tag.pk).until == DAY
    assert AuditEntry.objects.filter(action="grids.end_resident_tag", target_id=str(tag.pk)).exists()


def test_a_tag_ending_before_it_began_is_refused(world, community):
    tag = ResidentTag.objects.get(resident=world.residents["A1b"])
    response = community.post(f"/residents/{world.residents['A1b'].pk}/untag/", {"tag": tag.pk, "until": "2020-01-01"})
    assert response.status_code == 400 and "截止日期不能早于起始日期" in response.content.decode()
    assert ResidentTag.objects.get(pk=tag.pk).until is None


def test_the_migration_gives_a_headless_household_its_first_resident_as_head(world):
    migration = import_module("grids.migrations.0005_resident_end_and_one_head")
    head, spouse = world.residents["A1"], world.residents["A1c"]
    Resident.objects.unscoped("test").filter(pk=head.pk).update(relation="child")
    migration.repair_heads(apps, None)
    assert (_resident(head.pk).relation, _resident(spouse.pk).relation) == ("head", "spouse")
    heads = Resident.objects.unscoped("test").filter(relation="head").values_list("household", flat=True)
    assert len(heads) == len(set(heads))
