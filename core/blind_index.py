"""Keyed hash (blind index) so an encrypted value can be found by exact match."""

import hashlib
import hmac

from django.conf import settings


def blind_index(value: str) -> str:
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
