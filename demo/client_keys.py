"""The demo's client key: a fictional 12345 hotline platform's, at district level in 金川区, with a
fixed secret printed by load_demo beside the log-ins so a newcomer can call the API as that system,
and the platform's subscription to every case event of the district, made by the key itself.

Published on purpose, like the demo password: nothing here may reach a real installation."""

from datetime import timedelta

from django.utils import timezone

from cases.models import WebhookKind, WebhookSubscription
from cases.webhooks import services as webhooks
from core.api_tokens import CLIENT, digest
from core.scope import SYSTEM
from grids.models import Area
from orgs import client_keys
from orgs.models import ClientKey

DEMO_HOTLINE_NAME = "12345热线平台(演示)"
DEMO_HOTLINE_KEY = CLIENT + ("demo-12345-hotline-" * 3)[:43]
# A fictional receiver (.invalid never resolves): switched off, so the demo sends nothing into the
# void; point it at a real receiver on the subscription's page and switch it on.
DEMO_HOTLINE_HOOK = "https://hotline.example.invalid/gridgov/events"


def issue(district: Area) -> None:
    """Once: a second load finds the key by its secret and adds nothing."""
    if ClientKey.objects.filter(digest=digest(DEMO_HOTLINE_KEY)).exists():
        return
    client_keys.create_client_key(
        actor=SYSTEM,
        name=DEMO_HOTLINE_NAME,
        district=district,
        expires_on=timezone.localdate() + timedelta(days=client_keys.DEFAULT_DAYS),
        secret=DEMO_HOTLINE_KEY,
    )


def subscribe(district: Area) -> None:
    """Once, after the demo's cases are in (so loading them sends nothing): the hotline's own
    subscription to every status change of the district's cases, switched off."""
    key = ClientKey.objects.select_related("account").get(digest=digest(DEMO_HOTLINE_KEY))
    if WebhookSubscription.objects.filter(district=district, name=DEMO_HOTLINE_NAME).exists():
        return
    subscription, _secret = webhooks.create_subscription(
        actor=key.account, name=DEMO_HOTLINE_NAME, url=DEMO_HOTLINE_HOOK, kinds=WebhookKind.values, district=district
    )
    webhooks.disable_subscription(actor=key.account, subscription=subscription)
