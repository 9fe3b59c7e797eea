"""Every write to subscriptions: who keeps an owner's subscriptions (a district's command-centre
staff, a department's officers: MANAGE_WEBHOOKS) creates, edits, switches off and on, renews the
secret and replays deliveries; each write audited. A subscription outside the actor's keeping is
PermissionDenied, which the pages answer with a 404."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import WebhookDelivery, WebhookKind, WebhookSubscription
from cases.webhooks import outbox
from core import audit
from core.capabilities import Capability
from core.scope import ADMIN, scope_for
from core.scoping import full_clean

SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker, so a pasted secret is recognised
FIELDS = ["name", "url", "kinds", "district", "department", "active"]


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _capacity(actor, *, district_id: int | None, department_id: int | None) -> str:
    """The role in which the actor keeps this owner's subscriptions, or PermissionDenied."""
    scope = scope_for(actor)
    if scope.unrestricted:
        return ADMIN
    for post in scope.posts:
        if Capability.MANAGE_WEBHOOKS not in scope.role_capabilities.get(post.role, ()):
            continue
        if (district_id and post.area_id == district_id) or (department_id and post.department_id == department_id):
            return post.role
    raise PermissionDenied(_("您的岗位不能管理该事件订阅"))


def _of(actor, subscription: WebhookSubscription) -> str:
    return _capacity(actor, district_id=subscription.district_id, department_id=subscription.department_id)


def _clean_url(url: str) -> str:
    if settings.WEBHOOK_REQUIRE_HTTPS and not url.lower().startswith("https://"):
        raise ValidationError({"url": [_("接收地址须为 https 地址")]}, code="https_required")
    return url


def _clean_kinds(kinds) -> list[str]:
    kinds = [kind for kind in WebhookKind.values if kind in set(kinds)]
    if not kinds:
        raise ValidationError({"kinds": [_("请至少选择一种事件")]}, code="required")
    return kinds


@transaction.atomic
def create_subscription(
    *, actor, name: str, url: str, kinds, district=None, department=None
) -> tuple[WebhookSubscription, str]:
    """A new subscription and its secret, which the caller shows once: it is kept encrypted, for signing."""
    if (district is None) == (department is None):
        raise ValidationError(_("须填区县或部门之一"), code="one_owner")
    role = _capacity(
        actor, district_id=district.pk if district else None, department_id=getattr(department, "pk", None)
    )
    secret = new_secret()
    subscription = WebhookSubscription(
        name=name.strip(),
        url=_clean_url(url),
        kinds=_clean_kinds(kinds),
        district=district,
        department=department,
        secret=secret,
    )
    full_clean(subscription)
    subscription.save()
    audit.record(actor=actor, action="webhook.create", target=subscription, fields=FIELDS, capacity=role)
    return subscription, secret


@transaction.atomic
def update_subscription(*, actor, subscription: WebhookSubscription, name: str, url: str, kinds) -> WebhookSubscription:
    role = _of(actor, subscription)
    subscription = WebhookSubscription.objects.reread(subscription).select_for_update().get()
    subscription.name, subscription.url, subscription.kinds = name.strip(), _clean_url(url), _clean_kinds(kinds)
    full_clean(subscription)
    subscription.save(update_fields=["name", "url", "kinds"])
    audit.record(
        actor=actor, action="webhook.change", target=subscription, fields=["name", "url", "kinds"], capacity=role
    )
    return subscription


@transaction.atomic
def disable_subscription(*, actor, subscription: WebhookSubscription) -> WebhookSubscription:
    """Switched off by its owner: no new event is recorded for it; what is owed stays owed."""
    role = _of(actor, subscription)
    WebhookSubscription.objects.reread(subscription).update(active=False)
    audit.record(actor=actor, action="webhook.disable", target=subscription, fields=["active"], capacity=role)
    return WebhookSubscription.objects.reread(subscription).get()


@transaction.atomic
def enable_subscription(*, actor, subscription: WebhookSubscription) -> WebhookSubscription:
    """On again (after its owner switched it off, or after a run of failures paused it): the run
    starts from nought and whatever is owed goes out now."""
    role = _of(actor, subscription)
    WebhookSubscription.objects.reread(subscription).update(active=True, paused_at=None, failures=0)
    audit.record(
        actor=actor, action="webhook.enable", target=subscription, fields=["active", "paused_at", "failures"],
        capacity=role,
    )  # fmt: skip
    owed = subscription.deliveries.filter(delivered_at__isnull=True)
    owed.update(next_try_at=timezone.now())
    outbox.queue(list(owed.only("pk")))
    return WebhookSubscription.objects.reread(subscription).get()


@transaction.atomic
def rotate_secret(*, actor, subscription: WebhookSubscription) -> tuple[WebhookSubscription, str]:
    """A new secret, shown once; every try from now on is signed with it, the owed ones too."""
    role = _of(actor, subscription)
    secret = new_secret()
    subscription = WebhookSubscription.objects.reread(subscription).select_for_update().get()
    subscription.secret = secret
    subscription.save(update_fields=["secret"])
    audit.record(actor=actor, action="webhook.rotate_secret", target=subscription, fields=["secret"], capacity=role)
    return subscription, secret


def _replay(actor, subscription: WebhookSubscription, rows, target) -> int:
    role = _of(actor, subscription)
    if not subscription.sending:
        raise ValidationError(_("该订阅未启用或已暂停,请先启用"), code="not_sending")
    ids = list(rows.values_list("pk", flat=True))
    WebhookDelivery.objects.unscoped("the subscription's own deliveries, read through it").filter(pk__in=ids).update(
        delivered_at=None, next_try_at=timezone.now()
    )
    audit.record(actor=actor, action="webhook.replay", target=target, fields=["delivered_at"], capacity=role)
    outbox.queue([WebhookDelivery(pk=pk) for pk in ids])
    return len(ids)


@transaction.atomic
def replay_since(*, actor, subscription: WebhookSubscription, since: datetime.datetime) -> int:
    """Sends again every delivery recorded since then, arrived or not, with its first event id: a
    receiver that lost what it was sent takes it again and drops what it has."""
    return _replay(actor, subscription, subscription.deliveries.filter(created_at__gte=since), subscription)


@transaction.atomic
def replay_delivery(*, actor, delivery: WebhookDelivery) -> WebhookDelivery:
    _replay(actor, delivery.subscription, delivery.subscription.deliveries.filter(pk=delivery.pk), delivery)
    return WebhookDelivery.objects.reread(delivery).select_related("subscription", "event__case").get()
