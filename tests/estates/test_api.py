"""The property-service API: the same services and scope as the pages."""

import datetime
from decimal import Decimal

from core.scope import SYSTEM
from estates import services
from estates.models import ServiceTerm, Status
from tests.estates.conftest import DAY, rule


def test_the_street_admits_through_the_api_and_a_second_company_is_refused(world, estate, client_for):
    client = client_for(world.users["street"])
    body = {
        "compound": estate["甲"].pk,
        "company": estate["甲物业"].pk,
        "starts_on": "2026-03-02",
        "admission_ref": "1号",
    }
    answer = client.post("/api/v1/property-terms/", body, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["compound"] == estate["甲"].pk
    again = client.post(
        "/api/v1/property-terms/", body | {"company": estate["乙物业"].pk}, content_type="application/json"
    )
    assert again.status_code == 400 and ServiceTerm.objects.count() == 1


def test_community_staff_may_not_admit_and_see_only_their_compounds(world, serving, estate, client_for):
    client = client_for(world.users["community"])
    body = {
        "compound": estate["甲"].pk,
        "company": estate["乙物业"].pk,
        "starts_on": "2026-03-02",
        "admission_ref": "1",
    }
    assert client.post("/api/v1/property-terms/", body, content_type="application/json").status_code == 404
    listed = [row["id"] for row in client.get("/api/v1/property-terms/").json()["results"]]
    assert listed == [serving["甲"].pk]


def test_an_assessment_names_its_records_and_is_reassessed_through_the_api(world, serving, client_for):
    rule(satisfaction_weight=0, timeliness_weight=0, volume_weight=0)
    inspection = services.record_inspection(actor=SYSTEM, term=serving["甲"], inspected_on=DAY, items="保洁", score=50)
    round_ = services.open_round(
        actor=SYSTEM, street=world.areas["S1"], name="春季", period_start=DAY, period_end=datetime.date(2026, 5, 31),
        assessed_on=datetime.date(2026, 6, 1),
    )  # fmt: skip
    flagged = round_.assessments.get(term=serving["甲"])
    client = client_for(world.users["street"])
    read = client.get(f"/api/v1/property-assessments/{flagged.pk}/").json()
    assert (read["status"], Decimal(read["score"]), read["inspections"]) == (Status.RECTIFYING, 50, [inspection.pk])
    services.record_inspection(
        actor=SYSTEM, term=serving["甲"], inspected_on=datetime.date(2026, 6, 10), items="保洁", score=30
    )
    answer = client.post(
        f"/api/v1/property-assessments/{flagged.pk}/reassess/", {"on": "2026-06-20"}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["status"] == Status.EXIT_PROPOSED
