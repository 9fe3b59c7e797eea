"""The demo's client key: a fictional 12345 hotline platform's, at district level in 金川区, with a
fixed secret printed by load_demo beside the log-ins so a newcomer can call the API as that system.

Published on purpose, like the demo password: nothing here may reach a real installation."""

from datetime import timedelta

from django.utils import timezone

from core.api_tokens import CLIENT, digest
from core.scope import SYSTEM
from grids.models import Area
from orgs import client_keys
from orgs.models import ClientKey

DEMO_HOTLINE_NAME = "12345热线平台(演示)"
DEMO_HOTLINE_KEY = CLIENT + ("demo-12345-hotline-" * 3)[:43]


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
