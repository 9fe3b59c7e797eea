"""调整等级: importance and urgency corrected at intake or dispatch with a reason; the colour and the
running deadline are recomputed, and the event tells every deadline it moved (and a passed one)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases import services, workflow
from cases.models import Action, Case, Status
from core.scope import scope_for
from orgs.models import Department
from tests.cases.conftest import at


def test_at_intake_a_blue_fire_report_becomes_red_and_its_response_clock_shrinks(world, report):
    case = report(code="safety-house", at=at(2026, 11, 23, 9), importance="normal", urgency="normal")
    assert case.colour == "blue"
    fixed = services.correct_case(
        actor=world.users["community"], case=case, importance="high", urgency="high", reason="堵塞消防通道",
        at=at(2026, 11, 23, 9, 30),
    )  # fmt: skip
    assert (fixed.colour, fixed.response_due) == ("red", at(2026, 11, 23, 11))
    event = fixed.events.get(action=Action.CORRECT)
    assert event.note == "堵塞消防通道" and event.data["passed"] == []
    assert event.data["from"] == ["normal", "normal", "blue"] and event.data["to"] == ["high", "high", "red"]
    assert Case.objects.get(pk=case.pk).status == Status.REPORTED


def test_at_dispatch_the_street_corrects_and_the_dispatch_clock_follows(world, report):
    case = report(at=at(2026, 11, 23, 9))
    case = services.whistle_case(case=case, actor=world.users["community"], note="执法", at=at(2026, 11, 23, 9))
    assert "correct" in workflow.permitted_steps(scope_for(world.users["street"]), case)
    assert "correct" not in workflow.permitted_steps(scope_for(world.users["community"]), case)
    fixed = services.correct_case(
        actor=world.users["street"], case=case, importance="high", urgency="high", reason="涉及安全",
        at=at(2026, 11, 23, 10),
    )  # fmt: skip
    assert fixed.dispatch_due == at(2026, 11, 23, 11)
    # Dispatching afterwards runs against the red limits.
    dept = Department.objects.get(name="城管局")
    sent = services.dispatch_case(case=fixed, actor=world.users["street"], department=dept, at=at(2026, 11, 23, 10))
    assert sent.response_due == at(2026, 11, 23, 12)


def test_a_passed_deadline_is_moved_only_with_the_event_saying_so(world, report, client_for):
    case = report(at=at(2026, 11, 2, 9), importance="high", urgency="high")  # red: 2 hours, long past
    fixed = services.correct_case(
        actor=world.users["community"], case=case, importance="normal", urgency="normal", reason="误报为紧急"
    )
    event = fixed.events.get(action=Action.CORRECT)
    assert event.data["passed"] == ["response_due"]
    old, new = event.data["deadlines"]["response_due"]
    assert datetime.datetime.fromisoformat(old) == at(2026, 11, 2, 11)
    assert datetime.datetime.fromisoformat(new) == fixed.response_due
    html = client_for(world.users["community"]).get(reverse("cases:detail", args=[case.pk])).content.decode()
    line = html.split('data-testid="moved-deadline">')[1].split("</div>")[0]
    assert "2026-11-02 11:00" in line and "原期限已过" in line


def test_bad_input_changes_nothing(world, report):
    case = report()
    u = world.users
    with pytest.raises(ValidationError):
        services.correct_case(actor=u["community"], case=case, importance="high", urgency="high", reason="  ")
    with pytest.raises(ValidationError):
        services.correct_case(actor=u["community"], case=case, importance="normal", urgency="normal", reason="同")
    with pytest.raises(ValidationError):
        services.correct_case(actor=u["community"], case=case, importance="huge", urgency="high", reason="x")
    with pytest.raises(PermissionDenied):
        services.correct_case(actor=u["officer_mz"], case=case, importance="high", urgency="high", reason="x")
    assert Case.objects.get(pk=case.pk).colour == case.colour
    assert not case.events.filter(action=Action.CORRECT).exists()


def test_the_page_step_and_its_errors(world, report, client_for):
    case = report()
    client = client_for(world.users["community"])
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="step-correct"' in detail and 'value="normal" selected' in detail
    url = reverse("cases:correct", args=[case.pk])
    client.post(url, {"importance": "high", "urgency": "normal", "note": ""})
    assert Case.objects.get(pk=case.pk).colour == "blue"
    client.post(url, {"importance": "high", "urgency": "normal", "note": "<b>危房</b>"})
    assert Case.objects.get(pk=case.pk).colour == "orange"
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "&lt;b&gt;危房&lt;/b&gt;" in detail and "<b>危房</b>" not in detail
