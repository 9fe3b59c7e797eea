"""Each user reads the notifications the sweep sent them, and nobody else's."""

import datetime

from django.urls import reverse

from cases import sweep
from tests.factories import user_with_posts


def _remind(cases):
    """One sweep past every case's reminder point: a reminder to 城管局's officer for each."""
    latest = max(case.response_remind_at for case in cases)
    sweep.sweep_deadlines(now=latest + datetime.timedelta(minutes=1))


def test_the_officer_reads_their_reminders_newest_first(world, dispatched, client_for):
    cases = [dispatched()]
    _remind(cases)
    cases.append(dispatched())
    _remind(cases)  # the first case's reminder is not sent again
    response = client_for(world.users["officer"]).get(reverse("cases:notifications"))
    assert [n.case_id for n in response.context["notifications"]] == [cases[1].pk, cases[0].pk]
    assert cases[0].number in response.content.decode()


def test_nobody_reads_another_users_notifications(world, dispatched, client_for):
    _remind([dispatched()])
    for user in (world.users["community"], world.users["officer_mz"], user_with_posts("no_posts")):
        assert list(client_for(user).get(reverse("cases:notifications")).context["notifications"]) == []


def test_anonymous_visitors_are_sent_to_log_in(client_for):
    response = client_for(None).get(reverse("cases:notifications"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_notifications_page_by_id_at_a_fixed_cost(world, dispatched, client_for, django_assert_num_queries):
    client = client_for(world.users["officer"])
    _remind([dispatched() for _ in range(3)])
    with django_assert_num_queries(3):
        client.get(reverse("cases:notifications"))
    _remind([dispatched() for _ in range(30)])
    with django_assert_num_queries(3):
        first = client.get(reverse("cases:notifications"))
    assert len(first.context["notifications"]) == 30
    rest = client.get(reverse("cases:notifications"), {"before": first.context["older"]})
    assert len(rest.context["notifications"]) == 3 and rest.context["older"] is None
    assert client.get(reverse("cases:notifications"), {"before": "x"}).status_code == 200
