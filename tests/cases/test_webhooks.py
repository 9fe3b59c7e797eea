"""Webhooks: a receiver (a real HTTP server on loopback) that fails twice and then succeeds takes
every event of its scope exactly once, each with a signature the README's recipe accepts (the
README's code block itself is run here); nothing outside the owner's scope is sent; a run of
failures pauses the subscription and tells its keepers; replay sends the same event again; the
pages are only for who keeps the owner's subscriptions."""

import datetime
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import (
    Notification,
    NotificationKind,
    WebhookAttempt,
    WebhookDelivery,
    WebhookKind,
    WebhookSubscription,
    kinds_of,
)
from cases.webhooks import outbox
from cases.webhooks import services as webhooks
from core.models import AuditEntry
from core.scope import SYSTEM
from orgs.models import Department
from tests.cases.conftest import category

LATER = datetime.timedelta(hours=2)
ALL_KINDS = WebhookKind.values


def _readme_recipe() -> dict:
    """The README's verification code, run as it stands: what a receiver would paste."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    block = re.search(r"<!-- webhook-recipe[^>]*-->\n```python\n(.*?)```", readme, re.S).group(1)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    return namespace


VERIFY = _readme_recipe()["verify"]


@pytest.fixture(autouse=True)
def _plain_http_on_loopback(settings):
    """The receivers here listen on loopback without TLS."""
    settings.WEBHOOK_REQUIRE_HTTPS = False


class Receiver:
    """A receiving system: answers 500 to its first `fail_first` requests; afterwards takes a
    delivery whose signature the README's recipe accepts (200) and refuses any other (401)."""

    def __init__(self, secret: str = "", *, fail_first: int = 0, always_fail: bool = False):
        self.secret = secret
        self.requests = 0
        self.taken: list[dict] = []
        self.refused = 0
        self.always_fail = always_fail
        lock = threading.Lock()
        receiver = self
        left = [fail_first]

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with lock:
                    receiver.requests += 1
                    failing = receiver.always_fail or left[0] > 0
                    left[0] -= 1
                if failing:
                    return self._answer(500, b"busy, try later")
                if not VERIFY(receiver.secret, self.headers, body):
                    with lock:
                        receiver.refused += 1
                    return self._answer(401, b"bad signature")
                with lock:
                    receiver.taken.append(json.loads(body))
                self._answer(200, b"ok")

            def _answer(self, status: int, text: bytes):
                self.send_response(status)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks/gridgov"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    @property
    def ids(self) -> list[int]:
        return [body["id"] for body in self.taken]


def subscribe(world, receiver: Receiver, *, kinds=ALL_KINDS, department=None) -> WebhookSubscription:
    if department is not None:
        subscription, secret = webhooks.create_subscription(
            actor=world.users["officer"], name="城管系统", url=receiver.url, kinds=kinds, department=department
        )
    else:
        subscription, secret = webhooks.create_subscription(
            actor=world.users["district"],
            name="区指挥中心",
            url=receiver.url,
            kinds=kinds,
            district=world.areas["district"],
        )
    receiver.secret = secret
    return subscription


def run_the_loop(world, depts, report):
    """Reported at A1, whistled, dispatched to 城管局, signed, resolved, verified: closed."""
    u = world.users
    case = report()
    case = services.whistle_case(case=case, actor=u["community"], note="需要执法")
    case = services.dispatch_case(case=case, actor=u["street"], department=depts["城管局"])
    case = services.sign_case(case=case, actor=u["officer"])
    case = services.resolve_case(case=case, actor=u["officer"], feedback="已清理")
    return services.verify_case(case=case, actor=u["grid_a"], passed=True, note="")


def beat(passes: int = 4) -> None:
    """Beat's pass, as often as it takes, each time after every wait is over."""
    for n in range(passes):
        outbox.send_owed(now=timezone.now() + LATER * (n + 1))


def test_a_receiver_that_fails_twice_then_succeeds_takes_every_event_exactly_once_signed(
    world, depts, report, run_tasks_here
):
    with Receiver(fail_first=2) as receiver:
        subscription = subscribe(world, receiver)
        with run_tasks_here():
            case = run_the_loop(world, depts, report)
        # After the commits: the first two tries were answered 500, the rest taken.
        assert receiver.requests == 6 and len(receiver.taken) == 4
        beat()
    events = [event for event in case.events.order_by("pk") if kinds_of(event)]
    assert [e.action for e in events] == ["report", "whistle", "dispatch", "sign", "resolve", "verify_pass"]
    assert sorted(receiver.ids) == [e.pk for e in events]  # each once, none lost
    assert receiver.requests == 8 and receiver.refused == 0
    by_id = {body["id"]: body for body in receiver.taken}
    closing = by_id[events[-1].pk]
    assert closing["kind"] == "verified" and closing["kinds"] == ["verified", "closed"]
    assert closing["case"]["number"] == case.number and closing["case"]["department"] == depts["城管局"].code
    assert "reporter_phone" not in closing["case"] and "tracking_code" not in closing["case"]
    failed = WebhookAttempt.objects.filter(ok=False).order_by("pk")
    assert [(a.status_code, a.response) for a in failed] == [(500, "busy, try later")] * 2
    assert not WebhookDelivery.objects.filter(delivered_at__isnull=True).exists()
    subscription.refresh_from_db()
    assert subscription.failures == 0 and subscription.paused_at is None


def test_the_recipe_refuses_a_changed_body_another_secret_and_an_old_timestamp():
    body = b'{"id":1}'
    now = time.time()
    stamp = str(int(now))
    headers = {"X-GridGov-Timestamp": stamp, "X-GridGov-Signature": outbox.sign("whsec_a", stamp, body)}
    assert VERIFY("whsec_a", headers, body, now=now)
    assert not VERIFY("whsec_a", headers, b'{"id":2}', now=now)
    assert not VERIFY("whsec_b", headers, body, now=now)
    assert not VERIFY("whsec_a", headers, body, now=now + 301)


def test_another_districts_case_is_never_sent(world, report, run_tasks_here):
    with Receiver() as receiver:
        subscribe(world, receiver)
        with run_tasks_here():
            services.report_case(
                actor=world.users["admin"],
                category=category("urban-events-clutter"),
                area=world.areas["E1"],  # the county's
                description="县里的案件",
            )
            mine = report()
    assert receiver.ids == [mine.events.get().pk]
    assert WebhookDelivery.objects.count() == 1


def test_a_department_hears_only_of_the_cases_it_leads_or_assists(world, depts, report, run_tasks_here):
    with Receiver() as chengguan, Receiver() as minzheng:
        subscribe(world, chengguan, department=depts["城管局"])
        _mz, secret = webhooks.create_subscription(
            actor=world.users["officer_mz"], name="民政系统", url=minzheng.url, kinds=ALL_KINDS,
            department=depts["民政局"],
        )  # fmt: skip
        minzheng.secret = secret
        with run_tasks_here():
            case = report()
            case = services.whistle_case(case=case, actor=world.users["community"], note="需要执法")
            case = services.dispatch_case(case=case, actor=world.users["street"], department=depts["城管局"])
            other = report(building="A2")
            other = services.whistle_case(case=other, actor=world.users["community"], note="需要协办")
            other = services.dispatch_case(
                case=other, actor=world.users["street"], department=depts["城管局"], assisting=[depts["民政局"]]
            )
    # Nobody's department is on a case before it is dispatched: the report and the whistle stay unsent.
    assert [(b["case"]["number"], b["kind"]) for b in chengguan.taken] == [
        (case.number, "dispatched"),
        (other.number, "dispatched"),
    ]
    assert [(b["case"]["number"], b["kind"]) for b in minzheng.taken] == [(other.number, "dispatched")]


def test_a_run_of_failures_pauses_the_subscription_tells_its_keepers_and_loses_nothing(
    world, depts, report, run_tasks_here, settings
):
    settings.WEBHOOK_MAX_FAILURES = 3
    with Receiver(always_fail=True) as receiver:
        subscription = subscribe(world, receiver)
        with run_tasks_here():
            case = report()
            case = services.whistle_case(case=case, actor=world.users["community"], note="需要执法")
        assert receiver.requests == 2
        beat(passes=3)
        subscription.refresh_from_db()
        assert subscription.paused_at is not None and subscription.failures == 3
        assert receiver.requests == 3  # paused at the third failure: nothing more is tried
        notices = Notification.objects.filter(kind=NotificationKind.WEBHOOK_PAUSED)
        assert [n.user for n in notices] == [world.users["district"]]
        assert "区指挥中心" in notices.get().text
        # While paused, new events are still recorded; none is sent.
        with run_tasks_here():
            services.dispatch_case(case=case, actor=world.users["street"], department=depts["城管局"])
        beat()
        assert receiver.requests == 3
        assert WebhookDelivery.objects.filter(delivered_at__isnull=True).count() == 3
        # Its keeper fixes the receiver and switches it on again: everything owed arrives, once.
        receiver.always_fail = False
        with run_tasks_here():
            webhooks.enable_subscription(actor=world.users["district"], subscription=subscription)
        beat()
    assert sorted(b["kind"] for b in receiver.taken) == ["created", "dispatched", "whistled"]
    subscription.refresh_from_db()
    assert subscription.sending and subscription.failures == 0
    assert Notification.objects.filter(kind=NotificationKind.WEBHOOK_PAUSED).count() == 1


def test_replay_sends_a_delivered_event_again_with_its_first_id(world, report, run_tasks_here):
    with Receiver() as receiver:
        subscription = subscribe(world, receiver)
        with run_tasks_here():
            case = report()
        delivery = WebhookDelivery.objects.get()
        with run_tasks_here():
            webhooks.replay_delivery(actor=world.users["district"], delivery=delivery)
        with run_tasks_here():
            since = timezone.now() - datetime.timedelta(days=1)
            assert webhooks.replay_since(actor=world.users["district"], subscription=subscription, since=since) == 1
    assert receiver.ids == [case.events.get().pk] * 3
    assert WebhookAttempt.objects.filter(delivery=delivery, ok=True).count() == 3
    assert AuditEntry.objects.filter(action="webhook.replay").count() == 2


def test_a_subscription_switched_off_records_nothing_new(world, report, run_tasks_here):
    with Receiver() as receiver:
        subscription = subscribe(world, receiver, kinds=["created"])
        webhooks.disable_subscription(actor=world.users["district"], subscription=subscription)
        with run_tasks_here():
            report()
    assert receiver.requests == 0 and not WebhookDelivery.objects.exists()


def test_only_who_keeps_the_owner_may_subscribe_for_it(world, depts):
    from django.core.exceptions import PermissionDenied

    for actor, owner in [
        ("street", {"district": world.areas["district"]}),
        ("community", {"district": world.areas["district"]}),
        ("sunk", {"department": depts["民政局"]}),  # a department's officer sunk into the grids
        ("officer", {"department": depts["民政局"]}),  # another department's officer
        ("district", {"district": world.areas["county"]}),  # another district
    ]:
        with pytest.raises(PermissionDenied):
            webhooks.create_subscription(
                actor=world.users[actor], name="x", url="https://example.org/h", kinds=ALL_KINDS, **owner
            )
    made, _secret = webhooks.create_subscription(
        actor=SYSTEM, name="县系统", url="https://example.org/h", kinds=["overdue"], district=world.areas["county"]
    )
    assert made.kinds == ["overdue"]


# The pages --------------------------------------------------------------------------------------


def test_district_staff_create_a_subscription_on_the_page_and_see_its_secret_once(world, client_for):
    client = client_for(world.users["district"])
    form = client.get(reverse("cases:webhook_create"))
    assert form.status_code == 200
    owners = re.findall(r'<option value="((?:district|department):\d+)"', form.content.decode())
    assert owners == [f"district:{world.areas['district'].pk}"]
    response = client.post(
        reverse("cases:webhook_create"),
        {
            "owner": owners[0],
            "name": "区热线平台",
            "url": "https://hotline.example.gov.cn/in",
            "kinds": ["created", "closed"],
        },
        follow=True,
    )
    subscription = WebhookSubscription.objects.get()
    assert response.redirect_chain[-1][0] == reverse("cases:webhook", args=[subscription.pk])
    page = response.content.decode()
    assert subscription.secret.startswith("whsec_") and subscription.secret in page
    assert subscription.kinds == ["created", "closed"]
    again = client.get(reverse("cases:webhook", args=[subscription.pk])).content.decode()
    assert subscription.secret not in again
    assert AuditEntry.objects.filter(action="webhook.create", target_id=str(subscription.pk)).exists()


def test_an_officer_sees_their_departments_subscriptions_and_nobody_elses(world, depts, client_for):
    mine, _ = webhooks.create_subscription(
        actor=world.users["officer"], name="城管系统", url="https://cg.example.org/h", kinds=ALL_KINDS,
        department=depts["城管局"],
    )  # fmt: skip
    theirs, _ = webhooks.create_subscription(
        actor=world.users["district"], name="区指挥中心", url="https://qu.example.org/h", kinds=ALL_KINDS,
        district=world.areas["district"],
    )  # fmt: skip
    client = client_for(world.users["officer"])
    listed = client.get(reverse("cases:webhook_list")).content.decode()
    assert "城管系统" in listed and "区指挥中心" not in listed
    assert client.get(reverse("cases:webhook", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("cases:webhook", args=[mine.pk])).status_code == 200
    street = client_for(world.users["street"])
    assert street.get(reverse("cases:webhook_list")).status_code == 404


def test_the_delivery_page_shows_each_try_and_replays(world, report, client_for, run_tasks_here):
    with Receiver(fail_first=1) as receiver:
        subscribe(world, receiver)
        with run_tasks_here():
            report()
        delivery = WebhookDelivery.objects.get()
        client = client_for(world.users["district"])
        page = client.get(reverse("cases:webhook_delivery", args=[delivery.pk])).content.decode()
        assert "busy, try later" in page and ">500<" in page
        with run_tasks_here():
            response = client.post(reverse("cases:webhook_delivery_replay", args=[delivery.pk]), {"confirm": "on"})
        assert response.status_code == 302
    assert receiver.ids == [delivery.event_id]
    page = client.get(reverse("cases:webhook_delivery", args=[delivery.pk])).content.decode()
    assert ">200<" in page and ">500<" in page


def test_a_keeper_pauses_and_re_enables_on_the_page(world, client_for):
    subscription, _ = webhooks.create_subscription(
        actor=world.users["district"], name="区指挥中心", url="https://qu.example.org/h", kinds=ALL_KINDS,
        district=world.areas["district"],
    )  # fmt: skip
    client = client_for(world.users["district"])
    assert client.get(reverse("cases:webhook_enable", args=[subscription.pk])).status_code == 404  # already on
    client.post(reverse("cases:webhook_disable", args=[subscription.pk]), {"confirm": "on"})
    subscription.refresh_from_db()
    assert not subscription.active
    client.post(reverse("cases:webhook_enable", args=[subscription.pk]), {"confirm": "on"})
    subscription.refresh_from_db()
    assert subscription.sending


def test_a_subscription_has_exactly_one_owner(world):
    """A subscription has exactly one owner: the database refuses both or neither."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookSubscription.objects.create(
            name="x", url="https://e.org", kinds=[], secret="s", district=world.areas["district"],
            department=Department.objects.first(),
        )  # fmt: skip


# The API ----------------------------------------------------------------------------------------


def test_a_script_subscribes_over_the_api_and_gets_the_secret_in_that_answer_only(world, depts, client_for):
    client = client_for(world.users["officer"])
    made = client.post(
        "/api/v1/webhook-subscriptions/",
        {
            "name": "城管系统",
            "department": depts["城管局"].pk,
            "url": "https://cg.example.org/h",
            "kinds": ["dispatched"],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    subscription = WebhookSubscription.objects.get()
    assert made.json()["secret"] == subscription.secret and subscription.kinds == ["dispatched"]
    listed = client.get("/api/v1/webhook-subscriptions/").json()
    assert [row["id"] for row in listed["results"]] == [subscription.pk]
    assert "secret" not in listed["results"][0]
    assert "secret" not in client.get(f"/api/v1/webhook-subscriptions/{subscription.pk}/").json()
    other = client_for(world.users["officer_mz"])
    assert other.get(f"/api/v1/webhook-subscriptions/{subscription.pk}/").status_code == 404
    refused = other.post(
        "/api/v1/webhook-subscriptions/",
        {"name": "x", "department": depts["城管局"].pk, "url": "https://x.example.org/h", "kinds": ["created"]},
        content_type="application/json",
    )
    # Another department is not among its choices: refused like one that does not exist.
    assert refused.status_code == 400 and WebhookSubscription.objects.count() == 1


def test_a_receiver_must_speak_tls_unless_plain_http_is_allowed(world, settings):
    from django.core.exceptions import ValidationError

    settings.WEBHOOK_REQUIRE_HTTPS = True
    with pytest.raises(ValidationError) as refused:
        webhooks.create_subscription(
            actor=world.users["district"], name="x", url="http://qu.example.org/h", kinds=ALL_KINDS,
            district=world.areas["district"],
        )  # fmt: skip
    assert refused.value.message_dict == {"url": ["接收地址须为 https 地址"]}
    assert not WebhookSubscription.objects.exists()
