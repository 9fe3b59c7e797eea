"""Resolves the caller's scope once per request and turns the scope guard on while the view runs."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

from core import db_routing, request_context
from core.scope import scope_for
from core.scoping import guard_on

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Set on the response to any write; while the browser keeps it, it reads the primary only.
PIN_COOKIE = "gridgov_primary"


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


class ReplicaReadsMiddleware:
    """Lets the views in REPLICA_READ_VIEWS read the replica (core.db_routing), unless the browser
    wrote something in the last REPLICA_PIN_SECONDS.

    A write's own request never reads the replica after it (the router pins it); the page it
    redirects to is another request, perhaps on another machine, so the writing response sets a
    short-lived cookie and every request carrying it reads the primary. A cookie rather than a
    note in a process or in Redis: it reaches whichever web process serves the next request and
    costs nothing to look up. A request without it meets a replica at most the replication lag
    behind, which the declared views accept.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.views = frozenset(settings.REPLICA_READ_VIEWS)

    def __call__(self, request):
        if not db_routing.replica_configured():
            return self.get_response(request)
        with db_routing.request_reads():
            response = self.get_response(request)
            if request.method not in SAFE_METHODS or db_routing.wrote_in_request():
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=settings.REPLICA_PIN_SECONDS,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Lax",
                )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method in SAFE_METHODS
            and PIN_COOKIE not in request.COOKIES
            and match is not None
            and match.view_name in self.views
        ):
            db_routing.allow_lag()
