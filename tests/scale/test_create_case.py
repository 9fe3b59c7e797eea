"""Creating a case costs a fixed, small number of queries, and numbers stay per district and day."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case
from tests.cases.conftest import category

# Session and user, category and building, the caller's posts, the building's ancestors, the
# time limit, the calendar (2), the counter, the case, its event, the audit chain (2), who is told
# of the report (the community's handlers, with their 通知设置 joined), their notifications in one
# insert, the work-messaging robots of the places told, the new case's assisting departments for
# the response, the event subscriptions that might want the report (cases.webhooks), the
# dashboard's day count held, counted (reported, closed) and stored (cases.rollup), and the
# request's savepoint (2); on PostgreSQL the audit chain's advisory lock too.
CREATE_QUERIES = 25 + (connection.vendor == "postgresql")


def test_creating_a_case_through_the_api_runs_a_fixed_number_of_queries(world, client_for):
    client = client_for(world.users["grid_a"])
    body = {
        "category": category("urban-events-clutter").pk,
        "area": world.areas["A1"].pk,
        "description": "占道",
        "source": "grid_patrol",
    }
    url = reverse("case-list")
    ContentType.objects.get_for_model(Case)  # cached once per process, as in a long-running worker
    with CaptureQueriesContext(connection) as first_of_day:
        first = client.post(url, body, content_type="application/json")
    assert first.status_code == 201 and first.json()["number"].endswith("0001")
    with CaptureQueriesContext(connection) as later:
        response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201
    # The day's counter row is made by the same statement that bumps it later.
    assert len(first_of_day) == len(later) == CREATE_QUERIES, [q["sql"][:80] for q in later.captured_queries]
    assert response.json()["number"].endswith("0002")
