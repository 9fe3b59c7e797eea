"""Rate limits: each personal token, each client key and each anonymous address has a budget of
its own, and a caller over it gets a 429 with Retry-After."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from core import api_tokens
from core.scope import SYSTEM
from orgs import client_keys

RATES = {"token": "2/min", "client_key": "3/min", "anonymous": "2/min"}


@pytest.fixture(autouse=True)
def low_rates(monkeypatch):
    # DRF reads the rates once, into the class; the test's own, small ones replace them.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", RATES)
    cache.clear()
    yield
    cache.clear()


def _expires():
    return timezone.localdate() + datetime.timedelta(days=30)


def _token(user) -> Client:
    _, secret = api_tokens.create_api_token(actor=user, name="脚本", expires_on=_expires())
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _refused(response) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_a_token_over_its_rate_gets_a_429_and_another_token_does_not(world):
    first, second = _token(world.users["grid_a"]), _token(world.users["grid_a"])
    assert [first.get("/api/v1/areas/").status_code for _ in range(2)] == [200, 200]
    _refused(first.get("/api/v1/areas/"))
    assert second.get("/api/v1/areas/").status_code == 200


def test_a_client_key_has_its_own_rate(world):
    _, secret = client_keys.create_client_key(
        actor=SYSTEM, name="12345热线", district=world.areas["district"], expires_on=_expires()
    )
    hotline = Client(headers={"Authorization": f"Bearer {secret}"})
    assert [hotline.get("/api/v1/areas/").status_code for _ in range(3)] == [200] * 3
    _refused(hotline.get("/api/v1/areas/"))
    assert _token(world.users["district"]).get("/api/v1/areas/").status_code == 200


def test_an_anonymous_address_is_counted_before_its_401(world):
    here, there = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="203.0.113.8")
    assert [here.get("/api/v1/areas/").status_code for _ in range(2)] == [401, 401]
    _refused(here.get("/api/v1/areas/"))
    assert there.get("/api/v1/areas/").status_code == 401


def test_a_signed_in_browser_is_not_limited_by_the_api(world, client_for):
    browser = client_for(world.users["grid_a"])
    assert {browser.get("/api/v1/areas/").status_code for _ in range(5)} == {200}
