import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.blind_index import blind_index
from core.scope import SYSTEM, scope_for
from grids import selectors, services
from grids.models import Resident
from tests.factories import ResidentFactory, citizen_id, key_group

VALID_ID = "11010519491231002X"  # the example number of GB 11643 (a woman born 1949-12-31)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("11010519491231002", "身份证号应为18位,当前为17位"),
        ("1101051949123100XX", "前17位必须是数字"),
        ("110105194912310021", "校验位不正确"),
        ("110105194902300020", "出生日期或地区码不存在"),  # 30 February, with a correct check digit
        ("990105194912310023", "出生日期或地区码不存在"),  # no province 99
    ],
)
def test_a_bad_id_number_is_refused_with_its_reason(world, number, message):
    with pytest.raises(ValidationError) as error:
        ResidentFactory(household=world.households["A2"], citizen_id=number)
    assert message in error.value.message_dict["citizen_id"][0]


def test_sex_and_birth_date_come_from_the_id(world):
    ResidentFactory(household=world.households["A2"], citizen_id=VALID_ID.lower())
    resident = Resident.objects.unscoped("test").get(citizen_id_hash=blind_index(VALID_ID))  # as read back
    assert (resident.citizen_id, resident.sex, resident.birth_date) == (VALID_ID, "F", datetime.date(1949, 12, 31))
    assert resident.age(on=datetime.date(2026, 12, 30)) == 76
    assert resident.age(on=datetime.date(2026, 12, 31)) == 77
    man = ResidentFactory(household=world.households["A2"], citizen_id=citizen_id(datetime.date(1990, 1, 2), male=True))
    assert (man.sex, man.birth_date) == ("M", datetime.date(1990, 1, 2))


@pytest.mark.parametrize(
    ("raw", "stored"), [("13812345678", "+8613812345678"), ("+86 139-0000-1111", "+8613900001111")]
)
def test_phones_are_stored_in_one_form(world, raw, stored):
    assert ResidentFactory(household=world.households["A2"], phone=raw).phone == stored


@pytest.mark.parametrize("raw", ["12345", "1381234567", "not a phone"])
def test_a_bad_phone_is_refused(world, raw):
    with pytest.raises(ValidationError) as error:
        ResidentFactory(household=world.households["A2"], phone=raw)
    assert "手机号" in error.value.message_dict["phone"][0]


def test_a_bad_id_and_a_bad_phone_are_both_reported(world):
    with pytest.raises(ValidationError) as error:
        ResidentFactory(household=world.households["A2"], citizen_id="123", phone="1")
    assert set(error.value.message_dict) == {"citizen_id", "phone"}


def test_the_same_person_cannot_be_registered_twice_and_the_message_says_not_where(world):
    existing = world.residents["C1"]
    with pytest.raises(ValidationError) as error:
        ResidentFactory(household=world.households["A2"], citizen_id=existing.citizen_id)
    message = error.value.message_dict["citizen_id"][0]
    assert "该身份证号已登记" in message
    assert world.areas["C1"].name not in message
    assert Resident.objects.filter(citizen_id_hash=existing.citizen_id_hash).count() == 1


def test_the_database_holds_no_plaintext_id_or_phone(world):
    resident = ResidentFactory(household=world.households["A2"], phone="13812345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT citizen_id, phone, citizen_id_hash FROM grids_resident WHERE id = %s", [resident.pk])
        stored_id, stored_phone, stored_hash = cursor.fetchone()
    for stored in (stored_id, stored_phone, stored_hash):
        assert resident.citizen_id not in stored
        assert "13812345678" not in stored
    assert Resident.objects.get(pk=resident.pk).citizen_id == resident.citizen_id


def test_search_by_exact_id_and_phone_goes_through_the_blind_index(world):
    resident = ResidentFactory(household=world.households["A2"], name="查找对象", phone="13912345678")
    scope = scope_for(world.users["grid_a"])
    assert list(selectors.search_residents(scope, resident.citizen_id.lower())) == [resident]
    assert list(selectors.search_residents(scope, "13912345678")) == [resident]
    other_check_digit = "1" if resident.citizen_id.endswith("0") else "0"  # one ID in eleven ends in 0
    assert list(selectors.search_residents(scope, resident.citizen_id[:-1] + other_check_digit)) == []


def test_correcting_an_id_moves_birth_date_and_sex_with_it(world):
    resident = world.residents["A2"]
    services.correct_citizen_id(actor=SYSTEM, resident=resident, citizen_id=VALID_ID)
    resident.refresh_from_db()
    assert (resident.birth_date, resident.sex) == (datetime.date(1949, 12, 31), "F")
    assert list(selectors.search_residents(scope_for(world.users["grid_a"]), VALID_ID)) == [resident]


def test_update_keeps_the_id_and_reindexes_the_phone(world):
    resident = world.residents["A2"]
    services.update_resident(
        actor=SYSTEM, resident=resident, name="改名", phone="13700001111", residence_status="resident", relation="head"
    )
    resident.refresh_from_db()
    assert (resident.name, resident.phone) == ("改名", "+8613700001111")
    assert list(selectors.search_residents(scope_for(world.users["grid_a"]), "13700001111")) == [resident]


def test_a_tag_needs_the_right_subject_and_carries_its_legal_basis(world):
    resident = world.residents["A2"]
    with pytest.raises(ValidationError, match="不适用"):
        services.tag_resident(
            actor=SYSTEM, resident=resident, group=key_group("rented-housing"), since=datetime.date(2025, 1, 1)
        )
    tag = services.tag_resident(
        actor=SYSTEM, resident=resident, group=key_group("disabled"), since=datetime.date(2025, 1, 1)
    )
    assert tag.legal_basis == "《中华人民共和国残疾人保障法》"
    with pytest.raises(ValidationError, match="截止日期"):
        services.tag_resident(
            actor=SYSTEM,
            resident=resident,
            group=key_group("floating-population"),
            since=datetime.date(2025, 1, 1),
            until=datetime.date(2024, 1, 1),
        )


def test_an_expired_tag_no_longer_counts(world):
    resident = world.residents["A2"]
    services.tag_resident(
        actor=SYSTEM,
        resident=resident,
        group=key_group("floating-population"),
        since=datetime.date(2020, 1, 1),
        until=datetime.date(2021, 1, 1),
    )
    scope = scope_for(world.users["grid_a"])
    assert resident not in selectors.key_group_residents(scope, world.areas["A"])


def test_the_seven_key_groups_of_seed_002_are_there_with_sensitivity(db):
    from grids.models import KeyGroup

    groups = {g.name: g.sensitive for g in KeyGroup.objects.all()}
    assert groups == {
        "空巢老人": False,
        "残疾人": True,
        "低保家庭": True,
        "流动人口": False,
        "出租房屋": False,
        "刑释解教人员": True,
        "社区矫正人员": True,
    }


def test_recording_an_unmasked_view_needs_the_permission(world):
    with pytest.raises(ValidationError, match="没有查看敏感信息的权限"):
        services.record_sensitive_access(
            actor=world.users["grid_a"], residents=[world.residents["A1"]], reason="入户走访核实"
        )
