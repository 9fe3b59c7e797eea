"""Possible duplicates before a report is submitted: open cases at the same building, or of the same
category in the same grid within a week; within the reporter's scope; on the QR page without details."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import DoorPlate
from tests.cases.conftest import category


@pytest.fixture
def around(world, report):
    u = world.users
    now = timezone.now()
    return {
        "here": report(description="楼道堆物 13800001234", at=now - datetime.timedelta(days=20)),
        "closed": services.reject_case(case=report(at=now), actor=u["community"], reason="重复"),
        "grid_week": report(building="A2", at=now - datetime.timedelta(days=2)),
        "grid_old": report(building="A2", at=now - datetime.timedelta(days=9)),
        "grid_other_kind": report(building="A2", code="livelihood-sanitation", at=now),
        "other_grid": report(building="B1", by="grid_b", at=now),
    }


def _ask(client, world, building="A1", code="urban-events-clutter"):
    params = {"area": world.areas[building].pk, "category": category(code).pk}
    return client.get(reverse("cases:possible_duplicates"), params)


def test_same_building_or_same_grid_and_category_this_week(world, around, client_for):
    got = _ask(client_for(world.users["grid_a"]), world).json()["cases"]
    assert {c["number"] for c in got} == {around["here"].number, around["grid_week"].number}
    assert got[0]["url"] == reverse("cases:detail", args=[around["grid_week"].pk])


def test_within_the_reporters_scope_and_bad_ids(world, around, client_for):
    grid_b = client_for(world.users["grid_b"])
    assert _ask(grid_b, world).status_code == 404  # A1 is not grid B's
    assert {c["number"] for c in _ask(grid_b, world, building="B1").json()["cases"]} == {around["other_grid"].number}
    url = reverse("cases:possible_duplicates")
    assert grid_b.get(url, {"area": "1;drop"}).status_code == 400
    assert grid_b.get(url, {"area": world.areas["B1"].pk, "category": "x"}).status_code == 400
    assert grid_b.get(url, {"area": "9" * 30}).status_code == 400
    assert client_for(world.users["officer"]).get(url, {"area": world.areas["A1"].pk}).status_code == 404


def test_the_qr_page_asks_too_and_learns_no_details(world, around, client):
    services.issue_door_plates(actor=world.users["community"], community=world.areas["K1"])
    plate = DoorPlate.objects.get(building=world.areas["A1"])
    url = reverse("cases:plate_duplicates", args=[plate.token])
    got = client.get(url, {"category": category("urban-events-clutter").pk}).json()["cases"]
    assert len(got) == 2 and all(set(c) == {"category", "status", "reported"} for c in got)
    assert "13800001234" not in str(got)
    assert client.get(url, {"category": "<x>"}).status_code == 400
    assert client.get(reverse("cases:plate_duplicates", args=["nope"])).status_code == 404
    page = client.get(reverse("cases:resident_report", args=[plate.token])).content.decode()
    assert f'data-duplicates-url="{url}"' in page and "js/duplicates.js" in page


def test_the_report_page_is_wired_to_ask(world, client_for):
    page = client_for(world.users["grid_a"]).get(reverse("cases:new")).content.decode()
    assert f'data-duplicates-url="{reverse("cases:possible_duplicates")}"' in page
    assert 'data-testid="duplicates"' in page
