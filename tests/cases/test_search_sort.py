"""Free-text search over number, description and location within scope, and sorting by time left
(overdue first, cases without a clock last), on the list page and in the API."""

import pytest
from django.urls import reverse

from cases import services
from tests.cases.conftest import RED, at


@pytest.fixture
def three(world, report, depts):
    u = world.users
    old = report(description="井盖缺失", location_note="东门口", at=at(2026, 11, 2, 9), **RED)  # long overdue
    new = report(description="楼道堆放杂物", at=at(2026, 11, 30, 9))
    ended = services.reject_case(case=report(description="楼道重复", at=at(2026, 11, 29, 9)), actor=u["community"],
                                 reason="重复")  # fmt: skip
    other = report(building="B1", by="grid_b", description="井盖缺失", at=at(2026, 11, 3, 9))
    return {"old": old, "new": new, "ended": ended, "other": other}


def _numbers(html: str) -> list[str]:
    rows = html.split('data-testid="cases"')[1].split("</table>")[0]
    return [part.split("<")[0] for part in rows.split('/">')[1:]]


def test_search_matches_number_description_and_location_within_scope(world, three, client_for):
    grid_a = client_for(world.users["grid_a"])
    assert _numbers(grid_a.get(reverse("cases:list"), {"q": "井盖"}).content.decode()) == [three["old"].number]
    assert _numbers(grid_a.get(reverse("cases:list"), {"q": "东门"}).content.decode()) == [three["old"].number]
    assert _numbers(grid_a.get(reverse("cases:list"), {"q": three["new"].number[-6:]}).content.decode()) == [
        three["new"].number
    ]
    community = client_for(world.users["community"])
    found = _numbers(community.get(reverse("cases:list"), {"q": "井盖"}).content.decode())
    assert sorted(found) == sorted([three["old"].number, three["other"].number])


@pytest.mark.parametrize("term", ["<script>alert(1)</script>", "%", "_", "' OR 1=1 --", "楼" * 400, "\\"])
def test_any_term_renders_escaped_and_never_fails(world, three, client_for, term):
    page = client_for(world.users["community"]).get(reverse("cases:list"), {"q": term})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    api = client_for(world.users["community"]).get(reverse("case-list"), {"q": term})
    assert api.status_code in (200, 400)  # over the length limit the API says so


def test_a_percent_sign_is_a_character_not_a_wildcard(world, three, client_for):
    html = client_for(world.users["community"]).get(reverse("cases:list"), {"q": "%"}).content.decode()
    assert _numbers(html) == []


def test_sorting_by_time_left_puts_the_overdue_first_and_the_ended_last(world, three, client_for):
    html = client_for(world.users["grid_a"]).get(reverse("cases:list"), {"sort": "due"}).content.decode()
    assert _numbers(html) == [three["old"].number, three["new"].number, three["ended"].number]
    api = client_for(world.users["grid_a"]).get(reverse("case-list"), {"sort": "due"}).json()
    assert [c["number"] for c in api["results"]] == [three["old"].number, three["new"].number, three["ended"].number]


def test_the_api_searches_within_scope(world, three, client_for):
    got = client_for(world.users["grid_a"]).get(reverse("case-list"), {"q": "井盖"}).json()
    assert [c["number"] for c in got["results"]] == [three["old"].number]
