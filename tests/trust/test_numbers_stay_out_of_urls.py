"""Finding 3: citizen IDs and phones reached access logs and URLs through resident search."""

import io
import logging

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIRequestHandler
from django.urls import reverse

from core.logmask import MaskPersonalNumbers, mask_numbers
from tests.factories import ResidentFactory

PHONE = "13812345678"


@pytest.fixture
def resident(world):
    return ResidentFactory(household=world.households["A2"], name="号码查询住户", phone=PHONE)


def test_the_search_page_posts_and_finds_by_id_and_phone(world, client_for, resident):
    client = client_for(world.users["street"])
    page = client.get(reverse("grids:resident_search")).content.decode()
    assert 'method="post"' in page
    for number in (resident.citizen_id, PHONE):
        response = client.post(reverse("grids:resident_search"), {"q": number})
        assert [r.pk for r in response.context["results"]] == [resident.pk]
        assert f"q={number}" not in response.content.decode()


def test_the_search_page_refuses_an_id_or_phone_in_the_url(world, client_for, resident):
    client = client_for(world.users["street"])
    for number in (resident.citizen_id, PHONE):
        response = client.get(reverse("grids:resident_search"), {"q": number})
        assert response.status_code == 400
        assert response.context["results"] is None
    assert client.get(reverse("grids:resident_search"), {"q": resident.name}).status_code == 200


def test_the_home_page_search_box_posts(world, client_for):
    page = client_for(world.users["street"]).get(reverse("home")).content.decode()
    form = page[page.index('role="search"') - 200 : page.index('role="search"')]
    assert 'method="post"' in form


def test_the_api_searches_by_number_only_in_a_post_body(world, client_for, resident):
    client = client_for(world.users["street"])
    for number in (resident.citizen_id, PHONE, "+86" + PHONE):
        refused = client.get("/api/v1/residents/", {"q": number})
        assert refused.status_code == 400
        assert "q" in refused.json()["fields"]
        found = client.post("/api/v1/residents/search/", {"q": number}, content_type="application/json").json()[
            "results"
        ]
        assert [r["id"] for r in found] == [resident.pk]
    by_name = client.get("/api/v1/residents/", {"q": resident.name}).json()["results"]
    assert resident.pk in [r["id"] for r in by_name]


def test_admin_finds_a_number_only_from_a_post(world, client_for, resident):
    client = client_for(world.users["admin"])
    changelist = reverse("admin:grids_resident_changelist")
    assert list(client.get(changelist, {"q": resident.citizen_id}).context["cl"].result_list) == []
    assert list(client.get(changelist, {"q": PHONE}).context["cl"].result_list) == []
    assert list(client.post(changelist, {"number": PHONE}).context["cl"].result_list) == [resident]
    assert 'id="number-search"' in client.get(changelist).content.decode()


def test_every_configured_handler_masks_numbers():
    assert all("mask_personal_numbers" in h.get("filters", []) for h in settings.LOGGING["handlers"].values())
    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in ("django", "django.server", "django.request"))]
    ours = [h for lg in loggers for h in lg.handlers if h.name in settings.LOGGING["handlers"]]
    assert ours
    assert all(any(isinstance(f, MaskPersonalNumbers) for f in h.filters) for h in ours)
    unfiltered = [h for lg in loggers for h in lg.handlers if h.name not in settings.LOGGING["handlers"]]
    assert all(type(h).__module__.startswith("_pytest") for h in unfiltered)  # only pytest's capture


@pytest.fixture
def log_output():
    """What the configured handlers write, as an operator would read it."""
    stream = io.StringIO()
    handlers = [
        h
        for lg in (logging.getLogger(), logging.getLogger("django.server"))
        for h in lg.handlers
        if h.name in settings.LOGGING["handlers"]
    ]
    previous = [h.setStream(stream) for h in handlers]
    yield stream
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)


def test_numbers_in_request_lines_and_error_logs_are_masked(world, client_for, resident, log_output):
    citizen_id = resident.citizen_id
    response = client_for(world.users["street"]).get(f"/no-such-page/{citizen_id}/{PHONE}/")
    assert response.status_code == 404  # django.request logs "Not Found: <path>"
    dev_server = WSGIRequestHandler.__new__(WSGIRequestHandler)
    dev_server.request = None
    dev_server.log_date_time_string = lambda: "01/Dec/2026 12:00:00"
    dev_server.log_message('"%s" %s %s', f"GET /grids/residents/?q={citizen_id}&p=%2B86{PHONE} HTTP/1.1", "200", "9")
    logging.getLogger("gridgov").warning("lookup %s by %s", citizen_id, PHONE)
    written = log_output.getvalue()
    assert "no-such-page" in written
    assert "GET /grids/residents/" in written
    assert "lookup" in written
    assert citizen_id not in written
    assert PHONE not in written
    assert citizen_id[-4:] in written  # masked, not dropped: the tail still helps to trace a report


def test_eighteen_digits_that_are_no_citizen_id_stay_readable():
    case_number = "980101202611230001"  # area code, date, sequence: no valid region or checksum
    assert mask_numbers(f"case {case_number}") == f"case {case_number}"
    assert mask_numbers("order 2026120112345678901234") == "order 2026120112345678901234"
