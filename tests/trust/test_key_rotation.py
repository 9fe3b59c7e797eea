"""Key rotation: rows written under an old SECRET_KEY are read while it is a fallback, and
`manage.py reencrypt` moves them to the current key (and the blind indexes to the current index key)."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import TextField
from django.db.models.functions import Cast

from core.blind_index import blind_index
from core.encryption import encrypted_columns, forget_keys
from core.models import AuditEntry, Result
from core.scope import SYSTEM
from grids import services
from grids.models import Resident

NEW_KEY = "rotated-secret-key-0123456789abcdefghij"
NEW_INDEX_KEY = "rotated-blind-index-key-0123456789abcdef"


@pytest.fixture
def rekey(settings):
    """rekey(SECRET_KEY=…, SECRET_KEY_FALLBACKS=[…]): the settings change and the fields forget the
    keys they derived, as a process started with the new environment would."""

    def change(**values):
        for name, value in values.items():
            setattr(settings, name, value)
        forget_keys()

    yield change
    forget_keys()


@pytest.fixture
def residents(world):
    resident = world.residents["A2"]
    services.update_resident(
        actor=SYSTEM,
        resident=resident,
        name=resident.name,
        phone="13812345678",
        residence_status=resident.residence_status,
        relation=resident.relation,
    )
    return {r.pk: (r.citizen_id, r.phone) for r in Resident.objects.unscoped("test")}


def _tokens() -> list[str]:
    rows = Resident.objects.unscoped("test").annotate(
        raw_id=Cast("citizen_id", TextField()), raw_phone=Cast("phone", TextField())
    )
    return [token for pair in rows.values_list("raw_id", "raw_phone") for token in pair if token]


def _stored() -> dict[int, tuple[str, str]]:
    return {r.pk: (r.citizen_id, r.phone) for r in Resident.objects.unscoped("test")}


def test_every_encrypted_column_is_found_with_its_blind_index():
    found = {column.label: column.hash_field and column.hash_field.name for column in encrypted_columns()}
    assert found == {
        "grids.Resident.citizen_id": "citizen_id_hash",
        "grids.Resident.phone": "phone_hash",
        "cases.Case.reporter_phone": None,
        "cases.Delivery.phone": None,  # the number a text message goes to, decrypted only in the SMS channel
        "cases.NotificationSettings.phone": None,  # a user's own number for their notices
        "core.IdempotentRequest.response_body": None,  # an API create's answer, kept for its replay
        "cases.WebhookSubscription.secret": None,  # the key a receiver checks deliveries' signatures with
        "hall.ServiceRequest.applicant_phone": None,  # who applied at the window or by the QR plate
    }


def test_an_old_key_in_the_fallbacks_still_reads_the_rows(settings, residents, rekey):
    old = settings.SECRET_KEY
    rekey(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[])
    assert _stored() != residents  # the library hands back the token when no key fits
    rekey(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[old])
    assert _stored() == residents


def test_reencrypt_moves_every_value_to_the_current_key_once(settings, residents, rekey, capsys):
    rekey(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY])
    call_command("reencrypt", batch_size=3)
    assert f"grids.Resident: {len(residents)}/{len(residents)}" in capsys.readouterr().out
    current = Fernet(next(encrypted_columns()).field.keys[0])  # every field derives the same keys
    for token in _tokens():
        current.decrypt(token.encode())  # raises if any value is still under the old key
    rekey(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[])
    assert _stored() == residents  # the old key can go

    call_command("reencrypt")
    first, second = AuditEntry.objects.filter(action="core.reencrypt").order_by("pk")
    assert (first.actor, first.capacity, first.result) == (None, "system", Result.OK)
    values = len(residents) + 1  # every ID and the one phone
    assert f"re-encrypted: {values}" in first.fields
    assert "re-encrypted grids.Resident.phone: 1" in first.fields
    assert second.fields == [f"rows: {len(residents)}"]  # nothing left to do
    assert not any("13812345678" in f or "+86" in f for f in first.fields)


def test_reencrypt_recomputes_the_blind_indexes_under_a_new_index_key(world, residents, rekey):
    number, _phone = next(iter(residents.values()))
    rekey(BLIND_INDEX_KEY=NEW_INDEX_KEY)
    assert not Resident.objects.unscoped("test").filter(citizen_id_hash=blind_index(number)).exists()
    call_command("reencrypt", verbosity=0)
    assert Resident.objects.unscoped("test").filter(citizen_id_hash=blind_index(number)).count() == 1
    assert Resident.objects.unscoped("test").filter(phone_hash=blind_index("+8613812345678")).count() == 1
    entry = AuditEntry.objects.get(action="core.reencrypt")
    assert f"re-indexed: {len(residents) + 1}" in entry.fields
    assert not any(f.startswith("re-encrypted") for f in entry.fields)


def test_a_value_no_key_reads_stops_the_run_and_is_not_encrypted_twice(residents, rekey):
    before = _tokens()
    rekey(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[])
    with pytest.raises(CommandError, match="cannot be read with SECRET_KEY or SECRET_KEY_FALLBACKS"):
        call_command("reencrypt", verbosity=0)
    assert _tokens() == before
    assert AuditEntry.objects.get(action="core.reencrypt").result == Result.FAILED
