"""The dispatch clock: a whistled or escalated case waits at the street (district) against hours
per colour, is reminded, recorded overdue once, shown on the board and counted as overdue."""

import datetime

from django.urls import reverse

from cases import selectors, services, sweep
from cases.models import Action, Case, Notification, Status, TimeLimit
from tests.cases.conftest import RED, at


def test_whistling_starts_the_clock_of_the_colour(world, report):
    blue = services.whistle_case(case=report(at=at(2026, 11, 23, 9)), actor=world.users["community"], note="执法")
    red = services.whistle_case(
        case=report(at=at(2026, 11, 23, 9), **RED), actor=world.users["community"], note="紧急", at=at(2026, 11, 23, 10)
    )
    assert blue.dispatch_due - blue.events.get(action=Action.WHISTLE).at == datetime.timedelta(hours=24)
    assert red.dispatch_due == at(2026, 11, 23, 12)
    assert red.current_due == red.dispatch_due
    assert red.overdue_at(at(2026, 11, 23, 12, 1)) and not red.overdue_at(at(2026, 11, 23, 11, 59))


def test_the_hours_are_data(world, report):
    TimeLimit.objects.filter(colour="blue", category__isnull=True).update(dispatch_hours=5)
    case = services.whistle_case(
        case=report(at=at(2026, 11, 23, 9)), actor=world.users["community"], note="执法", at=at(2026, 11, 23, 9)
    )
    assert case.dispatch_due == at(2026, 11, 23, 14)


def test_the_sweep_reminds_the_street_and_records_overdue_once(world, report, run_tasks_here):
    case = services.whistle_case(
        case=report(at=at(2026, 11, 23, 9), **RED), actor=world.users["community"], note="紧急", at=at(2026, 11, 23, 9)
    )
    with run_tasks_here():
        reminded = sweep.sweep_deadlines(now=case.dispatch_remind_at + datetime.timedelta(minutes=1))
        late = sweep.sweep_deadlines(now=case.dispatch_due + datetime.timedelta(minutes=1))
        again = sweep.sweep_deadlines(now=case.dispatch_due + datetime.timedelta(hours=3))
    assert (reminded["reminders"], late["overdue"], again["overdue"]) == (1, 1, 0)
    assert late["supervised"] == 0  # 督办 follows an overdue resolution, not a late dispatch
    overdue = case.events.get(action=Action.OVERDUE)
    assert overdue.note == "派遣已超期"
    assert datetime.datetime.fromisoformat(overdue.data["due"]) == case.dispatch_due
    # Whoever dispatches it at its level is told: the street, not yet the district.
    told = set(
        Notification.objects.filter(case=case, kind__in=["reminder", "overdue"]).values_list("user__username", "kind")
    )
    assert told == {("world_street", "reminder"), ("world_street", "overdue")}


def test_dispatching_stops_the_clock(world, report, depts):
    case = services.whistle_case(case=report(at=at(2026, 11, 23, 9)), actor=world.users["community"], note="执法")
    case = services.dispatch_case(case=case, actor=world.users["street"], department=depts["城管局"])
    assert not case.overdue_at(case.dispatch_due + datetime.timedelta(minutes=1))
    assert sweep.sweep_deadlines(now=case.dispatch_due + datetime.timedelta(minutes=1))["overdue"] == 0


def test_a_return_and_an_escalation_start_a_new_clock_and_say_which_they_replaced(world, report, depts):
    u = world.users
    case = services.whistle_case(case=report(at=at(2026, 11, 23, 9)), actor=u["community"], note="执法")
    case = services.dispatch_case(case=case, actor=u["street"], department=depts["城管局"])
    returned = services.return_case(case=case, actor=u["officer"], reason="非本部门", at=at(2026, 11, 24, 9))
    assert returned.status == Status.WHISTLED and returned.dispatch_due == at(2026, 11, 25, 9)
    escalated = services.escalate_case(case=returned, actor=u["street"], reason="跨街道", at=at(2026, 11, 24, 12))
    assert escalated.dispatch_due == at(2026, 11, 25, 12)
    event = escalated.events.get(action=Action.ESCALATE)
    assert datetime.datetime.fromisoformat(event.data["dispatch_due_was"]) == at(2026, 11, 25, 9)


def test_overdue_on_the_board_in_the_filter_and_in_the_metrics(world, report, client_for):
    case = services.whistle_case(
        case=report(at=at(2026, 11, 1, 9), **RED), actor=world.users["community"], note="紧急", at=at(2026, 11, 1, 9)
    )
    assert Case.objects.filter(selectors.overdue_q()).filter(pk=case.pk).exists()
    page = client_for(world.users["street"]).get(reverse("cases:board"))
    row = page.content.decode().split(case.number)[1].split("</tr>")[0]
    assert "已超期" in row and "11-01 11:00" in row
