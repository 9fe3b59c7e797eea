"""Finding 11: birth date and sex were stored in clear beside the encrypted ID (9 of its 18 digits)."""

import datetime

from django.db import connection

from core.scope import SYSTEM
from grids.models import Resident
from grids.services import correct_citizen_id
from tests.factories import ResidentFactory, citizen_id


def test_the_resident_table_has_no_birth_date_or_sex_column(db):
    with connection.cursor() as cursor:
        columns = {column.name for column in connection.introspection.get_table_description(cursor, "grids_resident")}
    assert "citizen_id" in columns
    assert not {"birth_date", "sex", "birth_year"} & columns


def test_a_corrected_id_moves_the_birth_date_and_sex_it_gives(world):
    resident = ResidentFactory(household=world.households["A2"], citizen_id=citizen_id(datetime.date(1990, 1, 2)))
    correct_citizen_id(actor=SYSTEM, resident=resident, citizen_id=citizen_id(datetime.date(1961, 7, 8), male=False))
    again = Resident.objects.unscoped("test").get(pk=resident.pk)
    assert (again.birth_date, again.sex) == (datetime.date(1961, 7, 8), "F")
