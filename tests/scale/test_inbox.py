"""部门待办 most urgent first, paged by keyset over the order its index holds."""

import datetime

from django.urls import reverse

from cases import selectors, services
from cases.models import Case, Status
from core.scope import scope_for
from tests.cases.conftest import at


def _due(case, hours):
    """Sets the deadline the case runs against: signing while dispatched, resolving once signed."""
    column = "response_due" if case.status == Status.DISPATCHED else "resolution_due"
    Case.objects.unscoped("test data").filter(pk=case.pk).update(
        **{column: at(2026, 11, 2, 9) + datetime.timedelta(hours=hours)}
    )


def test_the_inbox_lists_the_oldest_deadline_first_whatever_the_step(world, dispatched, client_for):
    signed, late, soon = dispatched(), dispatched(), dispatched()  # newest first would be the reverse
    signed = services.sign_case(case=signed, actor=world.users["officer"])
    _due(late, 48)
    _due(soon, 24)
    _due(signed, 1)  # signed, so its resolution deadline is the one that counts
    response = client_for(world.users["officer"]).get(reverse("cases:queue", args=["inbox"]))
    assert [c.pk for c in response.context["cases"]] == [signed.pk, soon.pk, late.pk]


def test_inbox_pages_follow_on_without_gaps_or_repeats(world, dispatched):
    made = [dispatched() for _ in range(5)]
    for i, case in enumerate(made):
        _due(case, i // 2)  # ties on the deadline are broken by id
    qs = selectors.inbox(scope_for(world.users["officer"]))
    seen, cursor = [], None
    while True:
        rows, cursor = selectors.inbox_page(qs, cursor, 2)
        seen += [c.pk for c in rows]
        if cursor is None:
            break
    assert seen == [c.pk for c in made]


def test_a_case_another_department_holds_is_not_in_the_inbox(world, dispatched, client_for):
    dispatched()
    response = client_for(world.users["officer_mz"]).get(reverse("cases:queue", args=["inbox"]))
    assert list(response.context["cases"]) == []
