"""Recording and sending deliveries.

Recorded in the step's transaction: a step that rolls back owes no receiver anything, one that
commits owes each subscription that wants the event exactly one delivery (a unique row), with its
body fixed then, so every try and every replay sends the same bytes with the same event id.

Sent by a task queued after the commit, and by beat's pass every minute for what failed (after
its wait: 2, 4, 8 … minutes, then hourly) or what the queue lost. No Celery retries: the row says
itself what is owed, so a broker outage or a dead worker loses nothing. A delivery is claimed by a
conditional update before it is posted, and the claim commits only with the outcome: a task run
twice posts nothing twice (the second waits on the row, then finds it delivered or tried)."""

import datetime
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    Case,
    CaseEvent,
    Notification,
    NotificationKind,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
    kinds_of,
)
from core.after_commit import enqueue_on_commit
from core.bulk import MANY, bulk_insert
from core.capabilities import Capability
from core.logmask import mask_numbers
from orgs.capabilities import roles_with
from orgs.models import Post

log = logging.getLogger(__name__)

# The task queued at commit tries first; beat's pass leaves a new row alone this long.
PENDING_AFTER = datetime.timedelta(minutes=1)
LONGEST_WAIT = datetime.timedelta(hours=1)
PENDING_BATCH = 500
READ_AT_MOST = 2048  # bytes of the receiver's answer read, of which the attempt keeps the start
SIGNATURE_HEADER = "X-GridGov-Signature"
TIMESTAMP_HEADER = "X-GridGov-Timestamp"
EVENT_HEADER = "X-GridGov-Event"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `timestamp + "." + body`, keyed by the subscription's secret."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _when(value) -> str | None:
    return value.isoformat() if value else None


def payload(case: Case, event: CaseEvent, kind: str, kinds: list[str]) -> dict:
    """The event and the case's public fields: no reporter, phone or tracking code, and whole ID
    or phone numbers in the texts masked, as in every message that leaves the system."""
    return {
        "id": event.pk,
        "kind": kind,
        "kinds": kinds,
        "action": event.action,
        "at": _when(event.at),
        "note": mask_numbers(event.note),
        "case": {
            "number": case.number,
            "status": case.status,
            "category": case.category.code,
            "category_name": case.category.name,
            "colour": case.colour,
            "importance": case.importance,
            "urgency": case.urgency,
            "level": case.level,
            "source": case.source,
            # The referring system's own reference (the 12345 工单号), so it finds its case again.
            "external_ref": case.external_ref or None,
            "place": {"code": case.area.code, "name": case.area.name},
            "district": case.district.code,
            "department": case.department.code if case.department_id else None,
            "description": mask_numbers(case.description),
            "created_at": _when(case.created_at),
            "response_due": _when(case.response_due),
            "resolution_due": _when(case.resolution_due),
            "closed_at": _when(case.closed_at),
            "rating": case.rating or None,
        },
    }


def _candidates(cases: list[Case]):
    """The subscriptions whose owner may hold one of the cases: its district, or its lead or an
    assisting department (the same columns Case.in_scope reads); paused ones too, so nothing is
    lost."""
    ids = [case.pk for case in cases]
    assisting = Case.assisting.through.objects.filter(case_id__in=ids).values("department_id")
    owners = Q(district_id__in={case.district_id for case in cases}) | Q(department__in=assisting)
    owners |= Q(department_id__in={case.department_id for case in cases if case.department_id})
    found = WebhookSubscription.objects.unscoped("every subscription that may want a case's event")
    return found.filter(owners, active=True).select_related("district").order_by("pk")


def record_deliveries(case: Case, event: CaseEvent) -> list[int]:
    """One delivery for each subscription that wants this kind of event and whose owner's scope
    holds the case; queued for after the commit. Returns the ids recorded."""
    return record_all_deliveries([(case, event)])


def record_all_deliveries(told: list[tuple[Case, CaseEvent]]) -> list[int]:
    """`record_deliveries` for many events at once (the sweep's): a query for the subscriptions,
    and one for each subscription's view of the cases, however many events there are."""
    wanted = [(case, event, kinds) for case, event in told if (kinds := kinds_of(event))]
    if not wanted:
        return []
    subscriptions = list(_candidates([case for case, _event, _kinds in wanted]))
    seen = {}
    for subscription in subscriptions:
        ids = sorted({case.pk for case, _event, kinds in wanted if set(kinds) & set(subscription.kinds)})
        # What the owner would see on a page is exactly what it is sent.
        visible = Case.objects.within(subscription.owner_scope()).filter(pk__in=ids) if ids else Case.objects.none()
        seen[subscription.pk] = set(visible.values_list("pk", flat=True))
    made = []
    for case, event, kinds in wanted:
        for subscription in subscriptions:
            chosen = [kind for kind in kinds if kind in subscription.kinds]
            if not chosen or case.pk not in seen[subscription.pk]:
                continue
            body = json.dumps(payload(case, event, chosen[0], kinds), ensure_ascii=False, separators=(",", ":"))
            made.append(
                WebhookDelivery(
                    subscription=subscription,
                    event=event,
                    kind=chosen[0],
                    body=body,
                    next_try_at=timezone.now() + PENDING_AFTER,
                )
            )
    bulk_insert(made, copy_from=MANY)
    return queue(made)


def queue(deliveries) -> list[int]:
    from cases.tasks import deliver_webhooks

    ids = [d.pk for d in deliveries]
    if ids:
        enqueue_on_commit(deliver_webhooks, ids)
    return ids


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer that is no 2xx: the delivery is not taken to another address."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """One POST of the stored body, signed now; (status code or None, the answer's start)."""
    body = delivery.body.encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - http(s) only: the subscription's URLField
        delivery.subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "GridGov-Webhooks/1",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(delivery.subscription.secret, timestamp, body),
            EVENT_HEADER: str(delivery.event_id),
        },
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status, _snippet(response.read(READ_AT_MOST))
    except urllib.error.HTTPError as exc:  # an answer that is no 2xx (a redirect included)
        return exc.code, _snippet(exc.read(READ_AT_MOST))
    except (urllib.error.URLError, OSError, ValueError) as exc:  # no answer: refused, timed out, bad address
        return None, str(getattr(exc, "reason", exc))[: WebhookAttempt._meta.get_field("response").max_length]


def _snippet(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")[: WebhookAttempt._meta.get_field("response").max_length]


def _wait(attempts: int) -> datetime.timedelta:
    return min(PENDING_AFTER * 2 ** min(attempts, 6), LONGEST_WAIT)


def send_deliveries(ids: list[int]) -> int:
    """Posts each owed delivery of a subscription that is sending, once; returns how many arrived."""
    delivered = 0
    owed = WebhookDelivery.objects.unscoped("the webhook task sends the deliveries it was handed, by id")
    owed = owed.filter(pk__in=ids, delivered_at__isnull=True, subscription__active=True)
    for delivery in owed.filter(subscription__paused_at__isnull=True).select_related("subscription"):
        with transaction.atomic():
            # An earlier delivery of this batch may have paused it (or its owner switched it off).
            if not _subscription(delivery).filter(active=True, paused_at__isnull=True).exists():
                continue
            claim = WebhookDelivery.objects.reread(delivery).filter(
                delivered_at__isnull=True, attempts=delivery.attempts
            )
            now = timezone.now()
            if not claim.update(delivered_at=now, attempts=F("attempts") + 1):
                continue
            status, answer = post(delivery)
            ok = status is not None and 200 <= status < 300
            WebhookAttempt.objects.create(delivery=delivery, at=now, status_code=status, response=answer, ok=ok)
            if ok:
                _arrived(delivery)
                delivered += 1
            else:
                _failed(delivery, status, answer)
    return delivered


def _subscription(delivery: WebhookDelivery):
    return WebhookSubscription.objects.reread(delivery.subscription)


def _arrived(delivery: WebhookDelivery) -> None:
    _subscription(delivery).filter(failures__gt=0).update(failures=0)


def _failed(delivery: WebhookDelivery, status: int | None, answer: str) -> None:
    attempts = delivery.attempts + 1
    log.warning("webhook delivery %s to subscription %s failed (attempt %s): %s %s",
                delivery.pk, delivery.subscription_id, attempts, status, answer[:100])  # fmt: skip
    WebhookDelivery.objects.reread(delivery).update(delivered_at=None, next_try_at=timezone.now() + _wait(attempts))
    _subscription(delivery).update(failures=F("failures") + 1)
    limit = settings.WEBHOOK_MAX_FAILURES
    # Only the try that reaches the limit pauses it and tells, however many run at once.
    if _subscription(delivery).filter(paused_at__isnull=True, failures__gte=limit).update(paused_at=timezone.now()):
        _tell_paused(delivery)


def _tell_paused(delivery: WebhookDelivery) -> None:
    """An in-app notice to whoever keeps the owner's subscriptions (and so may re-enable it)."""
    subscription = delivery.subscription
    posts = Post.objects.unscoped("who keeps a paused subscription's owner").active()
    posts = posts.filter(role__in=sorted(roles_with(Capability.MANAGE_WEBHOOKS)), user__isnull=False)
    if subscription.district_id:
        posts = posts.filter(area_id=subscription.district_id)
    else:
        posts = posts.filter(department_id=subscription.department_id)
    users = sorted(set(posts.values_list("user_id", flat=True)))
    text = _("事件推送“%(name)s”连续失败%(count)s次,已暂停,请检查接收地址后重新启用") % {
        "name": subscription.name,
        "count": settings.WEBHOOK_MAX_FAILURES,
    }
    case = CaseEvent.objects.filter(pk=delivery.event_id).values_list("case_id", flat=True).get()
    Notification.objects.bulk_create(
        Notification(user_id=user, case_id=case, kind=NotificationKind.WEBHOOK_PAUSED, text=text[:200])
        for user in users
    )


def send_owed(now: datetime.datetime | None = None) -> int:
    """Beat's pass: owed deliveries of sending subscriptions whose time has come, oldest first."""
    owed = WebhookDelivery.objects.unscoped("beat's pass sends whatever webhook deliveries are owed")
    owed = owed.filter(
        delivered_at__isnull=True,
        next_try_at__lte=now or timezone.now(),
        subscription__active=True,
        subscription__paused_at__isnull=True,
    ).order_by("next_try_at", "pk")
    return send_deliveries(list(owed.values_list("pk", flat=True)[:PENDING_BATCH]))
