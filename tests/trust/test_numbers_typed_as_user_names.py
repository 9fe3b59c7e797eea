"""A citizen ID or phone typed into the sign-in name box: found in full in axes' lockout table by the
pg_dump scan. Failures are still counted against it, stored masked like the audit log's."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry

pytestmark = pytest.mark.django_db

NUMBER, PHONE = "11010519491231002X", "13812345678"


def _fail(client: Client, username: str):
    return client.post(reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR="10.0.0.9")


@pytest.mark.parametrize("typed", [NUMBER, PHONE])
def test_a_number_typed_as_the_user_name_is_stored_masked(typed):
    _fail(Client(), typed)
    stored = list(AccessAttempt.objects.values_list("username", flat=True))
    logged = list(AuditEntry.objects.filter(action="auth.login_failed").values_list("username", flat=True))
    assert len(stored) == 1 and stored == logged
    assert stored[0].endswith(typed[-4:]) and typed not in stored[0]


def test_failures_with_a_typed_number_still_lock_out(settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, NUMBER)
    assert _fail(client, NUMBER).status_code == 429
