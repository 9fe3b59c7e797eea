"""The request body limit (settings.MAX_UPLOAD_BYTES), answered from the Content-Length header
before anything reads the body: Django parses a multipart form, writing its files out, the
first time anyone (the CSRF check included) asks for request.POST."""

from django.conf import settings
from django.shortcuts import render


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _declared_length(request.META) > settings.MAX_UPLOAD_BYTES:
            return render(
                request,
                "core/request_too_large.html",
                {"limit_mb": settings.MAX_UPLOAD_BYTES // 2**20},
                status=413,
            )
        return self.get_response(request)


def _declared_length(meta) -> int:
    # Django reads no body at all without a valid Content-Length, so a missing or malformed one is 0.
    try:
        return max(int(meta.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0
