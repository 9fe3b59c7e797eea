"""core.bulk.bulk_insert: the imports' rows, with COPY on PostgreSQL and bulk_create elsewhere."""

import datetime

from core.blind_index import blind_index
from core.bulk import bulk_insert
from grids.import_models import ImportRow, ImportRun
from grids.models import Household, Relation, ResidenceStatus, Resident
from tests.factories import citizen_id


def _resident(household, n, **extra):
    number = citizen_id(datetime.date(1990, 1, 1) + datetime.timedelta(days=n))
    return Resident(
        household_id=household.pk,
        name=f"批量{n}",
        citizen_id=number,
        citizen_id_hash=blind_index(number),
        phone=f"+861381234{n:04d}",
        residence_status=ResidenceStatus.REGISTERED,
        relation=Relation.CHILD,
        **extra,
    )


def test_rows_get_their_keys_and_read_back_as_written(world):
    households = [Household(building=world.areas["A1"], unit="9", floor=1, room=f"9{n}") for n in range(3)]
    bulk_insert(households)
    assert all(h.pk for h in households) and len({h.pk for h in households}) == 3
    residents = [_resident(households[n % 3], n) for n in range(5)]
    bulk_insert(residents)
    stored = {r.pk: r for r in Resident.objects.unscoped("test").filter(pk__in=[r.pk for r in residents])}
    assert len(stored) == 5
    for written in residents:
        read = stored[written.pk]
        assert (read.household_id, read.name, read.citizen_id, read.phone) == (
            written.household_id,
            written.name,
            written.citizen_id,
            written.phone,
        )
        assert read.end_reason == ""  # its database default, the column left out
    # The next row the table makes itself does not collide with the keys taken for these.
    assert Household.objects.create(building=world.areas["A1"], unit="9", floor=1, room="99").pk not in {
        h.pk for h in households
    }


def test_a_default_some_rows_set_and_others_leave_is_written_for_each(world):
    household = Household.objects.create(building=world.areas["A1"], unit="9", floor=1, room="91")
    ended = _resident(household, 1, ended_on=datetime.date(2025, 1, 1), end_reason="died")
    living = _resident(household, 2)
    bulk_insert([ended, living])
    reasons = dict(
        Resident.objects.unscoped("test").filter(pk__in=[ended.pk, living.pk]).values_list("pk", "end_reason")
    )
    assert reasons == {ended.pk: "died", living.pk: ""}


def test_auto_fields_are_filled_as_save_would(world):
    runs = [ImportRun(owner=world.users["community"], file_name=f"{n}.xlsx") for n in range(2)]
    bulk_insert(runs)
    assert all(run.started_at for run in runs)
    assert ImportRun.objects.filter(pk__in=[run.pk for run in runs], started_at__isnull=False).count() == 2
    rows = [ImportRow(run=runs[0], number=n, outcome="created") for n in range(2, 5)]
    bulk_insert(rows)
    assert list(runs[0].outcomes.order_by("number").values_list("number", flat=True)) == [2, 3, 4]
