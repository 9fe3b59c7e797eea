"""Finding 9: schemathesis calls every operation of the OpenAPI schema (the committed
docs/openapi.yaml, which tests/api/test_openapi_schema.py holds to the code) over WSGI, as the
admin and as a scoped user (street S1), with generated valid and invalid inputs. No answer may be
a server error, and every documented answer matches
its schema and content type.

Not checked: status-code conformance (drf-spectacular documents no 400/403/404, so every refusal
would count) and the positive/negative data checks that follow from it. The schema declares no
OpenAPI links, so there is no stateful run. Each test runs in pytest-django's rolled-back
transaction (the world fixture), and the WSGI handler answers in the same thread on the same
connection, so the generated writes never outlive their test."""

import secrets
from pathlib import Path

import pytest
import schemathesis
import werkzeug.test
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.sign_in import force_login_verified

pytestmark = pytest.mark.fuzz


@pytest.fixture(params=["admin", "street"])
def persona(request, world):
    return world.users[request.param]


# The committed schema, as a client's author reads it (the app serves it to signed-in callers
# only), sent to the real WSGI handler, so CSRF is enforced as in production: the requests carry
# a matching cookie and header.
schema = schemathesis.openapi.from_path(Path(settings.BASE_DIR) / "docs" / "openapi.yaml")
schema.app = WSGIHandler()


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Django's test client does this too: a real handler closes the connection at each request's
    start and end when it is not in autocommit, which on PostgreSQL would drop the test's
    transaction (and the world with it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def signed_in(persona) -> dict:
    """The persona's session cookie, and a CSRF cookie with the header that must match it."""
    client = Client()
    force_login_verified(client, persona)
    csrf = secrets.token_hex(16)
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
    return {"cookies": {**cookies, settings.CSRF_COOKIE_NAME: csrf}, "headers": {"X-CSRFToken": csrf}}


CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@schema.parametrize()
@hypothesis_settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case, signed_in):
    # The schema documents the token scheme, so a generated case may carry a made-up bearer token
    # (or session cookie), which would end every such call at a 401 before any view: the
    # persona's session is sent instead, and the call must get past authentication.
    if case.headers:
        case.headers.pop("Authorization", None)
    if case.cookies:
        case.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    response = case.call_and_validate(**signed_in, checks=CHECKS)
    assert response.status_code != 401, response.text[:500]


def test_the_generated_requests_are_signed_in_and_pass_csrf(signed_in):
    """Without this the fuzzing above could pass on nothing but 403s."""
    client = werkzeug.test.Client(schema.app)
    for name, value in signed_in["cookies"].items():
        client.set_cookie(name, value)
    assert client.get("/api/v1/areas/").status_code == 200
    refused = client.post("/api/v1/cases/", json={}, headers=signed_in["headers"])
    assert refused.status_code == 400, refused.get_data()  # the missing fields, not a CSRF 403
