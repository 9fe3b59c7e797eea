"""Two-factor sign-in: admins and holders of the reveal permission enrol before anything else,
then give a code from their authenticator (or a recovery code, once) after every password."""

import time
from base64 import b32decode

import pytest
from django.contrib.admin import site
from django.contrib.auth.models import Permission, User
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import two_factor
from core.models import AuditEntry, Result

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
ENROL, VERIFY = reverse("two_factor_enrol"), reverse("two_factor_verify")


@pytest.fixture
def alice():
    """Can open admin."""
    return User.objects.create_user("alice", password=PASSWORD, is_staff=True, is_superuser=True)


@pytest.fixture
def carol():
    """May reveal residents' ID numbers and phones."""
    user = User.objects.create_user("carol", password=PASSWORD)
    user.user_permissions.add(Permission.objects.get(codename="view_sensitive"))
    return user


@pytest.fixture
def bob():
    """Neither."""
    return User.objects.create_user("bob", password=PASSWORD)


def _sign_in(user) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _enrolled(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name=two_factor.AUTHENTICATOR)
    return device, two_factor._new_recovery_codes(user)


def _code(key: bytes, *, seconds_ago: int = 0) -> str:
    totp = TOTP(key)
    totp.time = time.time() - seconds_ago
    return f"{totp.token():06d}"


def _actions(user, action: str) -> list[str]:
    return list(AuditEntry.objects.filter(actor=user, action=action).values_list("result", flat=True))


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_whoever_must_use_it_is_sent_to_enrol_and_can_do_nothing_else(persona, request):
    client = _sign_in(request.getfixturevalue(persona))
    for url in ["/", reverse("password_change"), "/admin/", reverse("two_factor")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{ENROL}?next={url}"
    assert client.get("/api/v1/cases/").status_code == 403
    assert client.get(ENROL).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_a_user_who_cannot_reveal_personal_data_is_not_asked(bob):
    client = _sign_in(bob)
    assert client.get(reverse("password_change")).status_code == 200
    assert client.get(reverse("two_factor")).status_code == 200


def test_with_the_all_staff_setting_everyone_is_asked(bob, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_ALL = True
    response = _sign_in(bob).get(reverse("password_change"))
    assert response.url.startswith(ENROL)


def test_turned_off_nobody_is_asked_who_has_not_enrolled(alice, settings):
    settings.TWO_FACTOR_REQUIRED = False
    assert _sign_in(alice).get("/admin/").status_code == 200


def test_enrolment_shows_the_secret_and_a_first_code_turns_it_on_with_ten_recovery_codes(alice):
    client = _sign_in(alice)
    page = client.get(ENROL)
    assert "<svg" in page.content.decode()
    assert "otpauth" not in page.content.decode()  # the QR carries it; the text is the secret alone
    key = b32decode(page.context["secret"].replace(" ", ""))
    assert client.get(ENROL).context["secret"] == page.context["secret"]  # the same until confirmed

    done = client.post(ENROL, {"code": _code(key), "next": "/admin/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(set(codes)) == 10
    device = TOTPDevice.objects.get(user=alice)
    assert device.confirmed and device.bin_key == key
    assert sorted(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True)) == sorted(codes)
    assert _actions(alice, "auth.otp_enrolled") == [Result.OK]
    # The session is verified by the code just given.
    assert client.get("/admin/").status_code == 200
    assert client.get(ENROL).url == reverse("two_factor")


def test_a_wrong_first_code_turns_nothing_on_and_is_recorded(alice):
    client = _sign_in(alice)
    key = b32decode(client.get(ENROL).context["secret"].replace(" ", ""))
    response = client.post(ENROL, {"code": _code(key, seconds_ago=600)})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert _actions(alice, "auth.otp_enrol_failed") == [Result.FAILED]


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_a_code_from_the_device_key_completes_the_sign_in_under_a_new_session_key(persona, request):
    user = request.getfixturevalue(persona)
    device, _ = _enrolled(user)
    client = _sign_in(user)
    assert client.get("/").url == f"{VERIFY}?next=/"
    before = client.session.session_key
    response = client.post(VERIFY, {"code": _code(device.bin_key), "next": "/accounts/password/"})
    assert response.status_code == 302
    assert response.url == "/accounts/password/"
    assert client.session.session_key != before
    assert client.get(reverse("password_change")).status_code == 200
    assert _actions(user, "auth.otp_verified") == [Result.OK]


def test_the_next_address_must_be_this_site(alice):
    device, _ = _enrolled(alice)
    client = _sign_in(alice)
    response = client.post(VERIFY, {"code": _code(device.bin_key), "next": "https://evil.example/"})
    assert response.url == reverse("home")


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(lambda key: _code(key, seconds_ago=300), id="expired"),
        pytest.param(lambda key: f"{(int(_code(key)) + 1) % 1_000_000:06d}", id="wrong"),
        pytest.param(lambda key: "12345", id="too-short"),
    ],
)
def test_a_wrong_or_expired_code_is_refused_and_recorded(alice, code):
    device, _ = _enrolled(alice)
    client = _sign_in(alice)
    response = client.post(VERIFY, {"code": code(device.bin_key)})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert client.get("/admin/").url.startswith(VERIFY)
    assert _actions(alice, "auth.otp_failed") == [Result.FAILED]
    assert _actions(alice, "auth.otp_verified") == []


def test_a_code_is_good_for_one_sign_in_only(alice):
    device, _ = _enrolled(alice)
    code = _code(device.bin_key)
    assert _sign_in(alice).post(VERIFY, {"code": code}).status_code == 302
    again = _sign_in(alice)
    assert again.post(VERIFY, {"code": code}).status_code == 200
    assert again.get("/admin/").url.startswith(VERIFY)


def test_after_wrong_codes_even_the_right_one_waits(alice):
    device, _ = _enrolled(alice)
    # Ten failures in a row: django-otp now refuses every code for 2⁹ seconds.
    device.throttling_failure_count = 10
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    client = _sign_in(alice)
    response = client.post(VERIFY, {"code": _code(device.bin_key)})
    assert response.status_code == 200
    assert "秒后再试" in response.context["form"].errors["code"][0]
    assert _actions(alice, "auth.otp_failed") == [Result.REFUSED]


def test_a_wrong_code_starts_the_wait(alice):
    device, _ = _enrolled(alice)
    _sign_in(alice).post(VERIFY, {"code": f"{(int(_code(device.bin_key)) + 1) % 1_000_000:06d}"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_recovery_code_signs_in_once(alice):
    _, codes = _enrolled(alice)
    client = _sign_in(alice)
    # Typed as people type them: in capitals, with a space.
    typed = f"{codes[0][:4].upper()} {codes[0][4:].upper()}"
    response = client.post(VERIFY, {"code": typed}, follow=True)
    assert response.status_code == 200
    assert "还剩 9 个" in response.content.decode()
    assert client.get("/admin/").status_code == 200
    assert _actions(alice, "auth.recovery_code_used") == [Result.OK]

    again = _sign_in(alice)
    assert again.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert again.get("/admin/").url.startswith(VERIFY)
    assert _actions(alice, "auth.otp_failed") == [Result.FAILED]


def test_new_recovery_codes_replace_the_old_ones(alice):
    device, old = _enrolled(alice)
    client = _sign_in(alice)
    client.post(VERIFY, {"code": _code(device.bin_key)})
    status = client.get(reverse("two_factor"))
    assert status.context["codes_left"] == 10
    new = client.post(reverse("two_factor_recovery_codes")).context["codes"]
    assert set(new).isdisjoint(old)
    assert sorted(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True)) == sorted(new)
    assert _actions(alice, "auth.recovery_codes_regenerated") == [Result.OK]
    assert client.get(reverse("two_factor_recovery_codes")).status_code == 405


def test_the_admin_site_itself_refuses_an_unverified_session(alice):
    request = RequestFactory().get("/admin/")
    request.session = SessionStore()
    request.user = alice
    alice.is_verified = lambda: False
    assert not site.has_permission(request)
    alice.is_verified = lambda: True
    assert site.has_permission(request)


def test_an_unverified_admin_session_does_not_reach_admin(alice):
    _enrolled(alice)
    client = _sign_in(alice)
    response = client.get("/admin/grids/resident/")
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)


def test_a_verified_session_asks_again_after_the_next_password(alice):
    device, _ = _enrolled(alice)
    client = _sign_in(alice)
    client.post(VERIFY, {"code": _code(device.bin_key)})
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert client.get("/admin/").url.startswith(VERIFY)


def test_the_pages_speak_english_too(alice):
    device, _ = _enrolled(alice)
    client = _sign_in(alice)
    client.cookies["django_language"] = "en"
    assert "Enter the 6-digit code your authenticator app shows" in client.get(VERIFY).content.decode()
    client.post(VERIFY, {"code": _code(device.bin_key)})
    assert "10 recovery codes left." in client.get(reverse("two_factor")).content.decode()
