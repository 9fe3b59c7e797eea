import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from stdnum.cn import ric

from core.identity import parse_citizen_id
from tests.factories import ResidentFactory


def _id_born(birth: datetime.date) -> str:
    body = f"110105{birth:%Y%m%d}001"
    return body + ric.calc_check_digit(body + "0")


def _refusal(number: str) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        parse_citizen_id(number)
    return error.value


def test_an_id_born_after_today_is_refused_with_its_own_message():
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    for born in (tomorrow, datetime.date(3000, 1, 1)):
        refusal = _refusal(_id_born(born))
        assert refusal.code == "birth_in_future"
        assert "晚于今天" in refusal.messages[0]


def test_an_id_born_before_1900_is_refused_with_its_own_message():
    refusal = _refusal(_id_born(datetime.date(1899, 12, 31)))
    assert refusal.code == "birth_too_early"
    assert "早于1900年" in refusal.messages[0]


def test_ids_born_on_the_first_day_of_1900_and_today_are_accepted():
    assert parse_citizen_id(_id_born(datetime.date(1900, 1, 1))).birth_date == datetime.date(1900, 1, 1)
    today = datetime.date.today() - datetime.timedelta(days=1)  # a day's margin for the time zone
    assert parse_citizen_id(_id_born(today)).birth_date == today


def test_registering_a_resident_born_in_3000_is_refused(world):
    with pytest.raises(ValidationError) as error:
        ResidentFactory(household=world.households["A2"], citizen_id=_id_born(datetime.date(3000, 1, 1)))
    assert "晚于今天" in error.value.message_dict["citizen_id"][0]


@pytest.mark.parametrize("where", ["A1", "E1"], ids=["same district", "another county"])
def test_a_duplicate_id_gets_one_message_that_names_no_place(world, where):
    existing = world.residents[where]
    with pytest.raises(ValidationError) as error:
        ResidentFactory(household=world.households["A2"], citizen_id=existing.citizen_id)
    (message,) = error.value.message_dict["citizen_id"]
    assert message == "该身份证号已登记,请勿重复录入"
    assert "本区" not in message


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    area=st.sampled_from(["110105", "420600", "640100", "999999", "110100", "510109"]),
    birth=st.dates(datetime.date(1900, 1, 1), datetime.date(2020, 12, 31)),
    serial=st.integers(0, 999),
    check=st.sampled_from([None, *"0123456789X"]),  # None: the right one
)
def test_the_id_check_agrees_with_stdnum_on_every_id(area, birth, serial, check):
    """parse_citizen_id runs stdnum's validation in its own steps, keeping the place look-up per
    area code and year: it must accept and refuse exactly what stdnum does, and refuse (not fail
    on) a code with no county in stdnum's table such as 510109, where stdnum raises KeyError (a 500 before)."""
    body = f"{area}{birth:%Y%m%d}{serial:03d}"
    number = body + (check or ric.calc_check_digit(body + "0"))
    try:
        parse_citizen_id(number)
        ours = True
    except ValidationError:
        ours = False
    try:
        theirs = ric.is_valid(number)
    except KeyError:
        theirs = False
    assert ours == theirs, number
