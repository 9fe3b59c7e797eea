"""Jobs one row cannot break: the sweep goes on past a broken case and records through the steps'
recorder; default time limits cannot be deleted; reading the door plates writes nothing."""

import datetime
import logging

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from cases import services, sweep, tasks
from cases.models import Action, CaseAlert, CaseEvent, DoorPlate, TimeLimit
from core import chain
from core.models import AuditEntry
from tests.cases.conftest import at


def test_one_broken_case_is_logged_and_the_sweep_goes_on(world, dispatched, monkeypatch, caplog):
    broken = dispatched(at=at(2026, 11, 23, 9))
    fine = dispatched(at=at(2026, 11, 23, 9))
    record = services.record_for_system

    # The recorder fails for any batch holding one case, after the alert rows were written, so the
    # rollback shows: the batch is swept again a case at a time, and only that case waits.
    def fail_for_one(records, at):
        if any(r.case.pk == broken.pk for r in records):
            raise RuntimeError("a broken row")
        return record(records, at)

    monkeypatch.setattr(services, "record_for_system", fail_for_one)
    with caplog.at_level(logging.WARNING, logger="cases.sweep"):
        counts = sweep.sweep_deadlines(now=fine.response_due + datetime.timedelta(minutes=1))
    assert counts["overdue"] == 1
    assert CaseAlert.objects.filter(case=fine).exists()
    assert not CaseAlert.objects.filter(case=broken).exists()  # its own transaction rolled back
    assert not broken.events.filter(action=Action.OVERDUE).exists()
    assert "a batch of 2 cases failed" in caplog.text and broken.number in caplog.text
    # Mended, it is swept on the next run.
    monkeypatch.setattr(services, "record_for_system", record)
    assert sweep.sweep_deadlines(now=fine.response_due + datetime.timedelta(minutes=2))["overdue"] == 1


def test_the_sweep_records_through_the_steps_recorder(world, dispatched):
    case = dispatched(at=at(2026, 11, 23, 9))
    sweep.sweep_deadlines(now=case.response_due + datetime.timedelta(minutes=1))
    event = CaseEvent.objects.get(case=case, action=Action.OVERDUE)
    assert (event.actor, event.actor_role) == (None, "system")
    entry = AuditEntry.objects.filter(action="case.overdue", target_id=str(case.pk)).get()
    assert (entry.actor, entry.capacity) == (None, "system")
    assert chain.first_broken(AuditEntry) is None  # the batch's entries are chained in their order
    case.refresh_from_db()
    assert case.last_action == Action.DISPATCH  # a reminder or overdue record does not move the case


def test_a_colours_default_time_limit_cannot_be_deleted(world):
    default = TimeLimit.objects.filter(category__isnull=True).first()
    with pytest.raises(ProtectedError):
        default.delete()
    with pytest.raises(ProtectedError):
        TimeLimit.objects.filter(colour=default.colour).delete()
    assert TimeLimit.objects.filter(pk=default.pk).exists()


def test_admin_offers_no_delete_for_a_default_time_limit(world, client_for):
    default = TimeLimit.objects.filter(category__isnull=True).first()
    client = client_for(world.users["admin"])
    assert client.get(reverse("admin:cases_timelimit_delete", args=[default.pk])).status_code == 403
    assert TimeLimit.objects.filter(pk=default.pk).exists()


def test_reading_the_door_plates_writes_nothing(world, client_for):
    url = reverse("cases:door_plates", args=[world.areas["K1"].pk])
    client = client_for(world.users["community"])
    response = client.get(url)
    assert response.status_code == 200 and "<svg" not in response.content.decode()
    assert not DoorPlate.objects.exists()
    assert client.post(url).status_code == 302
    assert DoorPlate.objects.count() == 3
    assert AuditEntry.objects.filter(action="door_plate.issue").count() == 1
    assert client_for(world.users["grid_a"]).post(url).status_code == 404
    assert DoorPlate.objects.count() == 3


def test_each_task_says_whether_it_retries():
    assert tasks.sweep_deadlines.max_retries == 0
    # A failed delivery is retried by beat's pass with its own backoff, not by Celery.
    assert tasks.deliver_notifications.max_retries == 0
