"""The product's answer while the database is unreachable (a restart, a failover): 503 with
Retry-After, a page for people and JSON for the API, instead of the 500 page and its log noise
being the only trace; and, in the API's error shape (core.api_errors) like every other, the API's
404 for a path that names nothing and 400 for a request Django refuses before any view. The
connection recovers by itself: CONN_HEALTH_CHECKS makes the next request test a kept connection
and open a new one when the old one died with the server."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.exceptions import NotFound

from core import api_errors

RETRY_AFTER_SECONDS = 30


def server_error(request):
    """Django's handler500: called inside the `except` around the failed request, wherever in the
    middleware or view the error was raised, so the exception is the one being handled."""
    exc = sys.exc_info()[1]
    if not isinstance(exc, OperationalError | InterfaceError):
        return defaults.server_error(request)
    if request.path.startswith("/api/"):
        response = JsonResponse(api_errors.body("unavailable", _("服务暂时不可用,请稍后再试")), status=503)
    else:
        # Rendered without the request: a context processor would read the user from the database.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def page_not_found(request, exception):
    """Django's handler404: an API path the router does not know answers like an object outside
    the caller's scope, in JSON; every other path gets the page."""
    if request.path.startswith("/api/"):
        return JsonResponse(api_errors.body("not_found", str(NotFound.default_detail)), status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """Django's handler400, for what Django refuses before any view (too many fields or files, a
    body over the upload limits, a host not allowed): the API's error shape on the API's paths."""
    if request.path.startswith("/api/"):
        return JsonResponse(api_errors.body("bad_request", _("请求内容超出限制或格式不正确")), status=400)
    return defaults.bad_request(request, exception)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the product's page in the user's language instead of Django's English one;
    rendered without the request's context, so it reads nothing from the database."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html"))
