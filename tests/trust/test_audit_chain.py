"""The audit log is append-only in the application and the database, and its hash chain shows tampering."""

import pgtrigger
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from core import audit, chain
from core.audit import record
from core.bulk import MANY
from core.models import AppendOnly, AuditEntry
from core.scope import SYSTEM
from tests.threads import second_waits_on_first

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger and the lock are PostgreSQL's")


def _entries(n: int = 3) -> list[AuditEntry]:
    return [record(actor=SYSTEM, action=f"test.write_{i}", fields=["name"]) for i in range(n)]


def _raw(sql: str, params: list) -> None:
    # The database's own guard is lifted only for this statement, as an intruder with DDL rights could.
    with pgtrigger.ignore("core.AuditEntry:audit_append_only"), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_each_entry_is_chained_to_the_one_before():
    first, second = _entries(2)
    assert second.hash == chain.entry_hash(first.hash, chain.values_of(second))
    assert len(second.hash) == 64


@pytest.mark.django_db
def test_many_entries_appended_at_once_hold_the_chain_in_their_order():
    """A job's entries go in together (by COPY on PostgreSQL from core.bulk.MANY rows on), each
    chained onto the one before it, with ids in the same order, after what `record` saved alone."""
    _entries(2)
    many = [audit.entry(actor=SYSTEM, action=f"test.batch_{i}", fields=["status"]) for i in range(MANY + 5)]
    audit.record_all(many)
    stored = list(AuditEntry.objects.filter(action__startswith="test.batch_").order_by("pk"))
    assert [e.action for e in stored] == [e.action for e in many]
    assert [e.pk for e in stored] == [e.pk for e in many]
    assert chain.first_broken(AuditEntry) is None


@pytest.mark.django_db
def test_the_application_cannot_change_or_remove_an_entry():
    [entry] = _entries(1)
    entry.action = "test.rewritten"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.rewritten")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.bulk_create([AuditEntry(action="test.unchained")])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.write_0"


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_refuses_an_update_or_delete_that_bypasses_the_application():
    [entry] = _entries(1)
    for sql in ("UPDATE core_auditentry SET action = 'x' WHERE id = %s", "DELETE FROM core_auditentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
            connection.cursor().execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.write_0"


@pytest.mark.django_db
def test_audit_verify_passes_an_intact_chain(capsys):
    _entries(3)
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out


@pytest.mark.django_db
def test_audit_verify_names_the_row_edited_by_raw_sql():
    _first, second, _third = _entries(3)
    _raw("UPDATE core_auditentry SET fields = %s WHERE id = %s", ['["citizen_id"]', second.pk])
    with pytest.raises(CommandError, match=rf"broken at entry {second.pk}\b"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_audit_verify_names_the_row_after_one_removed_by_raw_sql():
    _first, second, third = _entries(3)
    _raw("DELETE FROM core_auditentry WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match=rf"broken at entry {third.pk}\b"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_a_broken_chain_makes_the_command_exit_non_zero():
    [entry] = _entries(1)
    _raw("UPDATE core_auditentry SET actor_id = NULL, capacity = %s WHERE id = %s", ["admin", entry.pk])
    with pytest.raises(SystemExit) as exit_:
        _run_cli()
    assert exit_.value.code != 0


def _run_cli() -> None:
    # run_from_argv turns a CommandError into a message and a non-zero exit, as manage.py does.
    from core.management.commands.audit_verify import Command

    Command().run_from_argv(["manage.py", "audit_verify"])


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_do_not_fork_the_chain():
    """The first writer keeps its transaction open after appending; the second must wait, not chain onto its row."""
    record(actor=SYSTEM, action="test.seed")

    def second():
        with transaction.atomic():
            record(actor=SYSTEM, action="test.second")

    errors, waited = second_waits_on_first(lambda: record(actor=SYSTEM, action="test.first"), second)
    assert waited, "the second writer did not wait for the first to commit"
    assert not errors
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["test.first", "test.second"]
    assert chain.first_broken(AuditEntry) is None
