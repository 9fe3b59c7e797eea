"""What an audit entry says about the request it came from, and the sign-ins it records."""

import pytest
from django.contrib.auth.models import User
from django.core import checks
from django.test import override_settings
from django.urls import reverse

from core.models import AuditEntry, Result


@pytest.fixture
def clerk(db):
    return User.objects.create_user(username="clerk", password="right-password")


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-pk").first()


def test_a_sign_in_is_recorded_with_the_request_id_and_client_address(client, clerk):
    response = client.post(
        reverse("login"), {"username": "clerk", "password": "right-password"}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 302
    entry = _last("auth.login")
    assert (entry.actor, entry.result, entry.client_address) == (clerk, Result.OK, "203.0.113.9")
    assert entry.request_id and entry.request_id == response["X-Request-ID"]


def test_a_failed_sign_in_is_recorded_with_the_name_typed_and_never_the_password(client, clerk):
    client.post(reverse("login"), {"username": "clerk", "password": "wrong-password-123"})
    entry = _last("auth.login_failed")
    assert (entry.actor, entry.result, entry.username) == (None, Result.FAILED, "clerk")
    assert "wrong-password-123" not in repr(AuditEntry.objects.filter(pk=entry.pk).values().get())


def test_a_citizen_id_typed_as_the_name_is_masked(client, db):
    client.post(reverse("login"), {"username": "110101198005170011", "password": "x"})
    assert _last("auth.login_failed").username == "**************0011"


def test_each_request_gets_its_own_id(client, clerk):
    ids = {client.get(reverse("login"))["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_a_forwarded_address_and_request_id_are_believed_only_from_a_trusted_proxy(client, clerk):
    headers = dict(HTTP_X_FORWARDED_FOR="198.51.100.7, 192.0.2.44", HTTP_X_REQUEST_ID="proxy-abc-123")
    form = {"username": "clerk", "password": "right-password"}
    client.post(reverse("login"), form, REMOTE_ADDR="10.0.0.5", **headers)
    entry = _last("auth.login")
    assert entry.client_address == "10.0.0.5"
    assert entry.request_id != "proxy-abc-123"
    client.logout()
    with override_settings(TRUSTED_PROXIES=["10.0.0.5"]):
        client.post(reverse("login"), form, REMOTE_ADDR="10.0.0.5", **headers)
    entry = _last("auth.login")
    # The last hop is the proxy's own; the first was written by the client and may be anything.
    assert (entry.client_address, entry.request_id) == ("192.0.2.44", "proxy-abc-123")


def test_a_service_outside_a_request_records_no_address(db):
    from core.audit import record
    from core.scope import SYSTEM

    entry = record(actor=SYSTEM, action="test.command")
    assert (entry.client_address, entry.request_id) == (None, "")


def test_the_object_is_named_by_type_and_id_only():
    assert {field.name for field in AuditEntry._meta.fields} >= {"target_type", "target_id"}
    assert not {"object_repr", "target_repr", "repr"} & {field.name for field in AuditEntry._meta.fields}


def _deploy_errors() -> list[str]:
    return [message.id for message in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])]


def test_the_deploy_check_refuses_less_than_184_days_of_audit():
    with override_settings(AUDIT_RETENTION_DAYS=183):
        assert "audit.E001" in _deploy_errors()
    with override_settings(AUDIT_RETENTION_DAYS=184):
        assert "audit.E001" not in _deploy_errors()


def test_retention_defaults_to_184_days():
    from django.conf import settings

    assert settings.AUDIT_RETENTION_DAYS == 184
