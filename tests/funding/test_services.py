"""Each funding service authorises its actor (capability and place) and records who did it; a refused
actor writes nothing, not even an audit entry."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.models import AuditEntry
from core.scope import SYSTEM
from funding import services, whatif
from funding.models import BudgetRun, NewUnitCost, PayRecord, RunStatus, Scenario
from orgs.models import Role
from tests.factories import user_with_posts

D = Decimal
PROPOSAL = [{"name": "新社区", "households": 10, "party_members": 1}]


@pytest.fixture
def finance(world):
    """A finance officer of the district (not of the county)."""
    return user_with_posts("svc_finance", dict(role=Role.FINANCE_OFFICER, area=world.areas["district"]))


def _entry(target) -> AuditEntry:
    [entry] = AuditEntry.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk))
    return entry


def _refused(model, call) -> None:
    entries = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        call()
    assert not model.objects.unscoped("the test's own check").exists()
    assert AuditEntry.objects.count() == entries


# Budget runs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["street", "community", "district", "leader", "grid_a", "officer"])
def test_starting_a_run_needs_the_finance_office(world, persona):
    _refused(
        BudgetRun,
        lambda: services.start_budget_run(actor=world.users[persona], year=2026, area=world.areas["district"]),
    )


def test_starting_a_run_for_another_county_is_refused(world, finance):
    _refused(BudgetRun, lambda: services.start_budget_run(actor=finance, year=2026, area=world.areas["county"]))


def test_a_city_wide_run_needs_every_district_and_county_of_the_city(world, finance):
    _refused(
        BudgetRun, lambda: services.start_budget_run(actor=finance, year=2026, whole_city=world.areas["district"].city)
    )


def test_starting_a_run_records_who_in_which_capacity(world, finance):
    run = services.start_budget_run(actor=finance, year=2026, area=world.areas["district"])
    entry = _entry(run)
    assert (entry.actor, entry.capacity, entry.action) == (finance, Role.FINANCE_OFFICER, "funding.start_budget_run")
    assert entry.fields == ["area", "policy", "policy_snapshot", "year"]
    assert run.created_by == finance


def test_the_system_starts_a_run_in_its_own_name(world):
    run = services.start_budget_run(actor=SYSTEM, year=2026, area=world.areas["county"])
    entry = _entry(run)
    assert (entry.actor, entry.capacity) == (None, "system")
    assert run.created_by is None


def test_computing_a_run_is_refused_to_an_actor_who_may_not_run_it(world, finance):
    run = services.start_budget_run(actor=SYSTEM, year=2026, area=world.areas["county"])
    with pytest.raises(PermissionDenied):
        services.compute_budget_run(run.pk, actor=finance)
    run.refresh_from_db()
    assert run.status == RunStatus.PENDING
    assert not run.communities.exists()


def test_computing_a_run_records_the_system(world, finance, run_tasks_here):
    with run_tasks_here():
        run = services.start_budget_run(actor=finance, year=2026, area=world.areas["district"])
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    [computed] = AuditEntry.objects.filter(action="funding.compute_budget_run", target_id=str(run.pk))
    assert (computed.actor, computed.capacity) == (None, "system")
    assert "amount" in computed.fields


# New-unit costs ------------------------------------------------------------------------------


def _cost(actor, community):
    return services.record_new_unit_cost(
        actor=actor,
        year=2026,
        community=community,
        new_staff=1,
        new_staff_annual_salary=D("30000"),
        new_venue_cost=D("0"),
    )


@pytest.mark.parametrize("persona", ["community", "street", "grid_a"])
def test_new_unit_costs_need_the_finance_office(world, persona):
    _refused(NewUnitCost, lambda: _cost(world.users[persona], world.areas["K1"]))


def test_new_unit_costs_of_another_countys_community_are_refused(world, finance):
    _refused(NewUnitCost, lambda: _cost(finance, world.areas["K4"]))


def test_a_new_unit_cost_records_who_entered_it(world, finance):
    cost = _cost(finance, world.areas["K1"])
    entry = _entry(cost)
    assert (entry.actor, entry.capacity, entry.action) == (
        finance,
        Role.FINANCE_OFFICER,
        "funding.record_new_unit_cost",
    )
    assert "new_staff" in entry.fields and "30000" not in str(entry.fields)
    # Entering the year again replaces the row and records a second entry for it.
    _cost(finance, world.areas["K1"])
    assert AuditEntry.objects.filter(action="funding.record_new_unit_cost", target_id=str(cost.pk)).count() == 2
    assert NewUnitCost.objects.filter(community=world.areas["K1"]).count() == 1


# Scenarios -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["community", "grid_a", "leader"])
def test_a_scenario_needs_a_planner(world, persona):
    _refused(
        Scenario,
        lambda: whatif.save_scenario(
            actor=world.users[persona], name="试算", year=2026, communities=[world.areas["K1"]], proposal=PROPOSAL
        ),
    )


def test_a_scenario_outside_the_planners_street_is_refused(world):
    _refused(
        Scenario,
        lambda: whatif.save_scenario(
            actor=world.users["street"], name="试算", year=2026, communities=[world.areas["K3"]], proposal=PROPOSAL
        ),
    )


def test_a_scenario_records_who_saved_it(world):
    scenario = whatif.save_scenario(
        actor=world.users["street"], name="试算", year=2026, communities=[world.areas["K2"]], proposal=PROPOSAL
    )
    entry = _entry(scenario)
    assert (entry.actor, entry.capacity, entry.action) == (
        world.users["street"],
        Role.STREET_STAFF,
        "funding.save_scenario",
    )


# Another district's run ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["finance", "street", "community", "grid_a", "district"])
@pytest.mark.parametrize("url_name", ["funding:run", "funding:run_print", "funding:run_export", "funding:run_status"])
def test_the_countys_run_is_404_for_the_districts_people(world, finance, client_for, run_tasks_here, persona, url_name):
    with run_tasks_here():
        county_run = services.start_budget_run(actor=SYSTEM, year=2026, area=world.areas["county"])
    user = finance if persona == "finance" else world.users[persona]
    client = client_for(user)
    assert client.get(reverse(url_name, args=[county_run.pk])).status_code == 404
    assert county_run not in client.get(reverse("funding:runs")).context["runs"]


def test_comparing_with_the_countys_run_is_404(world, finance, client_for, run_tasks_here):
    with run_tasks_here():
        county_run = services.start_budget_run(actor=SYSTEM, year=2026, area=world.areas["county"])
        own = services.start_budget_run(actor=finance, year=2026, area=world.areas["district"])
    client = client_for(finance)
    assert client.get(reverse("funding:run_compare", args=[own.pk, county_run.pk])).status_code == 404
    assert client.get(reverse("funding:run_compare", args=[county_run.pk, own.pk])).status_code == 404


# Pay records ---------------------------------------------------------------------------------


def _pay(community) -> PayRecord:
    return PayRecord(community=community, name="甲", year=2026, basic=D("4000"))


@pytest.mark.parametrize("persona", ["community", "street", "leader"])
def test_pay_records_are_kept_by_the_finance_office(world, persona):
    _refused(PayRecord, lambda: services.save_pay_record(actor=world.users[persona], record=_pay(world.areas["K1"])))


def test_pay_records_of_another_countys_community_are_refused(world, finance):
    _refused(PayRecord, lambda: services.save_pay_record(actor=finance, record=_pay(world.areas["K4"])))


def test_a_pay_record_records_who_saved_it_and_no_figures(world, finance):
    record = services.save_pay_record(actor=finance, record=_pay(world.areas["K1"]))
    entry = _entry(record)
    assert (entry.actor, entry.capacity, entry.action) == (finance, Role.FINANCE_OFFICER, "funding.save_pay_record")
    assert "basic" in entry.fields and "4000" not in str(entry.fields)


# Admin ---------------------------------------------------------------------------------------

PAY_FORM = {"year": 2026, "basic": "4000", "seniority": "0", "grade": "0", "performance": "0", "annual_bonus": "0"}


def test_admin_saves_a_pay_record_through_the_service_as_the_admin(world, client_for):
    form = {**PAY_FORM, "community": world.areas["K1"].pk, "name": "乙", "qualification": "none"}
    response = client_for(world.users["admin"]).post(reverse("admin:funding_payrecord_add"), form)
    assert response.status_code == 302
    entry = _entry(PayRecord.objects.get(name="乙"))
    assert (entry.actor, entry.capacity) == (world.users["admin"], "admin")


def test_admin_saves_a_new_unit_cost_through_the_service_as_the_admin(world, client_for):
    form = {"year": 2026, "community": world.areas["K1"].pk, "new_staff": 1}
    form |= {"new_staff_annual_salary": "30000", "new_venue_cost": "0", "note": ""}
    response = client_for(world.users["admin"]).post(reverse("admin:funding_newunitcost_add"), form)
    assert response.status_code == 302
    entry = _entry(NewUnitCost.objects.get(community=world.areas["K1"]))
    assert (entry.actor, entry.capacity, entry.action) == (
        world.users["admin"],
        "admin",
        "funding.record_new_unit_cost",
    )
