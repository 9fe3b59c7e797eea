"""Every hand-over tells exactly whoever must act next, in-app and by e-mail, each delivery once:
with its task run twice, with a real SMTP server that refuses once, and an SMS provider and a
work-messaging robot (real HTTP receivers on loopback) that answer 500 once."""

import datetime
import os

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.models import Delivery, Notification, NotificationSettings, Source, WorkChatHook
from cases.notifications import delivery
from tests.cases.conftest import category
from tests.faults.gateway import Gateway

LATER = datetime.timedelta(hours=2)


@pytest.fixture
def mailboxes(world):
    for key, user in world.users.items():
        User.objects.filter(pk=user.pk).update(email=f"{key}@example.org")
        user.email = f"{key}@example.org"
    return world.users


def told(kind: str) -> set[str]:
    return {n.user.email.split("@")[0] for n in Notification.objects.filter(kind=kind).select_related("user")}


def mailed(kind_label: str) -> list[str]:
    return sorted(to.split("@")[0] for m in mail.outbox if kind_label in m.subject for to in m.to)


def test_every_hand_over_tells_exactly_whoever_acts_next(mailboxes, report, depts, run_tasks_here):
    u = mailboxes
    with run_tasks_here():
        case = report()
        case = services.whistle_case(case=case, actor=u["community"], note="需要执法")
        case = services.dispatch_case(case=case, actor=u["street"], department=depts["城管局"])
        case = services.return_case(case=case, actor=u["officer"], reason="不属本部门")
    with run_tasks_here():
        case = services.dispatch_case(case=case, actor=u["street"], department=depts["城管局"])
        case = services.sign_case(case=case, actor=u["officer"])
        case = services.request_extension(case=case, actor=u["officer"], days=3, reason="等待材料")
        case = services.decide_extension(case=case, actor=u["street"], approve=True)
        case = services.resolve_case(case=case, actor=u["officer"], feedback="已清理")
        case = services.verify_case(case=case, actor=u["grid_a"], passed=False, note="仍有杂物")
        services.escalate_case(case=case, actor=u["street"], reason="反复发生")
    expected = {
        "reported": {"community"},
        "whistled": {"street"},
        "dispatched": {"officer"},
        "returned": {"street"},
        "extension_asked": {"street"},
        "extension_decided": {"officer"},
        "resolved": {"grid_a"},
        "rework": {"officer"},
        "escalated": {"district"},
    }
    assert {kind: told(kind) for kind in expected} == expected
    assert Notification.objects.filter(kind="dispatched").count() == 2  # dispatched twice, told twice
    assert Notification.objects.count() == 10
    # One e-mail per notification, to its user, and nothing else.
    assert sorted(to for m in mail.outbox for to in m.to) == sorted(
        Notification.objects.values_list("user__email", flat=True)
    )
    assert mailed("处置待核查") == ["grid_a"] and mailed("派遣待签收") == ["officer", "officer"]
    assert not Delivery.objects.filter(sent_at__isnull=True).exists()


def test_the_actor_is_not_told_of_their_own_step_and_a_reopen_goes_back(mailboxes, report, run_tasks_here):
    u = mailboxes
    case = report(by="community")  # the community reports what it handles itself
    assert told("reported") == set()
    case = services.accept_case(case=case, actor=u["community"])
    case = services.resolve_case(case=case, actor=u["community"], feedback="已处理")
    case = services.verify_case(case=case, actor=u["grid_a"], passed=True)
    services.rate_case(case=case, rating="dissatisfied", reopen=True)
    assert told("resolved") == {"grid_a"} and told("reopened") == {"community"}


def test_a_delivery_task_run_twice_sends_once(mailboxes, dispatched, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        dispatched()
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert len(ids) == 3  # reported, whistled, dispatched: one e-mail each
    assert delivery.send_deliveries(ids) == 3
    assert delivery.send_deliveries(ids) == 0
    assert delivery.send_owed(now=timezone.now() + LATER) == 0
    assert len(mail.outbox) == 3


class RefusingOnce:
    def __init__(self):
        self.received, self.refused = [], 0

    async def handle_DATA(self, server, session, envelope):
        if not self.refused:
            self.refused += 1
            return "451 4.3.0 try again later"
        self.received.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"


@pytest.fixture
def smtp_sink(settings):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    port = 8025 + int(worker) % 5 if worker.isdecimal() else 8025
    handler = RefusingOnce()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield handler
    controller.stop()


def test_an_smtp_server_refusing_once_loses_nothing_and_sends_once(mailboxes, report, smtp_sink, run_tasks_here):
    with run_tasks_here():
        case = report()
    assert case.pk and case.events.count() == 1  # the step committed whatever the channel did
    owed = Delivery.objects.get(kind="reported")
    assert (owed.sent_at, owed.attempts, smtp_sink.refused) == (None, 1, 1)
    assert "451" in owed.last_error and owed.next_try_at > timezone.now()
    assert delivery.send_owed() == 0  # not yet: it waits before it is tried again
    assert delivery.send_owed(now=timezone.now() + LATER) == 1
    assert delivery.send_owed(now=timezone.now() + LATER) == 0
    assert [to for to, _body in smtp_sink.received] == [["community@example.org"]]
    assert case.number in smtp_sink.received[0][1]


def test_an_sms_provider_answering_500_once_loses_nothing(mailboxes, dispatched, settings, run_tasks_here):
    NotificationSettings.objects.create(
        user=mailboxes["officer"], phone="+8613812345678", channels={"dispatched": ["sms"]}
    )
    with Gateway(refuse_first=1) as provider:
        settings.SMS_BACKEND, settings.SMS_HTTP_URL = "http", provider.url
        with run_tasks_here():
            case = dispatched()
        sms = Delivery.objects.get(channel="sms")
        assert (sms.sent_at, sms.attempts) == (None, 1)
        assert delivery.send_owed(now=timezone.now() + LATER) == 1
    assert [body for _key, body in provider.accepted] == [{"phone": "+8613812345678", "text": sms.text}]
    assert provider.keys() == [f"delivery-{sms.pk}"] and case.number in sms.text
    # The officer chose SMS only for dispatches: no e-mail for them.
    assert not Delivery.objects.filter(channel="email", recipient=f"user:{mailboxes['officer'].pk}").exists()


def test_a_department_group_robot_hears_of_its_dispatch(world, dispatched, depts, run_tasks_here):
    with Gateway() as robot:
        WorkChatHook.objects.create(provider="wecom", url=robot.url, department=depts["城管局"])
        WorkChatHook.objects.create(provider="dingtalk", url=robot.url, department=depts["民政局"])
        with run_tasks_here():
            case = dispatched()
    assert [body for _key, body in robot.accepted] == [
        {"msgtype": "text", "text": {"content": Notification.objects.get(kind="dispatched").text}}
    ]
    assert case.number in robot.accepted[0][1]["text"]["content"]


def test_a_callers_tracking_code_is_texted_once(world, settings, run_tasks_here):
    with Gateway() as provider:
        settings.SMS_BACKEND, settings.SMS_HTTP_URL = "http", provider.url
        with run_tasks_here(), transaction.atomic():
            case = services.report_case(
                actor=world.users["community"],
                category=category("urban-events-clutter"),
                area=world.areas["A1"],
                description="来电反映楼道堆物",
                source=Source.HOTLINE,
                reporter_phone="13812345678",
            )
            first = delivery.send_tracking_code(case)
            assert delivery.send_tracking_code(case, "13912345678") == first
        assert delivery.send_owed(now=timezone.now() + LATER) == 0
    assert len(provider.accepted) == 1
    body = provider.accepted[0][1]
    assert body["phone"] == "+8613812345678" and case.tracking_code in body["text"]
    assert delivery.send_tracking_code(services.report_case(
        actor=world.users["community"], category=category("urban-events-clutter"), area=world.areas["A1"],
        description="无电话",
    )) is None  # fmt: skip


def test_a_tracking_code_to_a_number_that_is_no_mobile_number_is_refused(world):
    case = services.report_case(
        actor=world.users["community"],
        category=category("urban-events-clutter"),
        area=world.areas["A1"],
        description="来访反映路灯不亮",
        source=Source.WALK_IN,
    )
    with pytest.raises(ValidationError):
        delivery.send_tracking_code(case, "12345")
    assert delivery.send_tracking_code(case, "139 1234 5678") is not None
    assert Delivery.objects.get(kind="tracking_code").phone == "+8613912345678"


def test_a_channel_failing_in_any_way_keeps_its_delivery_owed_and_the_wait_stays_bounded(
    world, settings, run_tasks_here
):
    settings.SMS_BACKEND, settings.SMS_HTTP_URL = "http", ""  # misconfigured: urllib refuses the URL
    with run_tasks_here(), transaction.atomic():
        case = services.report_case(
            actor=world.users["community"],
            category=category("urban-events-clutter"),
            area=world.areas["A1"],
            description="来电反映路灯不亮",
            source=Source.HOTLINE,
            reporter_phone="13812345678",
        )
    owed = Delivery.objects.get(kind="tracking_code")
    assert (owed.sent_at, owed.attempts) == (None, 1) and owed.next_try_at > timezone.now()
    assert case.tracking_code in owed.text
    # Beat's pass before the wait is over sends nothing again; after it, it tries once more.
    assert delivery.send_owed() == 0 and Delivery.objects.get(pk=owed.pk).attempts == 1
    assert delivery.send_owed(now=timezone.now() + LATER) == 0 and Delivery.objects.get(pk=owed.pk).attempts == 2
    assert delivery._wait(1000) == delivery.LONGEST_WAIT  # a row failing for days never overflows


def test_what_leaves_the_system_carries_no_whole_phone_number(world, mailboxes):
    case = services.report_case(
        actor=world.users["grid_a"],
        category=category("urban-events-clutter"),
        area=world.areas["A1"],
        description="楼道堆物,联系人电话13812345678",
    )
    mailed_text = Delivery.objects.filter(event__case=case, channel="email").values_list("text", flat=True)
    assert mailed_text and all("13812345678" not in text and "*5678" in text for text in mailed_text)
    assert "13812345678" in Notification.objects.filter(case=case).first().text  # the in-app notice is inside


def test_a_dispatch_tells_the_assisting_departments_as_such(mailboxes, report, depts, run_tasks_here):
    u = mailboxes
    with run_tasks_here():
        case = services.whistle_case(case=report(), actor=u["community"], note="需要多部门")
        services.dispatch_case(case=case, actor=u["street"], department=depts["城管局"], assisting=[depts["民政局"]])
    # 民政局's officer, and its staff sunk into a grid, who work for it too.
    assert told("dispatched") == {"officer"} and told("assisting") == {"officer_mz", "sunk"}
    assert mailed("派遣协办") == ["officer_mz", "sunk"]
