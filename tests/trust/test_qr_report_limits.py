"""Finding 2, the limit: the QR page counted every resident behind the README's proxy in one
bucket (REMOTE_ADDR), and decoded photos before asking. Now it counts the address the trusted
proxy reports, per plate, per device and per building, and asks before the body is read."""

import logging
import uuid

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from cases import services
from cases.models import Case, Category
from core.scope import SYSTEM

PROXY = "10.0.0.5"
REFUSED = "提交过于频繁"
# Counters are keyed by the plate's token, fresh in every test, so no test sees another's counts.
NO_REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


@pytest.fixture
def plates(world):
    return {p.building.name: p for p in services.issue_door_plates(actor=SYSTEM, community=world.areas["K1"])}


def _report(client: Client, plate, **meta):
    data = {
        "submission_key": str(uuid.uuid4()),
        "category": Category.objects.get(code="livelihood-sanitation").pk,
        "description": "楼道灯坏了",
    }
    return client.post(reverse("cases:resident_report", args=[plate.token]), data, **meta)


def _accepted(response) -> bool:
    return response.status_code == 200 and response.context.get("case") is not None


def test_two_residents_behind_the_trusted_proxy_are_counted_apart(plates, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    first, second = Client(), Client()
    for _ in range(settings.QR_REPORTS_PER_ADDRESS):
        assert _accepted(_report(first, plates["A1楼"], REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1"))
    refused = _report(first, plates["A1楼"], REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert refused.status_code == 429 and REFUSED in refused.content.decode()
    assert _accepted(_report(second, plates["A1楼"], REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2"))


def test_a_forwarded_for_from_an_untrusted_peer_is_ignored(plates, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    # A new device every time, and a new address claimed every time: only the peer's address counts.
    for n in range(settings.QR_REPORTS_PER_ADDRESS):
        claimed = f"192.0.2.{n}"
        assert _accepted(_report(Client(), plates["A1楼"], REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=claimed))
    refused = _report(Client(), plates["A1楼"], REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert refused.status_code == 429


def test_the_address_is_counted_per_plate(plates, settings):
    settings.QR_REPORTS_PER_ADDRESS = 1
    assert _accepted(_report(Client(), plates["A1楼"], REMOTE_ADDR="203.0.113.7"))
    assert _report(Client(), plates["A1楼"], REMOTE_ADDR="203.0.113.7").status_code == 429
    assert _accepted(_report(Client(), plates["A2楼"], REMOTE_ADDR="203.0.113.7"))


def test_a_device_is_counted_whatever_address_it_comes_from(plates, settings):
    settings.QR_REPORTS_PER_DEVICE = 1
    phone = Client()
    assert _accepted(_report(phone, plates["A1楼"], REMOTE_ADDR="203.0.113.7"))
    assert _report(phone, plates["A2楼"], REMOTE_ADDR="203.0.113.8").status_code == 429


def test_a_building_takes_at_most_its_ceiling_from_all_addresses_together(plates, settings):
    settings.QR_REPORTS_PER_BUILDING = 2
    for n in range(2):
        assert _accepted(_report(Client(), plates["A1楼"], REMOTE_ADDR=f"203.0.113.{n}"))
    assert _report(Client(), plates["A1楼"], REMOTE_ADDR="203.0.113.50").status_code == 429
    assert _accepted(_report(Client(), plates["A2楼"], REMOTE_ADDR="203.0.113.51"))
    assert Case.objects.filter(source="resident_qr").count() == 3


def test_with_the_cache_unreachable_reports_go_through_and_the_building_ceiling_holds(plates, settings, caplog):
    settings.QR_REPORTS_PER_BUILDING = 2
    settings.QR_REPORTS_PER_DEVICE = 0  # would refuse everything, were the counters reachable
    with override_settings(CACHES=NO_REDIS), caplog.at_level(logging.WARNING, logger="cases.resident_limits"):
        assert _accepted(_report(Client(), plates["A1楼"]))
        assert _accepted(_report(Client(), plates["A1楼"]))
        assert _report(Client(), plates["A1楼"]).status_code == 429
    assert "QR report counters unavailable" in caplog.text


def test_an_over_limit_request_is_refused_before_its_body_is_read(plates, settings):
    # A multipart body without a boundary: Django answers 400 the moment anything parses it.
    url = reverse("cases:resident_report", args=[plates["A1楼"].token])
    unparsable = {"data": b"not a form", "content_type": "multipart/form-data"}
    assert Client().generic("POST", url, **unparsable).status_code == 400
    settings.QR_REPORTS_PER_ADDRESS = 0
    refused = Client().generic("POST", url, **unparsable)
    assert refused.status_code == 429 and REFUSED in refused.content.decode()


def test_the_form_still_needs_its_csrf_token_once_past_the_limit(plates):
    client = Client(enforce_csrf_checks=True)
    assert _report(client, plates["A1楼"]).status_code == 403
    assert not Case.objects.filter(source="resident_qr").exists()
    client.get(reverse("cases:resident_report", args=[plates["A1楼"].token]))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert _accepted(_report(client, plates["A1楼"], HTTP_X_CSRFTOKEN=token))
