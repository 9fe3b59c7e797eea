"""Sign-in throttling (django-axes): whose address a failure counts against, and the page a
locked-out sign-in gets."""

from django.conf import settings
from django.shortcuts import render

from core import request_context
from core.masking import mask_typed_name


def client_address(request) -> str | None:
    # The same address the audit log and the QR page's limits use: the trusted proxy's word, or the peer's.
    return request_context.client_address(request.META)


def typed_username(request, credentials) -> str:
    # What a failure is counted against and stored under: an ID or phone typed as the name is kept
    # masked, as in the audit log (a plain pg_dump of the lockout table showed it in full).
    return mask_typed_name((credentials or {}).get("username"))


def lockout_page(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets: the same for an account that exists and one that does not."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"lockout_minutes": minutes}, status=429)
