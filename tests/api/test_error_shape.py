"""Every 4xx of the API answers in one shape, {"code", "message", "fields"}, its message in the
request's language; the schema documents that shape on every operation."""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from cases import services
from core import api_tokens
from orgs.models import Department
from tests.cases.conftest import category


def _shaped(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    data = response.json()
    assert set(data) == {"code", "message", "fields"}
    assert data["code"] == code and isinstance(data["message"], str) and data["message"]
    return data


def _token(user) -> Client:
    _, secret = api_tokens.create_api_token(
        actor=user, name="x", expires_on=timezone.localdate() + datetime.timedelta(days=9)
    )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _report(world, **changes):
    body = {
        "category": category("urban-events-clutter").pk,
        "area": world.areas["A1"].pk,
        "description": "楼道堆物",
        "source": "grid_patrol",
    }
    return {**body, **changes}


def test_field_errors_are_named_under_fields(world):
    data = _shaped(
        _token(world.users["grid_a"]).post(
            "/api/v1/cases/", _report(world, description="", area=world.areas["E1"].pk), content_type="application/json"
        ),
        400,
        "invalid",
    )
    assert set(data["fields"]) == {"description", "area"}
    assert all(isinstance(m, str) for messages in data["fields"].values() for m in messages)


def test_a_services_conflict_is_a_409_in_the_shape(world):
    u = world.users
    case = services.report_case(
        actor=u["grid_a"], category=category("urban-events-clutter"), area=world.areas["A1"], description="楼道堆物"
    )
    case = services.whistle_case(case=case, actor=u["community"], note="需要执法")
    services.dispatch_case(case=case, actor=u["street"], department=Department.objects.get(name="城管局"))
    api = _token(u["officer"])
    assert api.post(f"/api/v1/cases/{case.pk}/sign/").status_code == 200
    data = _shaped(api.post(f"/api/v1/cases/{case.pk}/sign/"), 409, "conflict")
    assert "部门办理中" in data["message"] and data["fields"] == {}


def test_an_unknown_path_and_an_object_outside_the_scope_are_the_same_404(world):
    api = _token(world.users["grid_a"])
    outside = _shaped(api.get(f"/api/v1/households/{world.households['E1'].pk}/"), 404, "not_found")
    unknown = _shaped(api.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert outside["message"] == unknown["message"] and outside["fields"] == {}


def test_a_body_django_refuses_before_any_view_is_shaped_on_the_api_and_a_page_elsewhere(world, settings):
    """Too many files (a multipart body past DATA_UPLOAD_MAX_NUMBER_FILES) ends in Django's own
    request parsing, before DRF's handler: the API still answers in its shape."""
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = {f"photos{i}": SimpleUploadedFile(f"{i}.jpg", b"x", content_type="image/jpeg") for i in range(3)}
    api = _token(world.users["grid_a"])
    data = _shaped(api.post("/api/v1/cases/", files), 400, "bad_request")
    assert data["fields"] == {}
    page = Client().post(reverse("login"), files)
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_401_403_405_415_and_422_are_shaped(world, client_for):
    _shaped(Client().get("/api/v1/areas/"), 401, "not_authenticated")
    _shaped(Client(headers={"Authorization": "Bearer ggp_nosuch"}).get("/api/v1/areas/"), 401, "token_invalid")
    api = _token(world.users["grid_a"])
    _shaped(api.delete("/api/v1/areas/"), 405, "method_not_allowed")
    _shaped(api.post("/api/v1/cases/", "<x/>", content_type="application/xml"), 415, "unsupported_media_type")
    key = str(uuid.uuid4())
    headers = {"Idempotency-Key": key}
    assert (
        api.post("/api/v1/cases/", _report(world), content_type="application/json", headers=headers).status_code == 201
    )
    reused = api.post(
        "/api/v1/cases/", _report(world, description="另一件"), content_type="application/json", headers=headers
    )
    assert set(_shaped(reused, 422, "key_reused")["fields"]) == {"Idempotency-Key"}
    # Visible, but not the grid worker's to accept: a 403 in the same shape.
    case_id = api.get("/api/v1/cases/").json()["results"][0]["id"]
    _shaped(api.post(f"/api/v1/cases/{case_id}/accept/"), 403, "permission_denied")


def test_429_is_shaped(world, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"token": "1/min", "client_key": "1/min", "anonymous": "9/min"}
    )
    cache.clear()
    api = _token(world.users["grid_a"])
    api.get("/api/v1/areas/")
    _shaped(api.get("/api/v1/areas/"), 429, "throttled")
    cache.clear()


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh-hans", "身份认证信息未提供。"), ("en", "Authentication credentials were not provided.")],
)
def test_the_message_is_in_the_requests_language(world, language, message):
    data = _shaped(Client(headers={"Accept-Language": language}).get("/api/v1/areas/"), 401, "not_authenticated")
    assert data["message"] == message
