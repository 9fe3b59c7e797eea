"""How often the QR door plates may be used. A resident has no account, so a report is counted
against three things: the client's address for that plate (the address the trusted proxy
reports, core.request_context), the device's cookie, and the building as a whole.

The first two live in the cache and count every attempt, valid or not: each one may carry photos
to decode. When the cache cannot be reached they let reports through and say so in the log,
because a resident's report matters more than the counter. The building's ceiling counts cases
in the database, so it holds whatever the cache does.

The tracking page's look-ups are counted per address, and per case number too: four digits are
guessed in at most ten thousand tries, so no number may be tried more than a few times an hour
from wherever the tries come."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from redis.exceptions import RedisError

from cases import selectors
from cases.models import DoorPlate
from core.request_context import client_address

WINDOW = timedelta(hours=1)

log = logging.getLogger(__name__)


def _count(key: str) -> int:
    cache.add(key, 0, timeout=int(WINDOW.total_seconds()))
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr: this is the new window's first
        cache.add(key, 1, timeout=int(WINDOW.total_seconds()))
        return 1


def _over_counters(request, plate: DoorPlate, device: str) -> bool:
    address = client_address(request.META) or "unknown"
    try:
        by_address = _count(f"qr-address:{plate.token}:{address}")
        by_device = _count(f"qr-device:{device}")
    except RedisError as exc:
        log.warning("QR report counters unavailable, letting the report through: %s", exc.__class__.__name__)
        return False
    return by_address > settings.QR_REPORTS_PER_ADDRESS or by_device > settings.QR_REPORTS_PER_DEVICE


def over_limit(request, *, plate: DoorPlate, device: str) -> bool:
    """Asked before the request's body is read: a refused report costs no upload parsing or decoding."""
    over = _over_counters(request, plate, device)
    recent = selectors.resident_reports_since(plate.building, timezone.now() - WINDOW)
    return over or recent >= settings.QR_REPORTS_PER_BUILDING


def tracking_over_limit(request, *, number: str) -> bool:
    """Asked before a look-up is made; `number` is the case number typed, or "" for a 查询码."""
    address = client_address(request.META) or "unknown"
    try:
        over = _count(f"track-address:{address}") > settings.TRACK_LOOKUPS_PER_ADDRESS
        if number:
            over = _count(f"track-number:{number}") > settings.TRACK_LOOKUPS_PER_NUMBER or over
    except RedisError as exc:
        log.warning("tracking look-up counters unavailable, letting the look-up through: %s", exc.__class__.__name__)
        return False
    return over
