"""API lists page without a COUNT: one row past the page says whether another follows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.pagination import PageNumberPagination


def test_a_resident_list_runs_no_count_and_links_the_next_page(world, client_for, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    client = client_for(world.users["community"])
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/api/v1/residents/", {"q": "A"}).json()  # A1 ×3 and A2
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert "count" not in first and len(first["results"]) == 2 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2 and second["previous"].endswith("/api/v1/residents/?q=A")
    seen = {r["id"] for r in first["results"]} | {r["id"] for r in second["results"]}
    assert len(seen) == 4


def test_a_page_past_the_end_or_not_a_number_is_404(world, client_for):
    client = client_for(world.users["community"])
    assert client.get("/api/v1/residents/", {"page": "99"}).status_code == 404
    assert client.get("/api/v1/residents/", {"page": "x"}).status_code == 404
    assert client.get("/api/v1/residents/", {"page": "0"}).status_code == 404
