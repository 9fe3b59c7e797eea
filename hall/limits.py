"""How often a building's QR plate may be used to apply for a service: as cases.resident_limits
counts reports (per address for the plate, per device, and the building's ceiling in the
database), with the same numbers (QR_REPORTS_PER_*) but counters of their own, so applying for a
service never uses up a resident's reports or the other way round."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from redis.exceptions import RedisError

from cases.models import DoorPlate
from core.request_context import client_address
from hall.models import ServiceRequest, Source

WINDOW = timedelta(hours=1)

log = logging.getLogger(__name__)


def _count(key: str) -> int:
    cache.add(key, 0, timeout=int(WINDOW.total_seconds()))
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, timeout=int(WINDOW.total_seconds()))
        return 1


def over_limit(request, *, plate: DoorPlate, device: str) -> bool:
    address = client_address(request.META) or "unknown"
    try:
        over = (
            _count(f"hall-address:{plate.token}:{address}") > settings.QR_REPORTS_PER_ADDRESS
            or _count(f"hall-device:{device}") > settings.QR_REPORTS_PER_DEVICE
        )
    except RedisError as exc:
        log.warning("QR service counters unavailable, letting the request through: %s", exc.__class__.__name__)
        over = False
    recent = ServiceRequest.objects.unscoped("how many the plate's building sent this hour: a count")
    recent = recent.filter(building=plate.building, source=Source.QR, received_at__gte=timezone.now() - WINDOW)
    return over or recent.count() >= settings.QR_REPORTS_PER_BUILDING
