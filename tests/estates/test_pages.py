"""物业服务 pages: the street admits, assesses and decides through the pages; community staff
inspect and read; a company's page shows its compounds, rounds and status; an assessment's page
lists every record behind its score; outside the scope is a 404."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.scope import SYSTEM
from estates import services
from estates.models import Assessment, Inspection, ServiceTerm, Status
from tests.estates.conftest import DAY, rule


@pytest.fixture
def flagged(world, serving):
    rule(satisfaction_weight=0, timeliness_weight=0, volume_weight=0)
    services.record_inspection(
        actor=SYSTEM, term=serving["甲"], inspected_on=DAY, items="保洁\n绿化", score=Decimal(40)
    )
    round_ = services.open_round(
        actor=SYSTEM,
        street=world.areas["S1"],
        name="春季考核",
        period_start=DAY,
        period_end=datetime.date(2026, 5, 31),
        assessed_on=datetime.date(2026, 6, 1),
    )
    return Assessment.objects.get(round=round_, term=serving["甲"])


def test_the_street_admits_a_company_through_the_page(world, estate, client_for):
    client = client_for(world.users["street"])
    url = reverse("estates:term_create")
    assert client.get(url).status_code == 200
    answer = client.post(
        url,
        {
            "compound": estate["甲"].pk,
            "company": estate["乙物业"].pk,
            "starts_on": "2026-03-02",
            "admission_ref": "街准5号",
        },
    )
    term = ServiceTerm.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("estates:term", args=[term.pk])
    again = client.post(
        url,
        {
            "compound": estate["甲"].pk,
            "company": estate["甲物业"].pk,
            "starts_on": "2026-03-09",
            "admission_ref": "街准6号",
        },
    )
    assert again.status_code == 400 and "已有在服务的物业公司" in again.content.decode()


def test_community_staff_inspect_but_do_not_admit(world, serving, client_for):
    client = client_for(world.users["community"])
    assert client.get(reverse("estates:term_create")).status_code == 404
    answer = client.post(
        reverse("estates:inspection_create"),
        {"term": serving["甲"].pk, "inspected_on": "2026-04-01", "items": "保洁", "score": "88.5"},
    )
    assert answer.status_code == 302 and Inspection.objects.get().score == Decimal("88.5")


def test_a_companys_page_shows_its_compounds_rounds_and_status(world, flagged, client_for, estate):
    page = client_for(world.users["street"]).get(reverse("estates:company", args=[estate["甲物业"].pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "甲小区" in body and "乙小区" in body and "春季考核" in body and "整改中" in body


def test_an_assessments_page_lists_the_records_behind_the_score(world, flagged, client_for):
    page = client_for(world.users["community"]).get(reverse("estates:assessment", args=[flagged.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "40.0" in body and "绿化" in body
    assert reverse("estates:inspection", args=[flagged.inspections.get().pk]) in body
    # Community staff read it but the re-assessment is the street's.
    assert reverse("estates:assessment_reassess", args=[flagged.pk]) not in body


def test_the_street_reassesses_and_decides_through_the_pages(world, flagged, client_for):
    services.record_inspection(
        actor=SYSTEM, term=flagged.term, inspected_on=datetime.date(2026, 6, 10), items="保洁", score=Decimal(30)
    )
    client = client_for(world.users["street"])
    answer = client.post(reverse("estates:assessment_reassess", args=[flagged.pk]), {"on": "2026-06-20"})
    flagged.refresh_from_db()
    assert answer.status_code == 302 and flagged.status == Status.EXIT_PROPOSED
    answer = client.post(
        reverse("estates:assessment_decide", args=[flagged.pk]),
        {"exits": "1", "decision_ref": "街退9号", "note": "复核不合格", "ends_on": "2026-06-30"},
    )
    flagged.refresh_from_db()
    assert answer.status_code == 302 and flagged.status == Status.EXITED
    assert ServiceTerm.objects.get(pk=flagged.term_id).ends_on == datetime.date(2026, 6, 30)


def test_outside_the_scope_is_a_404(world, serving, client_for, estate):
    client = client_for(world.users["community"])  # K1: 乙小区 is K2's, 丙物业 the county's
    assert client.get(reverse("estates:term", args=[serving["乙"].pk])).status_code == 404
    assert client.get(reverse("estates:company", args=[estate["丙物业"].pk])).status_code == 404
    assert client.get(reverse("estates:term", args=[serving["甲"].pk])).status_code == 200


def test_the_workbench_shows_rectifications_due(world, flagged, client_for):
    for who in ["street", "community"]:
        page = client_for(world.users[who]).get(reverse("home"))
        assert 'data-testid="todo-property-rectifications"' in page.content.decode(), who
