"""The ranking page, the leader's dashboard and /api/v1/cases/metrics/ over the constructed week."""

import re

import pytest
from django.urls import reverse

from cases import services
from tests.cases.conftest import RED, at
from tests.factories import user_with_posts

WEEK = {"start": "2026-11-02", "end": "2026-11-08"}
PERSONAS = ["grid_a", "grid_b", "community", "street", "officer", "officer_mz", "sunk", "district", "leader", "admin"]


def _keys(html: str) -> list[str]:
    return re.findall(r'<tr data-key="(-?\d+)"', html)


def test_the_ranking_lists_departments_best_first(world, week, client_for, depts):
    response = client_for(world.users["leader"]).get(reverse("cases:ranking"), {**WEEK, "unit": "department"})
    assert response.status_code == 200
    assert _keys(response.content.decode()) == [str(depts["民政局"].pk), str(depts["城管局"].pk)]
    assert [str(r.composite) for r in response.context["rows"]] == ["70.0", "61.8"]
    assert "33.3%" in response.content.decode()  # 城管局's response rate, 1 of 3


def test_the_ranking_defaults_to_departments_over_the_last_30_days(world, client_for, dispatched):
    case = dispatched()
    services.sign_case(case=case, actor=world.users["officer"])
    response = client_for(world.users["leader"]).get(reverse("cases:ranking"))
    period = response.context["form"].cleaned_data["period"]
    assert (period.end - period.start).days == 29
    assert [r.name for r in response.context["rows"]] == ["城管局"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-11-08", "end": "2026-11-02"}, "开始日期不能晚于结束日期"),
        ({"start": "2025-01-01", "end": "2026-11-02"}, "统计区间最长366天"),
        ({"start": "2026-13-01"}, "输入一个有效的日期"),
        ({"unit": "planet"}, "选择一个有效的选项"),
    ],
)
def test_a_bad_period_or_unit_is_named_and_nothing_is_shown(world, week, client_for, params, message):
    # The dashboard has no unit to choose.
    for url in ("cases:ranking",) if "unit" in params else ("cases:ranking", "cases:dashboard"):
        response = client_for(world.users["leader"]).get(reverse(url), params)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert 'data-chart="rates"' not in response.content.decode()


def test_the_dashboard_shows_the_weeks_totals_and_charts(world, week, client_for):
    response = client_for(world.users["leader"]).get(reverse("cases:dashboard"), WEEK)
    html = response.content.decode()
    assert response.context["totals"] == {"reported": 8, "open": 3, "closed": 4, "overdue": 3}
    for chart in ("colours", "trend", "categories", "overdue", "rates"):
        assert f'id="{chart}-chart"' in html
    trend = response.context["charts"]["trend"]
    assert trend["days"][0] == "11-02" and trend["reported"] == [6, 1, 0, 1, 0, 0, 0]
    assert response.context["charts"]["rates"]["names"] == ["民政局", "城管局"]


def test_the_dashboard_is_linked_from_the_leaders_home_only(world, client_for):
    assert 'data-testid="dashboard-link"' in client_for(world.users["leader"]).get(reverse("home")).content.decode()
    assert 'data-testid="dashboard-link"' not in client_for(world.users["grid_a"]).get(reverse("home")).content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", ["cases:ranking", "cases:dashboard", "api-case-metrics"])
def test_everyone_who_works_cases_gets_figures_for_their_scope(world, client_for, persona, url):
    path = "/api/v1/cases/metrics/" if url == "api-case-metrics" else reverse(url)
    assert client_for(world.users[persona]).get(path).status_code == 200


@pytest.mark.parametrize("path", ["/cases/ranking/", "/cases/dashboard/", "/api/v1/cases/metrics/"])
def test_someone_without_a_post_gets_404(client_for, world, path):
    assert client_for(user_with_posts("no_posts")).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/cases/ranking/", "/cases/dashboard/"])
def test_anonymous_visitors_are_sent_to_log_in(client_for, path):
    response = client_for(None).get(path)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_anonymous_api_callers_are_refused(client_for):
    assert client_for(None).get("/api/v1/cases/metrics/").status_code in (401, 403)


def test_the_api_gives_the_hand_counted_figures(world, week, client_for, depts):
    response = client_for(world.users["leader"]).get("/api/v1/cases/metrics/", {**WEEK, "unit": "department"})
    assert response.status_code == 200
    body = response.json()
    assert (body["unit"], body["start"], body["end"]) == ("department", "2026-11-02", "2026-11-08")
    chengguan = body["results"][1]
    assert (chengguan["id"], chengguan["name"], chengguan["composite"]) == (depts["城管局"].pk, "城管局", "61.8")
    assert chengguan["rates"] == {
        "response": "0.3333",
        "resolution": "0.6667",
        "satisfaction": "0.9500",
        "on_time": "0.3333",
        "rework": "0.3333",
    }
    assert chengguan["counts"]["dispatched"] == 3 and chengguan["counts"]["reworked"] == 1


def test_the_api_stays_in_scope(world, week, client_for):
    body = client_for(world.users["officer_mz"]).get("/api/v1/cases/metrics/", {**WEEK, "unit": "community"}).json()
    assert [r["name"] for r in body["results"]] == ["二社区"]
    assert body["results"][0]["counts"]["reported"] == 1  # case 4 only: case 9 there is not 民政局's


def test_the_api_names_a_bad_period(world, client_for):
    response = client_for(world.users["leader"]).get(
        "/api/v1/cases/metrics/", {"start": "2026-11-08", "end": "2026-11-01"}
    )
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "message": "开始日期不能晚于结束日期", "fields": {}}


@pytest.mark.parametrize(
    ("url", "params", "queries"),
    [
        # each page also reads the header's unread-notification count
        ("cases:ranking", {"unit": "department"}, 7),
        ("cases:ranking", {"unit": "grid_worker"}, 7),
        ("cases:dashboard", {}, 12),
    ],
)
def test_figures_cost_the_same_however_many_cases(
    world, week, report, client_for, django_assert_num_queries, url, params, queries
):
    client = client_for(world.users["leader"])
    with django_assert_num_queries(queries):
        client.get(reverse(url), {**WEEK, **params})
    for building in ["A1", "B1", "A2"]:
        for day in range(2, 8):
            report(building=building, by="community", at=at(2026, 11, day, 9), **RED)
    with django_assert_num_queries(queries):
        client.get(reverse(url), {**WEEK, **params})
