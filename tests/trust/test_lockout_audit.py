"""The lockout and its release in the audit log (等保 2.0: identification and lockout, security
audit), and the same answer for an unknown account as for a wrong password."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry, Result
from tests.sign_in import force_login_verified

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
HERE = "203.0.113.9"


@pytest.fixture
def clerk():
    return User.objects.create_user("clerk", password=PASSWORD)


def _sign_in(username, password, client=None):
    client = client or Client()
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=HERE)


def _lock(username="clerk"):
    from django.conf import settings

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(username, "wrong-password")


def _entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_the_lockout_is_recorded_once_when_it_starts(clerk):
    _lock()
    [lockout] = _entries("auth.lockout")
    assert (lockout.actor, lockout.username, lockout.result, lockout.client_address) == (
        None,
        "clerk",
        Result.REFUSED,
        HERE,
    )
    assert _sign_in("clerk", PASSWORD).status_code == 429
    _sign_in("clerk", "wrong-again")
    assert len(_entries("auth.lockout")) == 1
    assert len(_entries("auth.login_failed")) >= 6  # the attempts refused during the lock are failures


def test_a_release_by_command_is_recorded_as_the_systems(clerk):
    _lock()
    call_command("axes_reset_username", "clerk")
    [release] = _entries("auth.lockout_released")
    assert (release.actor, release.capacity, release.username) == (None, "system", "clerk")
    client = Client()
    _sign_in("clerk", PASSWORD, client)
    assert SESSION_KEY in client.session


def test_a_release_in_the_admin_is_recorded_with_the_administrator(clerk):
    admin = User.objects.create_superuser("root", password=PASSWORD)
    _lock()
    attempt = AccessAttempt.objects.get(username="clerk")
    client = Client()
    force_login_verified(client, admin)
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    [release] = _entries("auth.lockout_released")
    assert (release.actor, release.username) == (admin, "clerk")


def test_a_lock_whose_cool_off_has_passed_is_recorded_as_expired(clerk):
    _lock()
    AccessAttempt.objects.update(attempt_time=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    client = Client()
    _sign_in("clerk", PASSWORD, client)
    assert SESSION_KEY in client.session
    [expired] = _entries("auth.lockout_expired")
    assert expired.username == "clerk" and not _entries("auth.lockout_released")


def test_a_good_sign_in_under_the_limit_releases_nothing(clerk):
    _sign_in("clerk", "wrong-password")
    _sign_in("clerk", PASSWORD)
    assert not AccessAttempt.objects.exists()  # axes did clear the count
    assert not _entries("auth.lockout_released") and not _entries("auth.lockout_expired")


def _page(response, typed: str) -> str:
    # Each page carries a fresh CSRF token, and the form shows back the name that was typed.
    body = re.sub(r'value="[A-Za-z0-9]{64}"', 'value="CSRF"', response.content.decode())
    return body.replace(f'value="{typed}"', 'value="TYPED"')


def test_an_unknown_account_and_a_wrong_password_get_the_same_page_and_the_same_record(clerk):
    wrong = _sign_in("clerk", "wrong-password")
    unknown = _sign_in("nobody", "wrong-password")
    assert wrong.status_code == unknown.status_code == 200
    assert _page(wrong, "clerk") == _page(unknown, "nobody")
    assert 'value="CSRF"' in _page(wrong, "clerk") and 'value="TYPED"' in _page(wrong, "clerk")
    first, second = _entries("auth.login_failed")
    fields = ("actor", "capacity", "action", "target_type", "target_id", "fields", "result", "client_address")
    assert [getattr(first, f) for f in fields] == [getattr(second, f) for f in fields]
    assert (first.username, second.username, first.result) == ("clerk", "nobody", Result.FAILED)
