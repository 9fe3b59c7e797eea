"""准入 and 退出: one serving company per compound, admitted and ended by the street."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.models import AuditEntry
from core.scope import SYSTEM
from estates import services
from estates.models import ServiceTerm
from tests.estates.conftest import DAY


def admit(estate, by, compound="甲", company="甲物业", starts_on=DAY):
    return services.admit_company(
        actor=by, compound=estate[compound], company=estate[company], starts_on=starts_on, admission_ref="街准1号"
    )


def test_street_staff_admit_a_company_and_it_is_audited(world, estate):
    term = admit(estate, world.users["street"])
    assert (term.compound, term.company, term.admitted_role) == (estate["甲"], estate["甲物业"], "street_staff")
    assert AuditEntry.objects.filter(action="property.admit", target_id=term.pk).exists()


def test_two_companies_on_one_compound_are_refused(world, estate):
    admit(estate, world.users["street"])
    with pytest.raises(ValidationError) as refused:
        admit(estate, world.users["street"], company="乙物业", starts_on=DAY + datetime.timedelta(days=5))
    assert refused.value.code == "serving"


def test_the_database_refuses_a_second_serving_company_too(world, estate):
    admit(estate, world.users["street"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceTerm.objects.create(
            compound=estate["甲"], company=estate["乙物业"], starts_on=DAY, admission_ref="x", admitted_role="admin"
        )


def test_after_an_exit_the_next_company_starts_no_earlier_than_the_exit(world, estate):
    street = world.users["street"]
    term = admit(estate, street)
    services.end_term(
        actor=street, term=term, ends_on=datetime.date(2026, 6, 30), reason="合同到期", exit_ref="街退1号"
    )
    with pytest.raises(ValidationError):
        admit(estate, street, company="乙物业", starts_on=datetime.date(2026, 6, 1))
    nxt = admit(estate, street, company="乙物业", starts_on=datetime.date(2026, 6, 30))
    assert ServiceTerm.objects.filter(compound=estate["甲"]).count() == 2 and nxt.ends_on is None
    term.refresh_from_db()
    assert (term.exit_reason, term.exit_ref) == ("合同到期", "街退1号")


def test_a_company_is_admitted_only_inside_its_service_range(world, estate):
    with pytest.raises(ValidationError):
        admit(estate, SYSTEM, compound="丙", company="甲物业")


@pytest.mark.parametrize("who", ["community", "grid_a", "officer", "district", "leader"])
def test_only_the_street_admits(world, estate, who):
    with pytest.raises(PermissionDenied):
        admit(estate, world.users[who])


def test_the_street_cannot_admit_outside_its_street(world, estate):
    with pytest.raises(PermissionDenied):
        admit(estate, world.users["street"], compound="丙", company="丙物业")


def test_an_exit_needs_a_reason_and_a_decision(world, estate):
    term = admit(estate, world.users["street"])
    with pytest.raises(ValidationError):
        services.end_term(actor=world.users["street"], term=term, ends_on=DAY, reason=" ", exit_ref="街退1号")
