"""The timeline names who took each step and in which capacity (the post's role and its place or
department), not the case's department: the grid worker's verification is the grid worker's."""

import importlib
from types import SimpleNamespace

from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse

from cases import selectors, services
from cases.models import Action, CaseEvent
from cases.templatetags.case_figures import capacity


def _loop(world, dispatched):
    u = world.users
    case = services.sign_case(case=dispatched(), actor=u["officer"])
    case = services.resolve_case(case=case, actor=u["officer"], feedback="已清理")
    case = services.verify_case(case=case, actor=u["grid_a"], passed=True, note="现场已清")
    return services.rate_case(actor=None, case=case, rating="satisfied")


def test_each_event_stores_the_post_it_was_taken_in(world, dispatched):
    case = _loop(world, dispatched)
    a = world.areas
    got = {e.action: (e.actor_role, e.actor_area, e.actor_department) for e in case.events.all()}
    officer = ("department_officer", None, case.department)
    assert got[Action.REPORT] == ("grid_worker", a["A"], None)
    assert got[Action.WHISTLE] == ("community_staff", a["K1"], None)
    assert got[Action.DISPATCH] == ("street_staff", a["S1"], None)
    assert got[Action.SIGN] == got[Action.RESOLVE] == officer
    assert got[Action.VERIFY_PASS] == ("grid_worker", a["A"], None)
    assert got[Action.RATE] == ("resident", None, None)


def test_the_page_shows_the_capacity_not_the_cases_department(world, dispatched, client_for):
    case = _loop(world, dispatched)
    html = client_for(world.users["community"]).get(reverse("cases:detail", args=[case.pk])).content.decode()
    timeline = html.split('data-testid="timeline"')[1]
    verify = timeline.split("核查通过")[1].split("</li>")[0]
    assert "专职网格员 · 网格A" in verify and "城管局" not in verify
    rate = timeline.split("评价")[1].split("</li>")[0]
    assert "居民" in rate and "城管局" not in rate
    assert "部门工作人员 · 城管局" in timeline.split("处置反馈")[1].split("</li>")[0]


def test_the_label_of_each_kind_of_actor(world, dispatched):
    case = _loop(world, dispatched)
    labels = [capacity(e) for e in selectors.timeline(case)]
    assert labels[0] == "专职网格员 · 网格A"
    assert labels[-1] == "居民"
    system = CaseEvent(case=case, action=Action.REMIND, actor_role="system", to_status=case.status)
    assert capacity(system) == "系统"


def test_the_timeline_reads_a_fixed_number_of_queries(world, dispatched, django_assert_num_queries):
    short, long = dispatched(), _loop(world, dispatched)
    for case in (short, long):
        with django_assert_num_queries(2):  # the events with their actors' posts' places, the photos
            assert [capacity(e) for e in selectors.timeline(case)]


def test_the_backfill_gives_old_events_the_post_they_were_taken_in(world, dispatched):
    """Migration 0012 over events recorded before 0011: the same capacities the recorder stores."""
    case = _loop(world, dispatched)
    stored = {e.pk: (e.actor_area_id, e.actor_department_id) for e in case.events.all()}
    CaseEvent.objects.filter(case=case).update(actor_area=None, actor_department=None)
    backfill = importlib.import_module("cases.migrations.0012_event_capacity_backfill").backfill
    with connection.cursor() as cursor:  # the migration's schema editor only executes its statements
        backfill(django_apps, SimpleNamespace(execute=cursor.execute))
    assert {e.pk: (e.actor_area_id, e.actor_department_id) for e in case.events.all()} == stored
