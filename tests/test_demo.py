"""The demo district: loads, is the same every time, and a second run adds nothing; every role finds
its work in it and every link it is shown opens.

Loading the demo takes a minute or two, so this module loads it once (`demo_city`) for all of its
tests, which xdist keeps on one worker (the `demo` group)."""

from base64 import b32decode

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from appraisal import selectors as appraisal_selectors
from appraisal.models import EvaluationRound
from cases import selectors as case_selectors
from cases import visits
from cases.models import Action, AlertKind, Case, CaseAlert, CaseEvent, Notification, Status, Visit
from core.scope import Scope, scope_for
from demo import beat
from demo import cases as demo_cases
from demo import hall as demo_hall
from demo import visits as demo_visits
from demo.builder import DEMO_LOGINS, DEMO_PASSWORD, DemoBuilder
from demo.two_factor import DEMO_TWO_FACTOR
from estates import selectors as estate_selectors
from estates.models import Assessment
from estates.models import Status as EstateStatus
from funding import pay
from funding import selectors as funding_selectors
from funding.models import BudgetLine, BudgetRun, Scenario
from grids import selectors
from grids.models import Area, AreaKind, Household, Relation, Resident, ResidentTag
from gridwork import selectors as meeting_selectors
from gridwork.models import Decision, GridMeeting, MeetingKind
from hall import selectors as hall_selectors
from orgs.models import PartyMember, Post
from orgs.selectors import coverage_report
from tests.demo import geometry_checks
from tests.sign_in import force_login_verified
from tests.test_navigation import _menu_hrefs, _workbench_hrefs

pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    """The demo as `manage.py demo` loads it (its tasks run here), inside a transaction that each
    test's own nests in and that is rolled back after the module, as TestCase.setUpTestData does."""
    from gridgov.celery import app

    with django_db_blocker.unblock(), transaction.atomic():
        eager, app.conf.task_always_eager = app.conf.task_always_eager, True
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("load_demo", no_progress=True, verbosity=0)
        finally:
            app.conf.task_always_eager = eager
        yield
        transaction.set_rollback(True)


def _snapshot():
    return (
        Area.objects.count(),
        Household.objects.count(),
        Resident.objects.count(),
        ResidentTag.objects.count(),
        Post.objects.count(),
        User.objects.count(),
        sorted(Resident.objects.values_list("citizen_id_hash", flat=True))[:20],
    )


def test_the_demo_group_is_kept_on_one_worker(request):
    """Under `-n`, xdist's loadgroup keeps this module on one worker (so the demo loads once) by a
    suffix on the node id; pytest 9.2 silently drops it (pytest-xdist#1386, why pyproject pins
    pytest below 9.2)."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not under pytest -n --dist loadgroup: nothing to group")
    assert request.node.nodeid.endswith("@demo")


def test_demo_loads_once_and_again_adds_nothing(demo_city, db):
    first = _snapshot()
    call_command("load_demo", no_progress=True, verbosity=0)
    assert _snapshot() == first

    # Declared households at and around the funding bands' edges.
    communities = Area.objects.filter(kind=AreaKind.COMMUNITY, code__startswith="99")
    declared = sorted(communities.values_list("declared_households", flat=True))
    assert {3000, 5000} <= set(declared)
    assert min(declared) < 3000 and max(declared) > 5000
    assert any(3000 < d < 5000 for d in declared)
    # One district and one county, each its own tree.
    roots = Area.objects.filter(parent__isnull=True, city__name="新川市")
    assert sorted(roots.values_list("kind", flat=True)) == ["county", "district"]
    assert roots.values("tree_id").distinct().count() == 2
    # Every place is on the map, its grids coded by GB/T 30428.1 (tests/demo/geometry_checks.py).
    assert geometry_checks.faults("99") == []
    # A few hundred residents per community, with key groups.
    for community in communities:
        counted = selectors.with_counts(Area.objects.filter(pk=community.pk)).get()
        assert counted.household_count >= 100
        assert counted.resident_count >= 200
    assert ResidentTag.objects.values("group").distinct().count() >= 4

    # Each demo log-in lands in its scope.
    grid_a = scope_for(User.objects.get(username="grid_a"))
    assert [a.name for a in grid_a.areas] == ["银湖社区第1网格"]
    assert scope_for(User.objects.get(username="officer")).areas == ()
    assert User.objects.get(username="community").has_perm("grids.view_sensitive")
    # Every grid but one has a full-time worker in A and in B; the coverage report finds that one,
    # and the other gaps the demo leaves on purpose.
    report = coverage_report(Scope(unrestricted=True))
    by_name = {row.community.name: row for row in report.communities if row.community.code.startswith("99")}
    assert [g.name for g in by_name["东风社区"].grids_without_ab] == ["东风社区第3网格"]
    assert [g.name for g in by_name["东风社区"].grids_without_full_time_worker] == ["东风社区第3网格"]
    assert [g.name for g in by_name["丽景社区"].grids_without_org] == ["丽景社区第2网格"]
    assert [o.name for o in by_name["文苑社区"].upgrade_to_committee] == ["文苑社区党总支"]
    assert [d.name for d in report.property_companies_without_org] == ["安居物业管理有限公司"]
    assert sum(len(row.buildings_without_group) for row in by_name.values()) > 0
    assert PartyMember.objects.filter(kind="in_service", points__isnull=False).exists()
    # A finished 2026 budget run per district and county, with the grid leaders' subsidy in it.
    runs = BudgetRun.objects.filter(Q(area__city__name="新川市") | Q(whole_city__name="新川市"), year=2026)
    assert sorted(runs.values_list("status", flat=True)) == ["done", "done", "done"]
    district_runs = runs.filter(area__isnull=False)
    city_run = runs.get(whole_city__isnull=False)
    assert city_run.amount == sum(run.amount for run in district_runs)
    assert BudgetLine.objects.filter(community__run__in=runs, item="grid_leader_subsidy", amount__gt=0).exists()
    # Two communities' pay rose less than the promised 500 元 a month over three years.
    short = pay.report(Scope(unrestricted=True), 2026)["short"]
    assert sorted(row.community.name for row in short) == ["丽景社区", "书香社区"]
    assert Scenario.objects.filter(name="新城社区一分为二").exists()
    # The accounts that owe a second step sign in with the printed secret, or a printed code once.
    for username, (secret, codes) in DEMO_TWO_FACTOR.items():
        client = Client()
        client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert client.get("/").url.startswith(reverse("two_factor_verify"))
        assert (
            client.post(reverse("two_factor_verify"), {"code": f"{TOTP(b32decode(secret)).token():06d}"}).status_code
            == 302
        )
        assert client.get("/").status_code == 200
        client = Client()
        client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert client.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 302


def _waiting(username: str, qs_of_scope) -> int:
    return qs_of_scope(scope_for(User.objects.get(username=username))).count()


def test_the_demo_tells_a_believable_story_with_work_for_every_role(demo_city, db):
    results = beat.run_once()  # what the `demo` command does before serving
    assert set(results) == {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    # Every role opens to work of its own.
    in_status = lambda status: lambda scope: case_selectors.cases(scope).filter(status=status)  # noqa: E731
    assert _waiting("community", in_status(Status.REPORTED)) >= 3  # 待受理
    assert _waiting("street", in_status(Status.WHISTLED)) >= 3  # 待派遣
    inbox = lambda status: lambda scope: case_selectors.inbox(scope).filter(status=status)  # noqa: E731
    assert _waiting("officer", inbox(Status.DISPATCHED)) >= 2  # 待签收
    assert _waiting("officer", inbox(Status.IN_PROGRESS)) >= 2  # 办理中
    assert _waiting("grid_a", in_status(Status.RESOLVED)) >= 1  # 待核查
    assert _waiting("grid_b", in_status(Status.RESOLVED)) >= 1
    assert _waiting("finance", funding_selectors.runs) >= 1
    assert visits.overdue_count(scope_for(User.objects.get(username="grid_a")))["count"] >= 1  # 走访到期
    assert Visit.objects.filter(visitor__username="grid_a").count() == len(demo_visits.FINDINGS)
    # Beat has run: reminders and overdue notices exist, and reached the demo log-ins.
    assert {AlertKind.REMINDER, AlertKind.OVERDUE} <= set(CaseAlert.objects.values_list("kind", flat=True))
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert {"community", "officer"} <= told

    # 网格例会: a year of monthly meetings in each of 银湖社区's grids; grid 2 missed last month.
    grid_meetings = lambda username: meeting_selectors.due_count(  # noqa: E731
        scope_for(User.objects.get(username=username)), kind=MeetingKind.GRID
    )
    assert grid_meetings("grid_b")["overdue"] == 1 and grid_meetings("grid_a")["count"] == 0
    assert GridMeeting.objects.filter(grid__name="银湖社区第1网格").count() == 12
    raised = Decision.objects.get(case__isnull=False)
    assert raised.meeting.grid.name == "银湖社区第1网格" and Decision.objects.filter(need__isnull=False).count() == 1

    # 便民服务: a year of requests at 银湖社区's windows, some still open past their deadline.
    station = User.objects.get(username="community")
    to_dos = hall_selectors.to_dos(scope_for(station), station)
    assert to_dos["open"]["count"] == 8 and to_dos["open"]["overdue"] >= 1  # six at the window, two by QR
    year = timezone.localdate().year

    def handled(user: User) -> int:
        return sum(hall_selectors.handled_by([user.pk], y)[user.pk] for y in (year, year - 1))

    # 144 ended at the windows, and the grid worker's 代办, handed to the station's staff and done.
    assert handled(station) == 144 + demo_hall.TAKEN
    assert handled(User.objects.get(username="grid_a")) == demo_hall.TAKEN
    # 评议 and training: two rounds of 银湖社区 (last year's reported on), grid_b one session short,
    # and grid_a's year traceable to the demo's own cases and visits.
    rounds = EvaluationRound.objects.filter(community__name="银湖社区")
    assert rounds.count() == 2 and rounds.filter(report_published_at__isnull=False).count() == 1
    assert all(r.answers.exists() for r in rounds)
    community_scope = scope_for(User.objects.get(username="community"))
    _rule, short = appraisal_selectors.short_of_training(community_scope)
    assert [s.worker.name for s in short] == ["钱网格"]
    year = timezone.localdate().year
    _scheme, yearly = appraisal_selectors.yearly(scope_for(User.objects.get(username="grid_a")), year)
    figures = {f.measure.code: f for f in yearly[0].figures}
    visited = Visit.objects.filter(visitor__username="grid_a", on__year=year)
    assert list(figures["visits"].records) == list(visited.order_by("on", "pk")) and yearly[0].total > 0
    # 物业服务: one round at 滨河街道; 安居物业 below the pass mark under 整改, on the street's and
    # 银湖社区's workbench, its score traceable to its two inspections.
    flagged = Assessment.objects.get(status=EstateStatus.RECTIFYING)
    assert flagged.term.company.name == "安居物业管理有限公司" and flagged.inspections.count() == 2
    assert flagged.score < flagged.round.rule.pass_score and flagged.rectify_due >= timezone.localdate()
    assert Assessment.objects.get(status=EstateStatus.PASSED).term.company.name == "滨河物业服务有限公司"
    for username in ["street", "community"]:
        assert estate_selectors.rectifications_due(scope_for(User.objects.get(username=username)))["count"] == 1

    # Each case says something of its own category, and is fed back in the words of its kind (the
    # one a meeting raised, a grid's or the alliance's joint meeting, says what the meeting decided).
    cases = Case.objects.filter(
        district__name="金川区", meeting_decision__isnull=True, joint_decision__isnull=True
    ).select_related("category")
    assert cases.count() == 80 + len(demo_cases.WAITING)
    for case in cases:
        assert case.description in demo_cases.DESCRIPTIONS[case.category.code], case.number
    resolved = CaseEvent.objects.filter(case__in=cases, action=Action.RESOLVE).select_related("case__category")
    for event in resolved:
        assert event.note.endswith(demo_cases.FEEDBACK[event.case.category.get_root().code])
    # Callers' cases carry a phone, and some are rated on a call-back beside the residents' own.
    callers = cases.filter(source__in=demo_cases.CALLER_SOURCES)
    assert callers.exists() and all(c.reporter_phone for c in callers)
    assert set(cases.exclude(rated_via="").values_list("rated_via", flat=True)) == {"resident", "callback"}

    # Households whose ages, read from the citizen IDs, fit the members' relations.
    today = DemoBuilder().today
    residents = Resident.objects.filter(household__building__code__startswith="99").order_by("household_id", "pk")
    families: dict[int, list[Resident]] = {}
    for resident in residents:
        families.setdefault(resident.household_id, []).append(resident)
    for members in families.values():
        heads = [m for m in members if m.relation in (Relation.HEAD, Relation.TENANT)]
        assert len(heads) == 1
        head = heads[0]
        spouses = [m for m in members if m.relation == Relation.SPOUSE]
        for spouse in spouses:
            assert abs(spouse.age(today) - head.age(today)) <= 6 and spouse.sex != head.sex
        parents = [head, *spouses]
        for child in (m for m in members if m.relation == Relation.CHILD):
            assert all(p.age(today) - child.age(today) >= 21 for p in parents)
        for parent in (m for m in members if m.relation == Relation.PARENT):
            assert parent.age(today) - head.age(today) >= 21
        for member in members:
            assert bool(member.phone) == (member.age(today) >= 18)


def test_every_link_a_demo_role_is_shown_opens(demo_city, db):
    for username, _ in DEMO_LOGINS:
        client = force_login_verified(Client(), User.objects.get(username=username))
        home = client.get(reverse("home"))
        assert home.status_code == 200, username
        page = home.content.decode()
        links = _menu_hrefs(page) + _workbench_hrefs(page)
        assert len(links) > 1, username
        for href in links:
            status = client.get(href).status_code
            # The admin's own pages redirect within the admin; everything else answers itself.
            assert status == 200 or (href.startswith("/admin/") and status == 302), (username, href, status)
