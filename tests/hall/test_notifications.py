"""Every hand-over of a service request tells whoever must act next, and no one else: a plate's
request the station's staff, an assignment its handler, a deadline near or past whoever holds it;
the resident who applied from a plate gets the result by SMS. Each once, however often its task
or the sweep runs; a call that rolls back tells no one; the inbox opens the request's page."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import STAFF_KINDS, Delivery, Notification, NotificationKind
from cases.notifications import delivery
from cases.notifications import services as notification_services
from hall import services, sweep
from orgs.models import Role
from tests.factories import user_with_posts
from tests.faults.gateway import Gateway
from tests.hall.conftest import at

LATER = datetime.timedelta(hours=2)
PHONE = "13812345678"


@pytest.fixture
def staff(world):
    """K1's station: the community's staff member, and a colleague on the residents' committee;
    K2's staff and the grid worker of K1's grid A serve at no window of K1."""
    people = {
        "community": world.users["community"],
        "colleague": user_with_posts("k1_colleague", dict(role=Role.COMMITTEE_MEMBER, area=world.areas["K1"])),
        "k2": user_with_posts("k2_staff", dict(role=Role.COMMUNITY_STAFF, area=world.areas["K2"])),
        "grid_a": world.users["grid_a"],
        "street": world.users["street"],
    }
    for key, user in people.items():
        User.objects.filter(pk=user.pk).update(email=f"{key}@example.org")
        user.email = f"{key}@example.org"
    return people


@pytest.fixture
def apply(plate, item):
    def make(**kwargs):
        return services.request_from_plate(
            plate=plate, item=item(5), applicant_name="李大爷", applicant_phone=PHONE, **kwargs
        )

    return make


def told(kind: str) -> set[str]:
    return {n.user.email.split("@")[0] for n in Notification.objects.filter(kind=kind).select_related("user")}


def test_a_request_from_a_plate_tells_the_station_staff_and_no_one_else(staff, apply, run_tasks_here):
    with run_tasks_here():
        made = apply()
    assert told(NotificationKind.HALL_APPLIED) == {"community", "colleague"}
    assert Notification.objects.count() == 2
    note = Notification.objects.filter(user=staff["colleague"]).get()
    assert (note.case_id, note.link) == (None, reverse("hall:request", args=[made.pk]))
    assert made.item.name in note.text and "A1楼" in note.text
    assert sorted(to for m in mail.outbox for to in m.to) == ["colleague@example.org", "community@example.org"]
    assert not Delivery.objects.filter(sent_at__isnull=True).exists()


def test_a_request_the_grid_worker_takes_on_the_doorstep_tells_the_station_staff(staff, world, item):
    services.take_for_resident(
        actor=staff["grid_a"], item=item(5), household=world.households["A1"], applicant_name="A1住户"
    )
    assert told(NotificationKind.HALL_APPLIED) == {"community", "colleague"} and Notification.objects.count() == 2


def test_an_assignment_tells_its_handler_once_per_hand_over_and_never_the_one_who_took_it(
    staff, receive, run_tasks_here
):
    with run_tasks_here():
        made = receive()  # at the window, by the staff member who will hand it on: nobody to tell
        assert Notification.objects.count() == 0
        services.assign_request(actor=staff["community"], request=made, handler=staff["colleague"])
    assert told(NotificationKind.HALL_ASSIGNED) == {"colleague"} and Notification.objects.count() == 1
    assert [to for m in mail.outbox for to in m.to] == ["colleague@example.org"]
    # Taking it oneself tells no one; handing it back to the colleague is a second hand-over.
    services.assign_request(actor=staff["colleague"], request=made, handler=staff["colleague"])
    assert Notification.objects.count() == 1
    services.assign_request(actor=staff["community"], request=made, handler=staff["community"])
    services.assign_request(actor=staff["community"], request=made, handler=staff["colleague"])
    assert Notification.objects.filter(user=staff["colleague"]).count() == 2
    assert Notification.objects.filter(user=staff["community"]).count() == 0


def test_each_delivery_is_sent_once_though_its_task_runs_twice(staff, apply, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        apply()
    assert len(queued) == 1  # one task for the hand-over's deliveries, after the commit
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert len(ids) == 2
    assert delivery.send_deliveries(ids) == 2
    assert delivery.send_deliveries(ids) == 0
    assert delivery.send_owed(now=timezone.now() + LATER) == 0
    assert len(mail.outbox) == 2


def test_a_service_call_that_rolls_back_tells_no_one(staff, receive, apply, run_tasks_here):
    made = receive()
    with run_tasks_here(), pytest.raises(RuntimeError), transaction.atomic():
        services.assign_request(actor=staff["community"], request=made, handler=staff["colleague"])
        apply()
        assert Notification.objects.count() == 3  # told inside the transaction …
        raise RuntimeError("the caller fails after the service")
    assert (Notification.objects.count(), Delivery.objects.count(), mail.outbox) == (0, 0, [])  # … and undone


def test_the_resident_who_applied_from_a_plate_is_texted_the_result_once(staff, apply, receive, settings):
    colleague = staff["colleague"]
    with Gateway() as provider:
        settings.SMS_BACKEND, settings.SMS_HTTP_URL = "http", provider.url
        done, refused = apply(), apply()
        services.complete_request(actor=colleague, request=done, result="请到窗口领取优待卡")
        services.refuse_request(actor=colleague, request=refused, reason="未满60周岁")
        services.complete_request(actor=colleague, request=receive())  # at the window: told there
        assert delivery.send_owed(now=timezone.now() + LATER) == 2 + 2 * 2  # the staff's e-mails and two texts
        assert delivery.send_owed(now=timezone.now() + LATER) == 0
    texts = {body["text"]: body["phone"] for _key, body in provider.accepted}
    assert set(texts.values()) == {"+86" + PHONE}
    assert sorted(texts) == sorted(
        [
            f"您在一社区申请的“{done.item.name}”已办结。请到窗口领取优待卡",
            f"您在一社区申请的“{refused.item.name}”不予办理,理由:未满60周岁",
        ]
    )
    assert Delivery.objects.filter(kind=NotificationKind.HALL_RESULT, recipient="applicant").count() == 2


def test_the_sweep_reminds_on_the_last_day_and_tells_the_overdue_once_to_whoever_holds_it(staff, receive):
    monday = receive(days=3, received_at=at(2026, 11, 2, 9))  # due Thursday 5 Nov, 23:59:59
    handed = receive(days=3, received_at=at(2026, 11, 2, 9))
    services.assign_request(actor=staff["community"], request=handed, handler=staff["colleague"])
    assert sweep.sweep_deadlines(now=at(2026, 11, 5, 7)) == {"reminded": 0, "overdue": 0}  # not yet
    assert sweep.sweep_deadlines(now=at(2026, 11, 5, 9)) == {"reminded": 2, "overdue": 0}
    assert sweep.sweep_deadlines(now=at(2026, 11, 5, 10)) == {"reminded": 0, "overdue": 0}
    reminded = Notification.objects.filter(kind=NotificationKind.HALL_REMINDER)
    assert set(reminded.values_list("user__username", "link")) == {
        ("k1_colleague", reverse("hall:request", args=[handed.pk])),  # its handler
        ("k1_colleague", reverse("hall:request", args=[monday.pk])),  # the station, no one has it yet
        ("world_community", reverse("hall:request", args=[monday.pk])),
    }
    assert reminded.count() == 3
    assert sweep.sweep_deadlines(now=at(2026, 11, 6, 9)) == {"reminded": 0, "overdue": 2}
    assert sweep.sweep_deadlines(now=at(2026, 11, 9, 9)) == {"reminded": 0, "overdue": 0}
    assert told(NotificationKind.HALL_OVERDUE) == {"community", "colleague"}
    assert Notification.objects.filter(kind=NotificationKind.HALL_OVERDUE).count() == 3
    # Overdue is urgent (SMS as well, by default, for whoever left a number); e-mail for all here.
    assert Delivery.objects.filter(kind=NotificationKind.HALL_OVERDUE, channel="email").count() == 3


def test_the_inbox_shows_a_hall_notice_whose_link_opens_for_its_recipient(staff, apply, client_for):
    made = apply()
    link = reverse("hall:request", args=[made.pk])
    note = Notification.objects.get(user=staff["colleague"])
    client = client_for(staff["colleague"])
    page = client.get(reverse("cases:notifications"))
    assert page.context["unread_notifications"] == 1  # the header counts it
    assert [n.pk for n in page.context["notifications"]] == [note.pk]
    body = page.content.decode()
    assert note.text in body and f'href="{link}"' in body and "便民服务待分办" in body
    opened = client.post(reverse("cases:notification_read", args=[note.pk]))
    assert opened.status_code == 302 and opened.url == link
    assert client.get(link).status_code == 200
    assert client.get(reverse("cases:notifications")).context["unread_notifications"] == 0
    # Someone else's notice is as missing as one that does not exist.
    other = client_for(staff["k2"])
    assert other.post(reverse("cases:notification_read", args=[note.pk])).status_code == 404
    assert other.get(link).status_code == 404


def test_the_inbox_of_hall_notices_costs_the_same_for_many(staff, receive, client_for, django_assert_num_queries):
    def hand_over(n: int) -> None:
        for _ in range(n):
            services.assign_request(actor=staff["community"], request=receive(), handler=staff["colleague"])

    client = client_for(staff["colleague"])
    hand_over(2)
    # The session, the user, the header's unread count, the page, and the user's posts for the menu.
    with django_assert_num_queries(5):
        client.get(reverse("cases:notifications"))
    hand_over(20)
    with django_assert_num_queries(5):
        page = client.get(reverse("cases:notifications"))
    assert page.context["unread_notifications"] == 22 and len(page.context["notifications"]) == 22


def test_the_settings_page_lists_the_hall_kinds_and_keeps_a_choice_for_them(staff, apply, client_for):
    hall_kinds = [NotificationKind.HALL_APPLIED, NotificationKind.HALL_ASSIGNED]
    hall_kinds += [NotificationKind.HALL_REMINDER, NotificationKind.HALL_OVERDUE]
    assert set(hall_kinds) <= set(STAFF_KINDS) and NotificationKind.HALL_RESULT not in STAFF_KINDS
    body = client_for(staff["community"]).get(reverse("cases:notification_settings")).content.decode()
    assert all(str(kind.label) in body for kind in hall_kinds)
    notification_services.save_notification_settings(
        actor=staff["community"], channels={"hall_applied": ["sms"]}, phone="13912345678"
    )
    apply()
    chosen = Delivery.objects.filter(recipient=f"user:{staff['community'].pk}")
    assert list(chosen.values_list("channel", flat=True)) == ["sms"]
