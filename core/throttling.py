"""The API's rate limits, on the Django cache (Redis in production, so every process counts
together): one budget per personal token, one per client key, one per anonymous address. Over
its budget a caller gets a 429 whose Retry-After says when to try again.

A signed-in browser is not limited here: its pages are, and its API calls are the pages' own.
The rates are settings (API_RATE_TOKEN, API_RATE_CLIENT_KEY, API_RATE_ANONYMOUS), in DRF's
"number/period" form.
"""

from rest_framework.exceptions import Throttled
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from core import request_context
from core.models import ApiCredential


class _CredentialThrottle(SimpleRateThrottle):
    model_name = ""

    def get_cache_key(self, request, view):
        auth = request.auth
        if not isinstance(auth, ApiCredential) or auth._meta.model_name != self.model_name:
            return None  # another throttle's caller
        # By the credential's prefix, which is random, not its id: a new token never inherits an
        # old one's count.
        return self.cache_format % {"scope": self.scope, "ident": auth.prefix}


class TokenThrottle(_CredentialThrottle):
    scope = "token"
    model_name = "apitoken"


class ClientKeyThrottle(_CredentialThrottle):
    scope = "client_key"
    model_name = "clientkey"


class AnonymousThrottle(SimpleRateThrottle):
    """By the client's address as the audit log sees it (behind a trusted proxy, the address the
    proxy saw), for the endpoints that let anonymous callers in."""

    scope = "anonymous"

    def allow_request(self, request, view):
        # Asked twice on most endpoints (AnonymousLimit below, then as a throttle): counted once.
        if getattr(request, "_anonymous_counted", False):
            return True
        request._anonymous_counted = True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        address = request_context.client_address(request.META) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": address}


class AnonymousLimit(BasePermission):
    """DRF asks the throttles after the permissions, so an anonymous caller of an endpoint that
    needs a log-in would get its 401 uncounted for ever; this first permission counts it first."""

    def has_permission(self, request, view):
        throttle = AnonymousThrottle()
        if not throttle.allow_request(request, view):
            raise Throttled(throttle.wait())
        return True
