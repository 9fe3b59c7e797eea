"""The workbench: each role's home shows its own to-dos, counted against a hand-built set of cases;
every count links to a list that holds exactly those cases, oldest first; a role's missing panels
are 404s for it; and the page reads the same number of queries however much is waiting."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import queues, services
from cases.models import Case
from core.scope import scope_for

LONG_AGO = datetime.timedelta(days=40)


@pytest.fixture
def desk(world, report, dispatched):
    """One case in each state a workbench counts, at A1 (grid A, community K1, street S1)."""
    community, grid_a, officer = world.users["community"], world.users["grid_a"], world.users["officer"]
    old = timezone.now() - LONG_AGO
    c = {}
    c["reported_old"] = report(at=old)
    c["reported_new"] = report()
    c["late"] = services.accept_case(actor=community, case=report(at=old), at=old)
    c["accepted"] = services.accept_case(actor=community, case=report())
    resolved = services.accept_case(actor=community, case=report())
    c["resolved"] = services.resolve_case(actor=community, case=resolved, feedback="已清理")
    c["whistled"] = services.whistle_case(actor=community, case=report(), note="需要执法")
    escalated = services.accept_case(actor=community, case=report())
    c["escalated"] = services.escalate_case(actor=community, case=escalated, reason="社区无法解决")
    c["to_sign"] = dispatched()
    working = services.sign_case(actor=officer, case=dispatched())
    c["extension"] = services.request_extension(actor=officer, case=working, days=5, reason="等待配件")
    rework = services.sign_case(actor=officer, case=dispatched())
    rework = services.resolve_case(actor=officer, case=rework, feedback="已处理")
    c["rework"] = services.verify_case(actor=grid_a, case=rework, passed=False, note="仍有杂物")
    # Someone else's report in the same community: the community counts it, grid worker A does not.
    c["grid_b"] = report(building="B1", by="grid_b")
    return c


def _counts(client) -> dict[str, int]:
    panels = client.get(reverse("home")).context["panels"]
    return {item.testid: item.count for panel in panels for item in panel.items} | {
        testid: count for panel in panels for _, _, count, testid in panel.buttons if count is not None
    }


def test_community_staff_see_what_waits_for_the_community(desk, client_for, world):
    counts = _counts(client_for(world.users["community"]))
    assert counts["todo-triage"] == 3  # two at A1, one at B1
    assert counts["todo-late"] == 1
    assert counts["todo-verify"] == 1
    panels = client_for(world.users["community"]).get(reverse("home")).context["panels"]
    triage = next(item for panel in panels for item in panel.items if item.testid == "todo-triage")
    assert triage.overdue == 1 and triage.oldest == desk["reported_old"].created_at


def test_the_grid_worker_gets_report_and_verify_buttons_and_their_open_reports(desk, client_for, world):
    client = client_for(world.users["grid_a"])
    page = client.get(reverse("home"))
    assert [testid for panel in page.context["panels"] for *_, testid in panel.buttons] == [
        "report-button",
        "verify-button",
    ]
    counts = _counts(client)
    assert counts["verify-button"] == 1
    mine = Case.objects.unscoped("the test's own count").filter(reporter=world.users["grid_a"])
    assert counts["todo-my-open"] == mine.exclude(status="closed").count() == 10
    assert [panel.key for panel in page.context["panels"]] == ["field"]


def test_street_staff_see_dispatch_extensions_and_escalations(desk, client_for, world):
    counts = _counts(client_for(world.users["street"]))
    assert (counts["todo-dispatch"], counts["todo-extensions"], counts["todo-escalated"]) == (2, 1, 1)


def test_escalations_come_in_at_the_level_each_post_dispatches_for(desk, client_for, world):
    """Street staff of S1 who also hold a district post get S1's escalations from its communities
    and the district's from its streets, each through the post that dispatches them."""
    from orgs import services as org_services
    from orgs.models import Post, Role

    both = world.users["street"]
    up = services.escalate_case(actor=both, case=desk["whistled"], reason="街道无法协调")  # now the district's
    assert _counts(client_for(both))["todo-escalated"] == 1  # the street post alone: its community's one
    district = world.areas["district"]
    org_services.appoint(
        actor=world.users["admin"],
        post=Post(user=both, role=Role.DISTRICT_STAFF, area=district, start=datetime.date(2024, 1, 1)),
    )
    client = client_for(both)
    assert _counts(client)["todo-escalated"] == 2
    listed = client.get(reverse("cases:queue", args=["escalated"])).content.decode()
    assert desk["escalated"].number in listed and up.number in listed


def test_the_officer_sees_what_to_sign_what_is_in_hand_and_what_came_back(desk, client_for, world):
    counts = _counts(client_for(world.users["officer"]))
    assert (counts["todo-to-sign"], counts["todo-working"], counts["todo-rework"]) == (1, 2, 1)
    # Another department's officer has the same panel, with nothing in it.
    other = _counts(client_for(world.users["officer_mz"]))
    assert (other["todo-to-sign"], other["todo-working"], other["todo-rework"]) == (0, 0, 0)


def test_the_counts_name_their_statuses_outside_the_queues_ors(desk, world):
    """At city scale, statuses only inside each queue's OR let PostgreSQL walk the deadline index of
    every working case in the city and filter it by department (16 ms against 4 for one department)."""
    officer = world.users["officer"]
    with CaptureQueriesContext(connection) as queries:
        queues.counts(scope_for(officer), ["to-sign", "working", "rework"], officer)
    (query,) = queries.captured_queries
    assert """"cases_case"."status" IN ('dispatched', 'in_progress') AND (""" in query["sql"]


def test_a_queue_of_any_status_counts_every_one_of_them(desk, world):
    """ "mine" holds a grid worker's reports whatever their status, so counted with "my-open" no
    status is named outside the ORs, and the ended ones are counted too."""
    grid_a = world.users["grid_a"]
    ended = services.reject_case(actor=world.users["community"], case=desk["reported_new"], reason="不属于受理范围")
    read = queues.counts(scope_for(grid_a), ["mine", "my-open"], grid_a)
    mine = Case.objects.unscoped("the test's own count").filter(reporter=grid_a)
    assert ended.reporter == grid_a
    assert read["mine"]["count"] == mine.count() == read["my-open"]["count"] + 1


def test_the_leader_sees_todays_figures_and_the_dashboard(desk, client_for, world):
    page = client_for(world.users["leader"]).get(reverse("home"))
    (panel,) = page.context["panels"]
    figures = {str(label): value for label, value, _ in panel.figures}
    assert figures["今日上报"] == 9  # all but the two reported 40 days ago
    assert figures["在办"] == 11  # none has closed
    assert panel.link[1] == reverse("cases:dashboard")


def test_a_user_with_several_posts_sees_each_panel(desk, client_for, world):
    """The sunk officer works in grids A and C for 民政局: a department's panel, no reporting."""
    keys = [panel.key for panel in client_for(world.users["sunk"]).get(reverse("home")).context["panels"]]
    assert keys == ["officer"]
    keys = [panel.key for panel in client_for(world.users["district"]).get(reverse("home")).context["panels"]]
    assert keys == ["alliances", "street"]  # the district's 区域化党建联盟 too


@pytest.mark.parametrize("persona", ["community", "grid_a", "street", "officer"])
def test_every_count_links_to_a_list_of_exactly_those_cases_oldest_first(desk, client_for, world, persona):
    client = client_for(world.users[persona])
    panels = client.get(reverse("home")).context["panels"]
    items = [item for panel in panels for item in panel.items if "/cases/queue/" in item.url]
    assert items
    for item in items:
        response = client.get(item.url)
        assert response.status_code == 200, item.url
        rows = response.context["cases"]
        assert len(rows) == item.count, item.url
        if item.count:
            assert item.oldest == rows[0].due == min(row.due for row in rows), item.url


LACKING = {
    "grid_a": ["triage", "late", "dispatch", "extensions", "escalated", "inbox", "to-sign", "working", "rework"],
    "community": ["dispatch", "extensions", "escalated", "inbox", "to-sign", "working", "rework"],
    "street": ["triage", "late", "verify", "inbox", "to-sign", "working", "rework"],
    "officer": ["triage", "late", "verify", "dispatch", "extensions", "escalated", "mine", "my-open"],
    "leader": ["triage", "late", "verify", "dispatch", "to-sign", "working", "rework", "my-open"],
}


@pytest.mark.parametrize("persona", sorted(LACKING))
def test_the_lists_of_panels_a_role_lacks_are_404_for_it(world, client_for, persona):
    client = client_for(world.users[persona])
    for slug in LACKING[persona]:
        assert client.get(reverse("cases:queue", args=[slug])).status_code == 404, slug
    assert client.get(reverse("grids:expiring_tags")).status_code == (200 if persona == "community" else 404)


def test_overdue_items_are_marked_red(desk, client_for, world):
    page = client_for(world.users["community"]).get(reverse("home")).content.decode()
    assert 'data-testid="todo-triage-overdue"' in page
    assert 'data-testid="todo-verify-overdue"' not in page


# The home page's queries per persona: the session, the user, their posts, each panel's one
# grouped query, the places and summaries below the panels, and the header's unread-notification count;
# the grid worker's visits due are two: the visit plans over their grids, then one count; the
# meetings due (the grid worker's grid meetings, the community's joint ones) one more with no
# meeting rule, and a query for the places of each kind a rule covers (tests/gridwork); the
# community's service-hall panel is one grouped query (tests/hall).
# community's grid workers short of training three (the rule, the workers, their sessions counted).
# community's and the street's property rectifications due one (tests/estates); their alliances'
# chairs due and 双报告 to send two (tests/alliances). The leader's figures for today are two:
# today's reported and closed, then the open cases alone (cases.queues.today).
PINNED = {"community": 20, "grid_a": 12, "street": 12, "officer": 6, "leader": 10}


@pytest.mark.parametrize("persona", sorted(PINNED))
def test_the_workbench_reads_the_same_queries_however_much_waits(
    world, client_for, report, dispatched, django_assert_num_queries, persona
):
    client = client_for(world.users[persona])
    services.add_visit_rule(actor=world.users["community"], area=world.areas["K1"], group=None, every_days=30)
    report()
    dispatched()
    with django_assert_num_queries(PINNED[persona]):
        client.get(reverse("home"))
    for _ in range(4):
        report()
        report(building="B1", by="grid_b")
        dispatched()
    with django_assert_num_queries(PINNED[persona]):
        client.get(reverse("home"))


def test_the_community_sees_what_the_two_way_needs_list_waits_for(world, units, client_for):
    """Its own needs no unit has claimed, units' needs it has not answered, and claimed ones not
    done: each a count linking to the list filtered to exactly those."""
    from cobuilding import services as cobuilding_services
    from cobuilding.models import Need
    from core.scope import SYSTEM

    day = datetime.date(2026, 10, 5)
    community = world.areas["K1"]
    asked = cobuilding_services.raise_need(
        actor=SYSTEM, need=Need(community=community, title="单位求助", raised_on=day, direction="unit",
                                raised_by=units["shop"])
    )  # fmt: skip
    claimed = cobuilding_services.raise_need(
        actor=SYSTEM, need=Need(community=community, title="助老", raised_on=day, direction="community")
    )
    cobuilding_services.claim_need(actor=SYSTEM, need=claimed, unit=units["hospital"], on=day)
    client = client_for(world.users["community"])
    counts = _counts(client)
    open_community = Need.objects.unscoped("test").filter(community=community, direction="community", status="open")
    assert counts["todo-needs-claim"] == open_community.count() >= 1  # the fixture's open need
    assert (counts["todo-needs-answer"], counts["todo-needs-finish"]) == (1, 1)
    panels = client.get(reverse("home")).context["panels"]
    answer = next(item for panel in panels for item in panel.items if item.testid == "todo-needs-answer")
    listed = client.get(answer.url).context["rows"]
    assert [obj for obj, _url, _cells in listed] == [asked]
