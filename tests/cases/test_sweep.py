"""The deadline sweep: reminders at 75%, overdue records, 督办 and automatic escalation, each once."""

import datetime

from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services, sweep
from cases.models import Action, Case, CaseAlert, Delivery, Level, Notification
from tests.cases.conftest import at


def test_overdue_is_computed_on_read_without_any_sweep(world, dispatched):
    case = dispatched(at=at(2026, 11, 23, 9))
    assert case.overdue_at(at(2026, 11, 23, 10)) is False
    assert case.overdue_at(case.response_due + datetime.timedelta(seconds=1)) is True
    signed = services.sign_case(case=case, actor=world.users["officer"], at=at(2026, 11, 23, 10))
    assert signed.overdue_at(signed.resolution_due - datetime.timedelta(seconds=1)) is False
    assert signed.overdue_at(signed.resolution_due + datetime.timedelta(seconds=1)) is True


def test_a_reminder_at_75_percent_once_however_often_the_sweep_runs(world, dispatched, run_tasks_here):
    case = dispatched(at=at(2026, 11, 23, 9))  # blue: respond by the end of the next working day
    with run_tasks_here():
        assert sweep.sweep_deadlines(now=case.response_remind_at - datetime.timedelta(minutes=1))["reminders"] == 0
        first = sweep.sweep_deadlines(now=case.response_remind_at + datetime.timedelta(minutes=1))
        again = sweep.sweep_deadlines(now=case.response_remind_at + datetime.timedelta(minutes=2))
    assert (first["reminders"], again["reminders"]) == (1, 0)
    assert case.events.filter(action=Action.REMIND).count() == 1
    notes = Notification.objects.filter(case=case, kind="reminder")
    assert [n.user for n in notes] == [world.users["officer"]]


def test_notifications_wait_for_the_commit(world, dispatched, django_capture_on_commit_callbacks):
    case = dispatched(at=at(2026, 11, 23, 9))
    User.objects.filter(pk=world.users["officer"].pk).update(email="officer@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sweep.sweep_deadlines(now=case.response_remind_at + datetime.timedelta(minutes=1))
    assert len(callbacks) == 1
    owed = Delivery.objects.filter(event__case=case, kind="reminder")
    assert owed.count() == 1 and not owed.filter(sent_at__isnull=False).exists()


def test_an_overdue_red_case_is_supervised_and_escalated_once(world, report, depts, run_tasks_here):
    u = world.users
    case = report(code="safety-fire", at=at(2026, 11, 23, 9))
    case = services.whistle_case(case=case, actor=u["community"], note="消防", at=at(2026, 11, 23, 9))
    case = services.dispatch_case(case=case, actor=u["street"], department=depts["城管局"], at=at(2026, 11, 23, 9))
    case = services.sign_case(case=case, actor=u["officer"], at=at(2026, 11, 23, 10))
    late = case.resolution_due + datetime.timedelta(hours=1)
    with run_tasks_here():
        first = sweep.sweep_deadlines(now=late)
        again = sweep.sweep_deadlines(now=late + datetime.timedelta(hours=1))
    assert first == {"reminders": 0, "overdue": 1, "supervised": 1, "escalated": 1}
    assert again == {"reminders": 0, "overdue": 0, "supervised": 0, "escalated": 0}
    case = Case.objects.get(pk=case.pk)
    assert (case.supervised, case.level, case.status) == (True, Level.DISTRICT, "in_progress")
    assert list(case.events.filter(actor__isnull=True).values_list("action", flat=True)) == [
        "overdue",
        "supervise",
        "escalate",
    ]
    assert CaseAlert.objects.filter(case=case).count() == 2
    # The street hears of the supervision as well as the department.
    supervised = Notification.objects.filter(case=case, kind="supervision")
    assert {n.user.username for n in supervised} == {"world_officer", "world_street"}


def test_a_blue_case_overdue_is_supervised_but_stays_at_its_level(world, dispatched):
    case = services.sign_case(case=dispatched(at=at(2026, 11, 23, 9)), actor=world.users["officer"])
    counts = sweep.sweep_deadlines(now=case.resolution_due + datetime.timedelta(minutes=1))
    assert counts["escalated"] == 0 and counts["supervised"] == 1
    assert Case.objects.get(pk=case.pk).level == Level.STREET


def test_an_extension_makes_a_new_deadline_with_its_own_reminder(world, dispatched):
    case = services.sign_case(case=dispatched(at=at(2026, 11, 23, 9)), actor=world.users["officer"])
    sweep.sweep_deadlines(now=case.resolution_remind_at + datetime.timedelta(minutes=1))
    case = services.request_extension(case=case, actor=world.users["officer"], days=5, reason="等待材料")
    case = services.decide_extension(case=case, actor=world.users["street"], approve=True)
    assert sweep.sweep_deadlines(now=case.resolution_remind_at + datetime.timedelta(minutes=1))["reminders"] == 1


def test_cases_the_sweep_has_finished_with_are_not_read_again(world, dispatched, django_assert_num_queries):
    cases = [
        services.sign_case(case=dispatched(at=at(2026, 11, 23, 9)), actor=world.users["officer"]) for _ in range(3)
    ]
    late = max(c.resolution_due for c in cases) + datetime.timedelta(hours=1)
    assert sweep.sweep_deadlines(now=late)["overdue"] == 3
    with django_assert_num_queries(1):  # the one query that finds nothing left to do
        assert sweep.sweep_deadlines(now=late + datetime.timedelta(days=30))["overdue"] == 0


def test_the_sweep_records_many_cases_in_as_many_queries_as_few(world, report, depts, run_tasks_here):
    u = world.users

    def dispatched_at(when):
        case = services.whistle_case(case=report(at=when), actor=u["community"], note="需要执法", at=when)
        return services.dispatch_case(case=case, actor=u["street"], department=depts["城管局"], at=when)

    first = [dispatched_at(at(2026, 11, 23, 9)) for _ in range(2)]
    with CaptureQueriesContext(connection) as few:
        assert sweep.sweep_deadlines(now=first[0].response_due + datetime.timedelta(minutes=1))["overdue"] == 2
    later = [dispatched_at(at(2026, 11, 30, 9)) for _ in range(5)]
    with CaptureQueriesContext(connection) as many:
        assert sweep.sweep_deadlines(now=later[0].response_due + datetime.timedelta(minutes=1))["overdue"] == 5
    assert len(many) == len(few)
    told = Notification.objects.filter(user=u["officer"], kind="overdue")
    assert sorted(told.values_list("case_id", flat=True)) == sorted(c.pk for c in first + later)


def test_cases_beyond_one_batch_are_each_swept_once(world, dispatched, monkeypatch):
    monkeypatch.setattr(sweep, "BATCH", 2)
    cases = [dispatched(at=at(2026, 11, 23, 9)) for _ in range(5)]
    late = cases[0].response_due + datetime.timedelta(minutes=1)
    assert sweep.sweep_deadlines(now=late)["overdue"] == 5
    assert sweep.sweep_deadlines(now=late + datetime.timedelta(minutes=5))["overdue"] == 0
    assert CaseAlert.objects.filter(case__in=cases, kind="overdue").count() == 5
    assert all(case.events.filter(action=Action.OVERDUE).count() == 1 for case in cases)
