"""Finding 6: sessions lasted fourteen days with no idle timeout. Now a session ends after
SESSION_IDLE_MINUTES without a request or SESSION_MAX_HOURS after log-in, and a user's sessions
end when they log out, change their password, are disabled or leave their last post."""

import datetime
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import UserSession
from core.scope import SYSTEM
from core.sessions import SEEN, STARTED
from grids.models import AreaKind
from orgs import services as org_services
from orgs.models import Post, Role, Slot
from tests.factories import AreaFactory, user_with_posts
from tests.sign_in import force_login_verified

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def alice():
    return User.objects.create_user("alice", password=PASSWORD, is_superuser=True)


def _client_for(user) -> Client:
    client = Client()
    force_login_verified(client, user)
    return client


def _backdate(client, **ago: int) -> None:
    session = client.session
    now = int(time.time())
    for key, seconds in ago.items():
        session[{"started": STARTED, "seen": SEEN}[key]] = now - seconds
    session.save()


def _is_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def test_the_defaults_are_thirty_minutes_idle_and_twelve_hours_in_all(settings):
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_MAX_HOURS == 12
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_logging_in_gives_a_new_session_key(alice):
    client = Client()
    before = client.session
    before["probe"] = 1
    before.save()
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    after = client.session.session_key
    assert SESSION_KEY in client.session
    assert after != before.session_key
    assert not UserSession.objects.filter(session_key=before.session_key).exists()


def test_a_session_idle_for_longer_than_the_timeout_is_logged_out(alice):
    client = _client_for(alice)
    _backdate(client, seen=31 * 60)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not UserSession.objects.filter(user_id=alice.pk).exists()


def test_a_session_used_within_the_timeout_stays(alice):
    client = _client_for(alice)
    _backdate(client, seen=29 * 60)
    assert _is_in(client)


def test_a_request_moves_the_idle_clock_on(alice):
    client = _client_for(alice)
    _backdate(client, seen=20 * 60)
    assert _is_in(client)
    assert int(time.time()) - client.session[SEEN] < 5


def test_a_session_older_than_its_lifetime_is_logged_out_even_when_busy(alice):
    client = _client_for(alice)
    _backdate(client, started=12 * 3600 + 60, seen=10)
    assert not _is_in(client)


def test_the_timeouts_are_settings(alice, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client = _client_for(alice)
    _backdate(client, seen=6 * 60)
    assert not _is_in(client)


def test_an_idle_session_gets_no_answer_from_the_api(alice):
    client = _client_for(alice)
    _backdate(client, seen=31 * 60)
    assert client.get("/api/v1/cases/").status_code in (401, 403)


def test_an_idle_session_ending_leaves_the_users_other_sessions(alice):
    idle, busy = _client_for(alice), _client_for(alice)
    _backdate(idle, seen=31 * 60)
    assert not _is_in(idle)
    assert _is_in(busy)


def test_logging_out_ends_the_users_other_sessions(alice):
    here, elsewhere = _client_for(alice), _client_for(alice)
    here.post(reverse("logout"))
    assert not _is_in(elsewhere)
    assert not UserSession.objects.filter(user_id=alice.pk).exists()


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(alice):
    here, elsewhere = _client_for(alice), _client_for(alice)
    response = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a-new-long-phrase-9", "new_password2": "a-new-long-phrase-9"},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert _is_in(here)
    assert not _is_in(elsewhere)
    assert list(UserSession.objects.filter(user_id=alice.pk).values_list("session_key", flat=True)) == [
        here.session.session_key
    ]


def test_the_password_page_applies_the_password_rules(alice):
    client = _client_for(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200 and response.context["form"].errors["new_password2"]


def test_disabling_a_user_ends_all_their_sessions(alice):
    first, second = _client_for(alice), _client_for(alice)
    alice.is_active = False
    alice.save()
    assert not UserSession.objects.filter(user_id=alice.pk).exists()
    assert not _is_in(first) and not _is_in(second)


def _grid():
    street = AreaFactory(kind=AreaKind.STREET, parent=AreaFactory(kind=AreaKind.DISTRICT))
    return AreaFactory(kind=AreaKind.GRID, parent=AreaFactory(kind=AreaKind.COMMUNITY, parent=street))


@pytest.fixture
def grid_worker():
    return user_with_posts("walker", dict(role=Role.GRID_WORKER, area=_grid(), slot=Slot.A))


def _posts_of(user):
    return list(Post.objects.unscoped("test: a user's own posts").filter(user=user))


def test_ending_the_last_post_ends_all_their_sessions(grid_worker):
    client = _client_for(grid_worker)
    (post,) = _posts_of(grid_worker)
    org_services.end_post(actor=SYSTEM, post=post, end=timezone.localdate())
    assert not UserSession.objects.filter(user_id=grid_worker.pk).exists()
    assert client.get(reverse("home")).status_code == 302


def test_ending_one_of_two_posts_keeps_the_sessions(grid_worker):
    (first,) = _posts_of(grid_worker)
    org_services.appoint(
        actor=SYSTEM,
        post=Post(
            user=grid_worker,
            role=Role.GRID_WORKER,
            area=_grid(),
            slot=Slot.A,
            start=datetime.date(2024, 1, 1),
        ),
    )
    _client_for(grid_worker)
    org_services.end_post(actor=SYSTEM, post=first, end=timezone.localdate())
    assert UserSession.objects.filter(user_id=grid_worker.pk).exists()


def test_a_post_ending_on_a_later_day_keeps_the_sessions_until_then(grid_worker):
    _client_for(grid_worker)
    (post,) = _posts_of(grid_worker)
    org_services.end_post(actor=SYSTEM, post=post, end=timezone.localdate() + datetime.timedelta(days=7))
    assert UserSession.objects.filter(user_id=grid_worker.pk).exists()
