"""Resolves the caller's scope once per request and turns the scope guard on while the view runs."""

from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

from core import request_context
from core.scope import scope_for
from core.scoping import guard_on


class ScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Lazy: a page that never asks (the log-in page, a resident's QR page) costs no query.
        request.scope = SimpleLazyObject(lambda: scope_for(request.user))
        with guard_on():
            return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Nothing a signed-in user is shown may be kept by a browser or a proxy cache.

    The rule is "every response to a signed-in user", pages, API and admin alike, rather than a
    list of views with personal data: a new view is covered without anyone remembering to mark
    it. Static files never get here (WhiteNoise answers them earlier) and keep their caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class RequestContextMiddleware:
    """Names the request (its id and the client's address) for every audit entry written while it runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        context = request_context.for_request(request)
        request.request_id = context.request_id
        with request_context.bound(context):
            response = self.get_response(request)
        # The same id in the response lets a support call be matched to the log lines and audit rows.
        response["X-Request-ID"] = context.request_id
        return response
