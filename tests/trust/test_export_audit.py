"""Every export is in the audit log (PIPL art. 55; 等保 2.0 security audit): who took which
run, in which capacity, which columns — names, never the values exported."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.models import AuditEntry
from funding import services as funding_services
from funding.exports import COLUMNS
from funding.models import BudgetRun, RunStatus
from orgs.models import Role
from tests.factories import user_with_posts

ACTION = "funding.export_budget_run"


@pytest.fixture
def finance(world):
    return user_with_posts("export_finance", dict(role=Role.FINANCE_OFFICER, area=world.areas["district"]))


@pytest.fixture
def run(world, finance, run_tasks_here) -> BudgetRun:
    with run_tasks_here():
        started = funding_services.start_budget_run(actor=finance, year=2026, area=world.areas["district"])
    run = BudgetRun.objects.unscoped("the test reads back the run it started").get(pk=started.pk)
    assert run.status == RunStatus.DONE
    return run


def _export(client, run):
    return client.get(reverse("funding:run_export", args=[run.pk]), REMOTE_ADDR="203.0.113.4")


def test_an_export_is_recorded_with_who_what_and_which_columns(world, finance, run, client_for):
    response = _export(client_for(finance), run)
    assert response.status_code == 200
    [entry] = AuditEntry.objects.filter(action=ACTION)
    assert (entry.actor, entry.capacity, entry.client_address) == (finance, Role.FINANCE_OFFICER, "203.0.113.4")
    assert (entry.target_type, entry.target_id) == (ContentType.objects.get_for_model(BudgetRun), str(run.pk))
    assert entry.fields == sorted(COLUMNS)


def test_community_staff_exporting_their_lines_are_recorded_in_their_capacity(world, run, client_for):
    _export(client_for(world.users["community"]), run)
    [entry] = AuditEntry.objects.filter(action=ACTION)
    assert (entry.actor, entry.capacity) == (world.users["community"], Role.COMMUNITY_STAFF)
    assert "一社区" not in str(entry.fields)


def test_a_refused_export_records_no_export(world, run, client_for):
    assert _export(client_for(world.users["officer"]), run).status_code == 404
    assert not AuditEntry.objects.filter(action=ACTION).exists()
