"""Telling people: an event's notifications (or a notice's, `tell`) and deliveries are recorded in
the step's own transaction (so a step that commits has told, and one that rolls back has told no
one), and the deliveries go out after the commit, each once however often its task arrives.

A delivery is claimed by a conditional update on `sent_at` and its attempts, and the claim
commits only with the hand-over: a task run twice sends nothing twice (the second claim waits on
the first's row lock, then finds it sent), and a channel that fails (SMTP down, an SMS provider
answering 500) gives the row back, under the same lock, with one more attempt and a later time,
so the delivery stays owed; beat's pass tries it again once its wait is over, and sends whatever
the queue lost."""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import (
    Case,
    CaseEvent,
    Channel,
    Delivery,
    Notification,
    NotificationKind,
    WorkChatHook,
    default_channels,
)
from cases.notifications.channels import CHANNELS
from cases.notifications.recipients import KIND_OF_ACTION, audiences_for, users_of
from core.after_commit import enqueue_on_commit
from core.bulk import MANY, bulk_insert
from core.identity import normalize_phone
from core.logmask import mask_numbers

log = logging.getLogger(__name__)

# Left for the task queued after its commit first; past this, that task is taken to be lost
# (the broker was down, or the worker died before it ran) and beat's pass sends the row.
PENDING_AFTER = datetime.timedelta(minutes=1)
PENDING_BATCH = 1000
LONGEST_WAIT = datetime.timedelta(hours=1)


def _text(case: Case, kind: str, note: str) -> str:
    label = NotificationKind(kind).label
    text = f"{case.number} {label}" + (f":{note}" if note else "")
    return text if len(text) <= 200 else text[:199] + "…"


def announce(case: Case, event: CaseEvent) -> list[int]:
    """Records who is told of this event (in-app) and what goes out to them through which channel;
    queues the sending for after the commit. Returns the deliveries recorded."""
    return announce_all([(case, event)])


def announce_all(told: list[tuple[Case, CaseEvent]]) -> list[int]:
    """`announce` for many events at once (the sweep's), in as many queries as for one. Whoever
    two audiences of an event share is told once, as the first names them; the actor is never
    told."""
    planned = []
    for case, event in told:
        kind = KIND_OF_ACTION.get(event.action)
        if kind is not None:
            planned += [(case, event, each_kind, audience) for each_kind, audience in audiences_for(case, event, kind)]
    if not planned:
        return []
    audiences = [audience for *_, audience in planned]
    first_try = timezone.now() + PENDING_AFTER
    notes, outbound_of, deliveries = [], {}, []
    already: dict[int, tuple[set, set]] = {}
    reached = zip(planned, users_of(audiences), hooks_of(audiences), strict=True)
    for (case, event, kind, _audience), users, hooks in reached:
        told_users, told_hooks = already.setdefault(event.pk, ({event.actor_id}, set()))
        users = [user for user in users if user.pk not in told_users]
        hooks = [hook for hook in hooks if hook.pk not in told_hooks]
        told_users.update(user.pk for user in users)
        told_hooks.update(hook.pk for hook in hooks)
        text = _text(case, kind, event.note)
        # What leaves the system (mail, SMS, a group robot) carries no whole ID or phone number.
        outbound = outbound_of[event.pk, kind] = _text(case, kind, mask_numbers(event.note))
        notes += [Notification(user=user, case=case, event=event, kind=kind, text=text) for user in users]
        deliveries += [
            Delivery(event=event, channel=Channel.WORK_CHAT, recipient=f"hook:{hook.pk}", kind=kind, hook=hook,
                     text=outbound, next_try_at=first_try)
            for hook in hooks
        ]  # fmt: skip
    bulk_insert(notes, copy_from=MANY)
    for note in notes:
        deliveries += _chosen_deliveries(note, outbound_of[note.event.pk, note.kind], first_try, event=note.event)
    return _queue(deliveries)


def hooks_of(audiences) -> list[list[WorkChatHook]]:
    """Each audience's active group robots, by id, all read in one query."""
    area_ids = sorted(set().union(*(a.area_ids for a in audiences)))
    department_ids = sorted(set().union(*(a.department_ids for a in audiences)))
    if not (area_ids or department_ids):
        return [[] for _ in audiences]
    hooks = WorkChatHook.objects.filter(active=True).filter(
        Q(area_id__in=area_ids) | Q(department_id__in=department_ids)
    )
    hooks = list(hooks.order_by("pk"))
    return [
        [hook for hook in hooks if hook.area_id in a.areas or hook.department_id in a.department_ids] for a in audiences
    ]


def _chosen_deliveries(note: Notification, outbound: str, first_try, **about) -> list[Delivery]:
    """A notification's deliveries through the channels its user chose for its kind (`about` is
    the event, or a notice's key)."""
    mine = getattr(note.user, "notification_settings", None)  # read with the user
    wants = mine.wants(note.kind) if mine else default_channels(note.kind)
    return [
        Delivery(channel=channel, recipient=f"user:{note.user_id}", kind=note.kind, notification=note,
                 text=outbound, next_try_at=first_try, **about)
        for channel in wants
        if (channel == Channel.EMAIL and note.user.email) or (channel == Channel.SMS and mine and mine.phone)
    ]  # fmt: skip


def _queue(deliveries: list[Delivery]) -> list[int]:
    from cases.tasks import deliver_notifications

    bulk_insert(deliveries, copy_from=MANY)
    ids = [d.pk for d in deliveries]
    if ids:
        enqueue_on_commit(deliver_notifications, ids)
    return ids


def tell(users, *, kind: str, text: str, link: str, key: str) -> list[int]:
    """A notice about something other than a case (a service request handed to someone): an inbox
    row for each active user that opens `link`, and their deliveries by the channels they chose,
    sent after the caller's transaction commits (a rollback tells no one). `key` says what the
    notice is about: whoever was told of it before is not told again. Returns the deliveries."""
    ids = sorted({user.pk for user in users})
    told = Notification.objects.unscoped("who was told of this notice before: its key").filter(key=key)
    people = get_user_model().objects.filter(pk__in=ids, is_active=True, client_key__isnull=True)
    people = people.exclude(pk__in=told.values("user_id")).select_related("notification_settings").order_by("pk")
    text = text if len(text) <= 200 else text[:199] + "…"
    notes = Notification.objects.bulk_create(
        [Notification(user=user, kind=kind, text=text, link=link, key=key) for user in people]
    )
    first_try = timezone.now() + PENDING_AFTER
    outbound = mask_numbers(text)
    return _queue([delivery for note in notes for delivery in _chosen_deliveries(note, outbound, first_try, key=key)])


def text_resident(phone: str | None, *, kind: str, text: str, key: str) -> int | None:
    """Texts a resident who has no account (the applicant of a service request) once per key,
    after the caller's transaction commits; returns the delivery's id, or None with no number."""
    if not phone:
        return None
    already = Delivery.objects.unscoped("whether this resident was texted of it before: its key")
    existing = already.filter(event__isnull=True, key=key, channel=Channel.SMS, recipient="applicant").first()
    if existing is not None:
        return existing.pk
    text = text if len(text) <= 300 else text[:299] + "…"
    delivery = Delivery(key=key, channel=Channel.SMS, recipient="applicant", kind=kind, phone=phone, text=text,
                        next_try_at=timezone.now() + PENDING_AFTER)  # fmt: skip
    return _queue([delivery])[0]


def send_tracking_code(case: Case, phone: str | None = None) -> int | None:
    """Texts the case's 查询码 to the resident who called it in (their number as given, or the one
    on the case), once per case, after the caller's transaction commits. Called inside the
    service that recorded the case; returns the delivery's id, or None with no number to send to.
    A number that is no mainland mobile number is a ValidationError, and nothing is recorded."""
    phone = normalize_phone(phone) if phone else case.reporter_phone
    if not phone:
        return None
    reported = case.events.order_by("at", "pk").first()
    text = _("您反映的问题已受理,案件编号%(number)s,查询码%(code)s,可凭查询码查询办理进度并评价。") % {
        "number": case.number,
        "code": case.tracking_code,
    }
    already = Delivery.objects.unscoped("whether this case's tracking code was texted before")
    existing = already.filter(event=reported, channel=Channel.SMS, recipient="reporter").first()
    if existing is not None:
        return existing.pk
    delivery = Delivery(event=reported, channel=Channel.SMS, recipient="reporter", kind=NotificationKind.TRACKING_CODE,
                        phone=phone, text=text, next_try_at=timezone.now() + PENDING_AFTER)  # fmt: skip
    return _queue([delivery])[0]


def _wait(attempts: int) -> datetime.timedelta:
    # 2, 4, 8 … minutes, then hourly: the exponent stops growing once the wait is the longest.
    return min(PENDING_AFTER * 2 ** min(attempts, 6), LONGEST_WAIT)


def send_deliveries(ids: list[int]) -> int:
    """Hands each owed delivery to its channel once; returns how many went out."""
    sent = 0
    owed = Delivery.objects.unscoped("the delivery task sends the deliveries it was handed, by id")
    related = ("notification__user__notification_settings", "hook")
    for delivery in owed.filter(pk__in=ids, sent_at__isnull=True).select_related(*related):
        with transaction.atomic():
            # The claim holds the row until this commits; a second task waiting on it finds it
            # sent, or failed with one more attempt (and so no longer the row it read): either way
            # it sends nothing, and a failure is retried only after its wait.
            claim = Delivery.objects.reread(delivery).filter(sent_at__isnull=True, attempts=delivery.attempts)
            if not claim.update(sent_at=timezone.now()):
                continue
            try:
                CHANNELS[delivery.channel].send(delivery)
            except Exception as exc:  # any channel's failure keeps this one owed; the others go on
                _failed(delivery, exc)
                continue
        sent += 1
    return sent


def _failed(delivery: Delivery, exc: Exception) -> None:
    attempts = delivery.attempts + 1
    log.warning(
        "delivery %s through %s failed (attempt %s): %s",
        delivery.pk, delivery.channel, attempts, exc, exc_info=not isinstance(exc, OSError),
    )  # fmt: skip
    Delivery.objects.reread(delivery).update(
        sent_at=None, attempts=attempts, next_try_at=timezone.now() + _wait(attempts), last_error=str(exc)[:200]
    )


def send_owed(now: datetime.datetime | None = None) -> int:
    """Beat's pass (every minute): deliveries still owed whose time to be tried has come, oldest
    first, a batch per pass; the next pass takes the rest."""
    owed = Delivery.objects.unscoped("beat's pass sends whatever deliveries are still owed")
    owed = owed.filter(sent_at__isnull=True, next_try_at__lte=now or timezone.now()).order_by("next_try_at", "pk")
    return send_deliveries(list(owed.values_list("pk", flat=True)[:PENDING_BATCH]))
