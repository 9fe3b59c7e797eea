"""One client address for the audit log, the sign-in lockout and the QR page's limits: the
address the trusted proxy reports, or the socket's peer when the request came from anyone else."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def clerk():
    return User.objects.create_user("clerk", password=PASSWORD)


def _sign_in(client, password, forwarded, remote=PROXY):
    form = {"username": "clerk", "password": password}
    return client.post(reverse("login"), form, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)


def test_behind_the_trusted_proxy_a_lockout_holds_only_the_forwarded_address(clerk, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(Client(), "wrong-password", "198.51.100.1")
    assert _sign_in(Client(), PASSWORD, "198.51.100.1").status_code == 429
    elsewhere = Client()
    _sign_in(elsewhere, PASSWORD, "198.51.100.2")
    assert SESSION_KEY in elsewhere.session
    assert AuditEntry.objects.filter(action="auth.login").get().client_address == "198.51.100.2"


def test_a_forwarded_for_from_an_untrusted_peer_does_not_escape_the_lockout(clerk, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(Client(), "wrong-password", f"192.0.2.{n}", remote="203.0.113.7")
    assert _sign_in(Client(), PASSWORD, "192.0.2.99", remote="203.0.113.7").status_code == 429
