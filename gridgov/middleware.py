"""Resolves the caller's scope once per request and turns the scope guard on while the view runs."""

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
