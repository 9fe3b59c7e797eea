"""Personal API tokens: made, listed and revoked on the user's own page, kept only as a hash,
and presented by a script they sign in exactly as their user."""

import datetime
import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import api_tokens
from core.models import ApiToken, AuditEntry, PasswordAge
from core.passwords import note_password_changed
from tests.sign_in import force_login_verified

PAGE = reverse("api_tokens")
SECRET = re.compile(r"ggp_[A-Za-z0-9_-]{43}")


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _token(user, *, name="脚本", days=90) -> tuple[ApiToken, str]:
    return api_tokens.create_api_token(actor=user, name=name, expires_on=_in(days))


def _api(secret: str, keyword: str = "Bearer") -> Client:
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"{keyword} {secret}"})


@pytest.fixture
def page(world, client):
    return force_login_verified(client, world.users["grid_a"])


# The page ----------------------------------------------------------------------------------


def test_a_token_is_made_on_the_page_and_its_secret_shown_that_once(world, page):
    form = page.get(PAGE).context["form"]
    assert form["expires_on"].initial == _in(90)
    made = page.post(PAGE, {"name": "周报脚本", "expires_on": _in(30).isoformat()})
    assert made.status_code == 200
    secret = SECRET.search(made.content.decode()).group()
    token = ApiToken.objects.get(user=world.users["grid_a"])
    assert (token.name, token.expires_on, token.prefix) == ("周报脚本", _in(30), secret[:12])
    listed = page.get(PAGE).content.decode()
    assert "周报脚本" in listed and token.prefix in listed
    assert secret not in listed
    entry = AuditEntry.objects.get(action="auth.api_token_created")
    assert (entry.actor, entry.target_id) == (world.users["grid_a"], str(token.pk))
    assert entry.fields == ["expires_on", "name"]


def test_the_secret_is_not_stored_only_its_sha256(world):
    token, secret = _token(world.users["grid_a"])
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not [field for field, value in row.items() if secret in str(value) or secret[12:] in str(value)]
    assert row["digest"] == hashlib.sha256(secret.encode()).hexdigest()


@pytest.mark.parametrize("days", [0, -1, 366])
def test_the_expiry_is_from_tomorrow_to_a_year(world, page, days):
    response = page.post(PAGE, {"name": "x", "expires_on": _in(days).isoformat()})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_year_is_allowed(world, page):
    assert page.post(PAGE, {"name": "x", "expires_on": _in(365).isoformat()}).status_code == 200


def test_the_page_lists_ones_own_tokens_with_their_state(world, page):
    _token(world.users["grid_a"], name="有效的")
    expired, _ = _token(world.users["grid_a"], name="过期的")
    ApiToken.objects.filter(pk=expired.pk).update(expires_on=_in(-1))
    _token(world.users["community"], name="别人的")
    rows = page.get(PAGE).context["tokens"]
    assert [(t.name, t.is_active, t.is_expired) for t in rows] == [("过期的", False, True), ("有效的", True, False)]


def test_a_token_is_revoked_by_its_user_and_recorded(world, page):
    token, _ = _token(world.users["grid_a"])
    response = page.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302 and response["Location"] == PAGE
    token.refresh_from_db()
    assert token.is_revoked and not token.is_active
    entry = AuditEntry.objects.get(action="auth.api_token_revoked")
    assert (entry.actor, entry.target_id) == (world.users["grid_a"], str(token.pk))
    assert "已撤销" in page.get(PAGE).content.decode()
    page.post(reverse("api_token_revoke", args=[token.pk]))  # again: nothing more to record
    assert AuditEntry.objects.filter(action="auth.api_token_revoked").count() == 1


def test_another_users_token_is_a_404_and_stays_valid(world, page):
    token, _ = _token(world.users["community"])
    assert page.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_the_user_menu_links_the_page(world, page):
    assert f'href="{PAGE}"' in page.get(reverse("home")).content.decode()


# Signing in with a token -------------------------------------------------------------------


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_a_token_sees_exactly_what_its_user_sees(world, client, keyword):
    user = world.users["grid_a"]
    _, secret = _token(user)
    by_token = _api(secret, keyword).get("/api/v1/areas/")
    by_session = force_login_verified(client, user).get("/api/v1/areas/")
    assert by_token.status_code == 200
    assert "no-store" in by_token["Cache-Control"]  # a signed-in answer, kept by no cache
    assert by_token.json()["results"] == by_session.json()["results"]
    assert {area["id"] for area in by_token.json()["results"]} == {world.areas["A"].pk}


def test_a_scoped_users_token_gets_a_404_outside_their_areas(world):
    _, secret = _token(world.users["grid_a"])
    api = _api(secret)
    assert api.get(f"/api/v1/areas/{world.areas['A1'].pk}/").status_code == 200
    assert api.get(f"/api/v1/areas/{world.areas['D1'].pk}/").status_code == 404
    assert api.get(f"/api/v1/households/{world.households['D1'].pk}/").status_code == 404


def _refusal(response, detail: str) -> None:
    assert response.status_code == 401
    assert response.json()["message"] == detail
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_a_401(world):
    token, secret = _token(world.users["grid_a"])
    api_tokens.revoke_api_token(actor=world.users["grid_a"], token_id=token.pk)
    _refusal(_api(secret).get("/api/v1/areas/"), "令牌已撤销")


def test_an_expired_token_is_a_401(world):
    token, secret = _token(world.users["grid_a"])
    ApiToken.objects.filter(pk=token.pk).update(expires_on=_in(-1))
    _refusal(_api(secret).get("/api/v1/areas/"), "令牌已过期")


@pytest.mark.parametrize("header", ["Bearer ggp_nosuchtoken", "Bearer", "Bearer a b", "Token caf\u00e9"])
def test_an_unknown_or_malformed_token_is_a_401(world, header):
    response = Client(headers={"Authorization": header}).get("/api/v1/areas/")
    assert response.status_code == 401 and set(response.json()) == {"code", "message", "fields"}


def test_a_deactivated_users_token_is_a_401(world):
    user = world.users["grid_a"]
    _, secret = _token(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    _refusal(_api(secret).get("/api/v1/areas/"), "令牌无效")


def test_the_last_use_is_written_at_most_every_few_minutes(world):
    token, secret = _token(world.users["grid_a"])
    api = _api(secret)
    api.get("/api/v1/areas/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    api.get("/api/v1/areas/")
    token.refresh_from_db()
    assert token.last_used_at == first
    earlier = first - api_tokens.LAST_USED_EVERY
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    api.get("/api/v1/areas/")
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_token_post_needs_no_csrf_token_but_a_session_post_does(world):
    _, secret = _token(world.users["community"])
    by_token = _api(secret).post("/api/v1/cases/", {}, content_type="application/json")
    assert by_token.status_code == 400, by_token.content  # the missing fields, not a CSRF 403
    session = force_login_verified(Client(enforce_csrf_checks=True), world.users["community"])
    by_session = session.post("/api/v1/cases/", {}, content_type="application/json")
    assert by_session.status_code == 403
    assert "CSRF" in by_session.json()["message"]


def test_a_token_does_not_sign_in_to_pages(world):
    _, secret = _token(world.users["grid_a"])
    response = _api(secret).get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_token_stops_with_its_owners_password_age_and_works_again_once_it_is_changed(world, settings):
    user = world.users["grid_a"]
    _, secret = _token(user)
    settings.PASSWORD_MAX_AGE_DAYS = 30
    type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - datetime.timedelta(days=31))
    note_password_changed(user)
    assert _api(secret).get("/api/v1/areas/").status_code == 200
    PasswordAge.objects.filter(user=user).update(changed_at=timezone.now() - datetime.timedelta(days=31))
    _refusal(_api(secret).get("/api/v1/areas/"), "密码已过期,请登录网页修改密码后再使用令牌")
    note_password_changed(user)
    assert _api(secret).get("/api/v1/areas/").status_code == 200
