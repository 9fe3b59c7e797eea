"""Each user reads the notifications sent them, and nobody else's; marks them read; chooses channels."""

import datetime

from django.urls import reverse

from cases import sweep
from cases.models import Notification, NotificationSettings
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
    reminders = [n.case_id for n in response.context["notifications"] if n.kind == "reminder"]
    assert reminders == [cases[1].pk, cases[0].pk]
    assert cases[0].number in response.content.decode()


def test_nobody_reads_another_users_notifications(world, dispatched, client_for):
    _remind([dispatched()])
    for user in (world.users["officer_mz"], world.users["leader"], user_with_posts("no_posts")):
        assert list(client_for(user).get(reverse("cases:notifications")).context["notifications"]) == []
    seen = client_for(world.users["community"]).get(reverse("cases:notifications")).context["notifications"]
    assert {n.kind for n in seen} == {"reported"}  # told of the report, not of the officer's reminder


def test_anonymous_visitors_are_sent_to_log_in(client_for):
    response = client_for(None).get(reverse("cases:notifications"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_notifications_page_by_id_at_a_fixed_cost(world, dispatched, client_for, django_assert_num_queries):
    client = client_for(world.users["officer"])
    _remind([dispatched() for _ in range(3)])
    # The session, the user, the header's unread count, the page, and the user's posts for the menu
    # (which offers only the pages they may open).
    with django_assert_num_queries(5):
        client.get(reverse("cases:notifications"))
    _remind([dispatched() for _ in range(30)])
    with django_assert_num_queries(5):
        first = client.get(reverse("cases:notifications"))
    assert len(first.context["notifications"]) == 30 and first.context["unread_notifications"] == 66
    pages, older = [first.context["notifications"]], first.context["older"]
    while older:
        page = client.get(reverse("cases:notifications"), {"before": older})
        pages.append(page.context["notifications"])
        older = page.context["older"]
    assert [n.pk for rows in pages for n in rows] == list(
        Notification.objects.filter(user=world.users["officer"]).order_by("-pk").values_list("pk", flat=True)
    )
    assert client.get(reverse("cases:notifications"), {"before": "x"}).status_code == 200


def test_reading_a_notification_opens_its_case_and_clears_it_from_the_bell(world, dispatched, client_for):
    case = dispatched()
    client = client_for(world.users["officer"])
    page = client.get(reverse("cases:notifications"))
    assert 'data-testid="notification-bell"' in page.content.decode() and page.context["unread_notifications"] == 1
    told = Notification.objects.get(user=world.users["officer"])
    response = client.post(reverse("cases:notification_read", args=[told.pk]))
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    told.refresh_from_db()
    assert told.read_at is not None
    assert client.get(reverse("cases:notifications")).context["unread_notifications"] == 0
    assert client.get(reverse("cases:notification_read", args=[told.pk])).status_code == 405


def test_nobody_marks_another_users_notification(world, dispatched, client_for):
    dispatched()
    theirs = Notification.objects.get(user=world.users["officer"])
    client = client_for(world.users["community"])
    assert client.post(reverse("cases:notification_read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("cases:notification_read", args=[10**12])).status_code == 404
    client.post(reverse("cases:notifications_read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert not Notification.objects.filter(user=world.users["community"], read_at__isnull=True).exists()


def test_a_user_chooses_channels_per_kind(world, client_for):
    client = client_for(world.users["street"])
    page = client.get(reverse("cases:notification_settings"))
    assert page.status_code == 200
    assert page.context["form"]["kind_overdue"].initial == ["email", "sms"]  # the default for what is late
    bad = client.post(reverse("cases:notification_settings"), {"phone": "12", "kind_whistled": ["sms"]})
    assert bad.status_code == 200 and "手机号" in bad.content.decode()
    assert not NotificationSettings.objects.exists()  # nothing half-written
    unknown = client.post(reverse("cases:notification_settings"), {"kind_whistled": ["fax"]})
    assert unknown.status_code == 200 and not NotificationSettings.objects.exists()
    ok = client.post(reverse("cases:notification_settings"), {"phone": "13812345678", "kind_whistled": ["sms"]})
    assert ok.status_code == 302
    mine = NotificationSettings.objects.get(user=world.users["street"])
    assert mine.phone == "+8613812345678"
    assert mine.wants("whistled") == ["sms"] and mine.wants("overdue") == []
