"""Finding 1: thirty wrong passwords then the right one logged in, for `admin` too. Failures now
count per account and address together, so the locked account still signs in from elsewhere."""

from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
HERE, ELSEWHERE = "10.0.0.1", "10.0.0.2"


@pytest.fixture
def admin():
    return User.objects.create_user("admin", password=PASSWORD, is_staff=True, is_superuser=True)


def _sign_in(client, username, password, *, address=HERE, url=None, **extra):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def _signed_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.mark.parametrize("url", [None, "/admin/login/"], ids=["login-page", "admin-login"])
def test_thirty_wrong_passwords_lock_the_account_at_that_address(admin, url):
    client = Client()
    for _ in range(30):
        _sign_in(client, "admin", "wrong-password", url=url)
    response = _sign_in(client, "admin", PASSWORD, url=url)
    assert response.status_code == 429
    assert not _signed_in(client)


def test_the_locked_account_still_signs_in_from_another_address(admin):
    for _ in range(30):
        _sign_in(Client(), "admin", "wrong-password", address=HERE)
    elsewhere = Client()
    response = _sign_in(elsewhere, "admin", PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302
    assert _signed_in(elsewhere)


def test_another_account_still_signs_in_from_the_same_address(admin):
    User.objects.create_user("grid_a", password=PASSWORD)
    for _ in range(30):
        _sign_in(Client(), "admin", "wrong-password")
    client = Client()
    assert _sign_in(client, "grid_a", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_a_few_mistakes_do_not_lock_and_a_success_resets_the_count(admin, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "admin", "wrong-password")
    assert _sign_in(client, "admin", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "admin", "wrong-password")
    assert _sign_in(client, "admin", PASSWORD).status_code == 302


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(admin):
    wrong = _sign_in(Client(), "admin", "wrong-password")
    unknown = _sign_in(Client(), "nobody", "wrong-password")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_an_unknown_user_costs_a_password_hash_like_a_wrong_password(admin):
    # No early return for a name that does not exist: the same hashing work in both cases.
    counts = {}
    for username in ["admin", "nobody"]:
        with mock.patch.object(MD5PasswordHasher, "encode", autospec=True, side_effect=MD5PasswordHasher.encode) as enc:
            _sign_in(Client(), username, "wrong-password")
        counts[username] = enc.call_count
    assert counts["admin"] == counts["nobody"] >= 1


def test_an_unknown_user_is_locked_out_like_a_known_one(admin, settings):
    for username in ["admin", "nobody"]:
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _sign_in(client, username, "wrong-password")
        response = _sign_in(client, username, "wrong-password")
        assert response.status_code == 429
        assert "登录已暂停" in response.content.decode()


def test_the_lockout_page_is_ours_in_chinese_with_english_available(admin, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(Client(), "admin", "wrong-password")
    chinese = _sign_in(Client(), "admin", PASSWORD).content.decode()
    english = _sign_in(Client(), "admin", PASSWORD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "登录已暂停" in chinese and "30 分钟" in chinese
    assert "Sign-in paused" in english and "30 minutes" in english
    assert 'href="/accounts/login/"' in chinese
