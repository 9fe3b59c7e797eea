"""Client keys: issued for one district or one department on a page or by a command, kept only as
a hash, and presented by another system they act exactly as a person in that post would, with
the key named in the audit log."""

import datetime
import hashlib
import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.notifications.recipients import Audience
from core import api_tokens
from core.models import AuditEntry
from core.scope import SYSTEM, scope_for
from orgs import client_keys
from orgs.models import ClientKey, Department, Role
from tests.cases.conftest import category
from tests.sign_in import force_login_verified

PAGE = reverse("orgs:client_keys")
SECRET = re.compile(r"ggc_[A-Za-z0-9_-]{43}")


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _officers_department(world) -> Department:
    return world.users["officer"].posts.get().department


def _key(*, district=None, department=None, actor=SYSTEM, days=90) -> tuple[ClientKey, str]:
    return client_keys.create_client_key(
        actor=actor, name="12345热线", district=district, department=department, expires_on=_in(days)
    )


def _api(secret: str) -> Client:
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})


def _as(world, persona: str) -> Client:
    _, secret = api_tokens.create_api_token(actor=world.users[persona], name="对照", expires_on=_in(30))
    return _api(secret)


# What a key is and sees ---------------------------------------------------------------------


def test_the_secret_is_marked_and_only_its_sha256_is_stored(world):
    key, secret = _key(district=world.areas["district"])
    assert SECRET.fullmatch(secret)
    row = ClientKey.objects.filter(pk=key.pk).values().get()
    assert not [field for field, value in row.items() if secret[12:] in str(value)]
    assert row["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert not key.account.has_usable_password()


@pytest.mark.parametrize("path", ["/api/v1/areas/", "/api/v1/cases/", "/api/v1/posts/", "/api/v1/organizations/"])
def test_a_district_key_sees_exactly_what_the_districts_staff_see(world, path):
    _, secret = _key(district=world.areas["district"])
    by_key = _api(secret).get(path)
    assert by_key.status_code == 200
    by_staff = _as(world, "district").get(path).json()["results"]
    assert by_key.json()["results"] == by_staff
    if path == "/api/v1/posts/":  # its own post is one of the district's, seen by both
        assert "12345热线" in {row["holder_name"] for row in by_staff}


def test_a_district_key_reaches_nothing_of_another_district(world):
    _, secret = _key(district=world.areas["district"])
    api = _api(secret)
    assert api.get(f"/api/v1/areas/{world.areas['A1'].pk}/").status_code == 200
    assert api.get(f"/api/v1/areas/{world.areas['E1'].pk}/").status_code == 404
    assert api.get(f"/api/v1/households/{world.households['E1'].pk}/").status_code == 404


def test_a_department_key_has_exactly_the_departments_scope(world):
    key, _ = _key(department=_officers_department(world))
    mine, officers = scope_for(key.account), scope_for(world.users["officer"])
    assert (mine.areas, mine.department_ids, mine.roles, mine.capabilities) == (
        officers.areas,
        officers.department_ids,
        officers.roles,
        officers.capabilities,
    )
    assert mine.roles == {Role.DEPARTMENT_OFFICER}


def test_a_keys_service_account_is_not_told_of_hand_overs_its_post_would_be(world):
    department = _officers_department(world)
    key, _ = _key(department=department)
    audience = Audience()
    audience.add_department(department.pk)
    told = audience.users()
    assert world.users["officer"] in told and key.account not in told


def test_what_a_key_does_is_recorded_with_the_key_named(world):
    key, secret = _key(district=world.areas["district"])
    body = {
        "category": category("urban-events-clutter").pk,
        "area": world.areas["A1"].pk,
        "description": "热线转来:路灯不亮",
        "source": "hotline",
    }
    response = _api(secret).post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    entry = AuditEntry.objects.filter(action="case.report").get()
    assert entry.actor == key.account
    assert entry.capacity == f"{key.prefix}:{Role.DISTRICT_STAFF}"


# Lifecycle -----------------------------------------------------------------------------------


def _refusal(response, detail: str) -> None:
    assert response.status_code == 401
    assert response.json()["message"] == detail
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_key_is_a_401_and_its_post_ends(world):
    key, secret = _key(district=world.areas["district"])
    assert _api(secret).get("/api/v1/areas/").status_code == 200
    client_keys.revoke_client_key(actor=SYSTEM, key_id=key.pk)
    _refusal(_api(secret).get("/api/v1/areas/"), "密钥已撤销")
    account = User.objects.get(pk=key.account_id)
    assert not account.is_active and account.posts.get().end == _in(0)


def test_an_expired_key_is_a_401(world):
    key, secret = _key(district=world.areas["district"])
    ClientKey.objects.filter(pk=key.pk).update(expires_on=_in(-1))
    _refusal(_api(secret).get("/api/v1/areas/"), "密钥已过期")


def test_an_unknown_key_is_a_401(world):
    _refusal(_api("ggc_" + "x" * 43).get("/api/v1/areas/"), "密钥无效")


def test_the_last_use_is_noted(world):
    key, secret = _key(district=world.areas["district"])
    _api(secret).get("/api/v1/areas/")
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_a_key_is_for_a_district_or_a_department_never_both_nor_a_street(world):
    with pytest.raises(Exception, match="二者选一"):
        _key(district=world.areas["district"], department=_officers_department(world))
    with pytest.raises(Exception, match="二者选一"):
        _key()
    with pytest.raises(Exception, match="区、县"):
        _key(district=world.areas["S1"])
    assert not ClientKey.objects.exists()


# The page --------------------------------------------------------------------------------------


def test_district_staff_issue_a_key_on_the_page_and_see_it_once(world, client):
    page = force_login_verified(client, world.users["district"])
    made = page.post(PAGE, {"name": "12345热线", "district": world.areas["district"].pk, "expires_on": _in(30)})
    assert made.status_code == 200, made.content.decode()[:2000]
    secret = SECRET.search(made.content.decode()).group()
    key = ClientKey.objects.get()
    assert (key.district, key.created_by, key.prefix) == (world.areas["district"], world.users["district"], secret[:12])
    listed = page.get(PAGE).content.decode()
    assert key.prefix in listed and secret not in listed
    entry = AuditEntry.objects.get(action="auth.client_key_created")
    assert (entry.actor, entry.capacity) == (world.users["district"], Role.DISTRICT_STAFF)
    revoked = page.post(reverse("orgs:client_key_revoke", args=[key.pk]))
    assert revoked.status_code == 302
    key.refresh_from_db()
    assert key.is_revoked
    assert AuditEntry.objects.filter(action="auth.client_key_revoked").count() == 1


def test_district_staff_may_not_issue_for_another_district(world, client):
    page = force_login_verified(client, world.users["district"])
    response = page.post(PAGE, {"name": "x", "district": world.areas["county"].pk, "expires_on": _in(30)})
    assert response.status_code == 400
    assert not ClientKey.objects.exists()


def test_another_districts_key_is_a_404_on_the_page(world, client):
    key, _ = _key(district=world.areas["county"])
    page = force_login_verified(client, world.users["district"])
    assert key.prefix not in page.get(PAGE).content.decode()
    assert page.post(reverse("orgs:client_key_revoke", args=[key.pk])).status_code == 404
    key.refresh_from_db()
    assert key.is_active


@pytest.mark.parametrize("persona", ["officer", "street", "community", "leader"])
def test_other_roles_get_a_404(world, client, persona):
    page = force_login_verified(client, world.users[persona])
    assert page.get(PAGE).status_code == 404


def test_an_admin_issues_for_a_department(world, client):
    page = force_login_verified(client, world.users["admin"])
    department = _officers_department(world)
    made = page.post(PAGE, {"name": "城管系统", "department": department.pk, "expires_on": _in(30)})
    assert made.status_code == 200
    assert ClientKey.objects.get().department == department


# The command -----------------------------------------------------------------------------------


def test_the_command_prints_a_working_key_once(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_client_key", "12345热线", district=world.areas["district"].code, stdout=out, stderr=err)
    secret = out.getvalue().strip()
    assert SECRET.fullmatch(secret)
    key = ClientKey.objects.get()
    assert key.prefix in err.getvalue() and secret not in err.getvalue()
    assert key.district == world.areas["district"] and key.created_by is None
    assert AuditEntry.objects.get(action="auth.client_key_created").capacity == "system"
    assert _api(secret).get("/api/v1/areas/").status_code == 200


def test_the_command_takes_a_department_and_refuses_an_unknown_code(world):
    department = _officers_department(world)
    out = io.StringIO()
    call_command("create_client_key", "城管系统", department=department.code, stdout=out, stderr=io.StringIO())
    assert ClientKey.objects.get().department == department
    with pytest.raises(CommandError, match="no department"):
        call_command("create_client_key", "x", department="nope", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no district"):
        call_command("create_client_key", "x", district=world.areas["S1"].code, stdout=io.StringIO())
