"""A maximum password age when an assessor asks for one (PASSWORD_MAX_AGE_DAYS): a user signing in
with an older password reaches only the password page until they set a new one."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from core.models import PasswordAge

pytestmark = pytest.mark.django_db

PASSWORD = "old-enough-passphrase-1"


@pytest.fixture
def user():
    made = User.objects.create_user("grid_old", password=PASSWORD)
    made.date_joined = timezone.now() - datetime.timedelta(days=400)
    made.save(update_fields=["date_joined"])
    return made


def _sign_in(client, username=None):
    response = client.post(reverse("login"), {"username": username or "grid_old", "password": PASSWORD})
    assert response.status_code == 302, "signed in"
    return client


def _set_age(user, days):
    PasswordAge.objects.update_or_create(
        user=user, defaults={"changed_at": timezone.now() - datetime.timedelta(days=days)}
    )


def test_an_old_password_leads_every_page_to_the_password_page_and_the_api_refuses(client, user, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _set_age(user, 91)
    _sign_in(client)
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home["Location"] == reverse("password_change")
    assert client.get(reverse("password_change")).status_code == 200
    api = client.get("/api/v1/cases/")
    assert api.status_code == 403 and "90" in api.json()["message"] and api.json()["code"] == "password_expired"


def test_setting_a_new_password_opens_the_product_again_and_renews_the_age(client, user, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _set_age(user, 91)
    _sign_in(client)
    new = "a-brand-new-passphrase-2"
    changed = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert changed.status_code == 302
    assert PasswordAge.objects.get(user=user).changed_at > timezone.now() - datetime.timedelta(minutes=1)
    assert client.get(reverse("home")).status_code == 200


def test_a_user_who_never_changed_it_counts_from_joining(client, user, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    assert not PasswordAge.objects.filter(user=user).exists()
    _sign_in(client)
    assert client.get(reverse("home"))["Location"] == reverse("password_change")


def test_a_recent_password_and_the_default_setting_ask_nothing(client, user, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _set_age(user, 10)
    _sign_in(client)
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    settings.PASSWORD_MAX_AGE_DAYS = 0
    _set_age(user, 4000)
    _sign_in(client)
    assert client.get(reverse("home")).status_code == 200
