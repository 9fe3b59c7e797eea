"""回访: staff record a caller's rating for them; marked as such in the case and in the metrics."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cases import metrics, services, workflow
from cases.models import Action, Case, RatedVia
from cases.services import CaseConflict
from core.scope import scope_for
from tests.cases.test_tracking import closed


@pytest.fixture
def closed_case(world, report, depts):
    def make(**kwargs):
        return closed(
            world, report(by="community", source="hotline", reporter_phone="13800138000", **kwargs), depts["城管局"]
        )

    return make


# Who may record a call-back on a closed case at A1: the offices that hold the place.
MAY_CALL_BACK = {
    "community": True,
    "street": True,
    "district": True,
    "grid_a": False,
    "officer": False,  # never the department whose work is rated
    "sunk": False,
    "leader": False,
}


@pytest.mark.parametrize("persona", sorted(MAY_CALL_BACK))
def test_the_office_that_holds_the_place_records_the_callback(world, closed_case, persona):
    case = closed_case()
    user = world.users[persona]
    assert ("callback" in workflow.permitted_steps(scope_for(user), case)) is MAY_CALL_BACK[persona]
    if not MAY_CALL_BACK[persona]:
        with pytest.raises(PermissionDenied):
            services.rate_by_callback(actor=user, case=case, rating="satisfied")
        return
    case = services.rate_by_callback(actor=user, case=case, rating="basic", note="电话回访,基本满意")
    case = Case.objects.get(pk=case.pk)
    assert (case.rating, case.rated_via) == ("basic", RatedVia.CALLBACK)
    event = case.events.last()
    assert (event.action, event.actor, event.note) == (Action.CALLBACK, user, "电话回访,基本满意")
    assert "callback" not in workflow.permitted_steps(scope_for(user), case)  # rated once


def test_a_closing_is_rated_once_whoever_rates_first(world, closed_case, client_for):
    case = closed_case()
    client_for(None).post(reverse("cases:track_case", args=[case.tracking_code]), {"rating": "satisfied"})
    with pytest.raises(CaseConflict):
        services.rate_by_callback(actor=world.users["community"], case=case, rating="dissatisfied")
    case = Case.objects.get(pk=case.pk)
    assert (case.rating, case.rated_via) == ("satisfied", RatedVia.RESIDENT)


def test_a_dissatisfied_caller_may_have_it_reopened_once(world, closed_case, client_for):
    case = closed_case()
    client = client_for(world.users["community"])
    response = client.post(
        reverse("cases:callback", args=[case.pk]), {"rating": "dissatisfied", "reopen": "on", "note": "仍有堆物"}
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.reopened, case.rating, case.rated_via) == ("in_progress", 1, "", "")
    assert list(case.events.values_list("action", flat=True))[-2:] == [Action.CALLBACK, Action.REOPEN]
    # A rating that is not one of the three is the form's error, and nothing is written.
    services.resolve_case(case=case, actor=world.users["officer"], feedback="已再次清理")
    case = services.verify_case(case=Case.objects.get(pk=case.pk), actor=world.users["grid_a"], passed=True)
    client.post(reverse("cases:callback", args=[case.pk]), {"rating": "great"})
    assert Case.objects.get(pk=case.pk).rating == ""


def test_the_api_records_a_callback(world, closed_case, client_for):
    case = closed_case()
    response = client_for(world.users["street"]).post(
        f"/api/v1/cases/{case.pk}/callback/", {"rating": "satisfied"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["rated_via"] == "callback"


def test_satisfaction_counts_both_sources_and_shows_each_apart(world, closed_case, client_for):
    ratings = [("satisfied", None), ("dissatisfied", None), ("satisfied", "community"), ("basic", "community")]
    for rating, by in ratings:
        case = closed_case()
        if by is None:
            services.rate_case(case=case, rating=rating)
        else:
            services.rate_by_callback(actor=world.users[by], case=case, rating=rating)
    today = timezone.localdate()
    period = metrics.Period(start=today - datetime.timedelta(days=1), end=today)
    (row,) = metrics.ranking(scope_for(world.users["leader"]), period, "department", weights=metrics.weights())
    assert (row.tally.rated, row.tally.rated_callback) == (4, 2)
    assert row.rates["satisfaction"] == Decimal("0.7250")  # (2 satisfied + 0.9 × 1 basic) of 4, both sources
    assert row.tally.satisfaction_by_source == {"resident": Decimal("0.5"), "callback": Decimal("0.95")}
    page = client_for(world.users["leader"]).get(reverse("cases:ranking")).content.decode()
    assert 'data-testid="satisfaction-callback"' in page and "95.0%" in page
