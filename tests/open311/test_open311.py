"""Open311 GeoReport v2 at /open311/v2/: every answer checked field by field against the
specification's examples in JSON and in XML (read with xml.etree), a POST found again by id and
by date range in both formats, the error list, keys that may not report, and each way of
placing a request: lat/long inside and outside every grid, address_id and address_string."""

import datetime
import json
import logging
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from cases.models import Case, Source
from core.api_tokens import PREFIX_LENGTH
from core.logmask import MaskPersonalNumbers
from core.models import AuditEntry
from core.scope import SYSTEM
from grids.shapes import set_shape
from orgs import client_keys
from tests.cases.conftest import category
from tests.grids.test_geometry import square

SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
JURISDICTION = "980101000000"  # the world's district


@pytest.fixture(autouse=True)
def _fresh_rates():
    """Every test starts with the anonymous address's and the keys' budgets unspent."""
    cache.clear()
    yield
    cache.clear()


def _key(world, root="district"):
    expires = timezone.localdate() + datetime.timedelta(days=30)
    return client_keys.create_client_key(actor=SYSTEM, name="311应用", district=world.areas[root], expires_on=expires)


@pytest.fixture
def secret(world) -> str:
    return _key(world)[1]


def _get(client, path: str, fmt: str = "json", **params):
    params.setdefault("jurisdiction_id", JURISDICTION)
    return client.get(f"/open311/v2/{path}.{fmt}", params)


def _post(client, fmt: str = "json", **data):
    data.setdefault("jurisdiction_id", JURISDICTION)
    data.setdefault("service_code", "urban-events-clutter")
    data.setdefault("description", "楼道堆放杂物")
    return client.post(f"/open311/v2/requests.{fmt}", data)


def _xml(response) -> ElementTree.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own test server's answer)


def _rows(root: ElementTree.Element, item: str) -> list[dict]:
    assert all(child.tag == item for child in root)
    return [{field.tag: field.text for field in row} for row in root]


def test_discovery_names_the_specification_and_both_formats(client):
    answer = client.get("/open311/v2/discovery.json").json()
    assert list(answer) == ["changeset", "contact", "key_service", "endpoints"]
    (endpoint,) = answer["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production" and endpoint["formats"] == ["text/xml", "application/json"]
    root = _xml(client.get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery"
    formats = root.find("endpoints/endpoint/formats")
    assert [f.tag for f in formats] == ["format", "format"] and [f.text for f in formats] == endpoint["formats"]
    assert root.findtext("endpoints/endpoint/specification") == endpoint["specification"]


def test_services_are_the_categories_residents_may_pick(client, world):
    services = _get(client, "services").json()
    codes = [s["service_code"] for s in services]
    assert "urban-events-clutter" in codes and "dispute-family" in codes
    assert "stability-group" not in codes and "urban" not in codes  # staff-only, and a heading
    clutter = next(s for s in services if s["service_code"] == "urban-events-clutter")
    assert list(clutter) == SERVICE_FIELDS
    assert clutter["service_name"] == "乱堆乱放" and clutter["group"] == "城市管理"
    assert clutter["description"] == "城市管理 / 事件 / 乱堆乱放"
    assert clutter["metadata"] is False and clutter["type"] == "realtime"
    root = _xml(_get(client, "services", "xml"))
    assert root.tag == "services"
    rows = _rows(root, "service")
    assert [r["service_code"] for r in rows] == codes
    xml_clutter = next(r for r in rows if r["service_code"] == "urban-events-clutter")
    assert list(xml_clutter) == SERVICE_FIELDS and xml_clutter["metadata"] == "false"


def test_a_service_definition_has_no_attributes_and_unknown_codes_are_404(client, world):
    assert _get(client, "services/urban-events-clutter").json() == {
        "service_code": "urban-events-clutter",
        "attributes": [],
    }
    root = _xml(_get(client, "services/urban-events-clutter", "xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "urban-events-clutter"
    assert root.find("attributes") is not None and len(root.find("attributes")) == 0
    for code in ["stability-group", "nonesuch"]:
        refused = _get(client, f"services/{code}")
        assert refused.status_code == 404 and refused.json()[0]["code"] == 404


def test_a_post_is_a_residents_report_found_again_by_id_and_by_dates_in_both_formats(client, world, secret):
    answer = _post(client, api_key=secret, address_id=world.areas["A1"].code, phone="13812345678")
    assert answer.status_code == 200
    (created,) = answer.json()
    assert list(created) == ["service_request_id", "service_notice", "account_id"]
    case = Case.objects.unscoped("test").get(number=created["service_request_id"])
    assert case.source == Source.OPEN311 and case.reporter is None and case.area == world.areas["A1"]
    assert case.reporter_phone == "+8613812345678" and case.tracking_code in created["service_notice"]
    # The resident reported, through the app: the audit names the app's key beside the resident.
    entry = AuditEntry.objects.filter(action="case.report").get()
    assert entry.actor is None and entry.capacity == f"{secret[:PREFIX_LENGTH]}:resident"
    for fmt in ["json", "xml"]:
        by_id = _get(client, f"requests/{case.number}", fmt)
        by_dates = _get(
            client,
            "requests",
            fmt,
            start_date=(timezone.now() - datetime.timedelta(hours=1)).isoformat(),
            end_date=(timezone.now() + datetime.timedelta(hours=1)).isoformat(),
            status="open",
        )
        if fmt == "json":
            (one,), listed = by_id.json(), by_dates.json()
        else:
            (one,), listed = _rows(_xml(by_id), "request"), _rows(_xml(by_dates), "request")
            assert _xml(by_id).tag == "service_requests"
        assert [r["service_request_id"] for r in listed] == [case.number]
        assert list(one) == REQUEST_FIELDS
        assert one["service_request_id"] == case.number and one["status"] == "open"
        assert one["status_notes"] == "待受理" and one["service_code"] == "urban-events-clutter"
        assert one["agency_responsible"] == "一社区"
        assert one["requested_datetime"] == timezone.localtime(case.created_at).isoformat(timespec="seconds")
        assert one["requested_datetime"].endswith("+08:00")
        assert one["expected_datetime"] == timezone.localtime(case.response_due).isoformat(timespec="seconds")
        # A public read: no description, no building, no phone.
        assert one["description"] in (None, "") and one["address_id"] in (None, "")
        assert one["address"] == "一街道 一社区"
        assert "138" not in (by_id.content + by_dates.content).decode()
    assert _get(client, f"requests/{case.number}", status="closed").status_code == 200  # the id overrides
    assert _get(client, "requests", status="closed").json() == []


def test_the_same_idempotency_key_makes_one_case(client, world, secret):
    header = {"HTTP_IDEMPOTENCY_KEY": "5f0c2a4e-8d7b-4c1e-9a3f-2b6d8e1f0a11"}
    body = {"api_key": secret, "jurisdiction_id": JURISDICTION, "service_code": "urban-events-clutter"}
    body |= {"address_id": world.areas["A1"].code, "description": "楼道堆放杂物"}
    first = client.post("/open311/v2/requests.json", body, **header)
    again = client.post("/open311/v2/requests.json", body, **header)
    assert first.status_code == again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    other = client.post("/open311/v2/requests.json", body | {"description": "另一件事"}, **header)
    assert other.status_code == 422
    assert other.json() == [{"code": 422, "description": "Idempotency-Key: 该幂等键已用于另一个请求"}]
    assert Case.objects.unscoped("test").count() == 1


def test_the_districts_key_reads_the_description_and_the_building(client, world, secret):
    case = Case.objects.unscoped("test").get(
        number=_post(client, api_key=secret, address_id=world.areas["A1"].code).json()[0]["service_request_id"]
    )
    (one,) = _get(client, f"requests/{case.number}", api_key=secret).json()
    assert one["description"] == "楼道堆放杂物" and one["address_id"] == world.areas["A1"].code
    assert one["address"] == "一街道 一社区 A1楼"
    other_key = _key(world, "county")[1]  # another district's key reads as the public does
    (public,) = _get(client, f"requests/{case.number}", api_key=other_key).json()
    assert public["description"] is None


def test_tokens_are_tracking_codes(client, world, secret):
    number = _post(client, api_key=secret, address_id=world.areas["A1"].code).json()[0]["service_request_id"]
    case = Case.objects.unscoped("test").get(number=number)
    assert _get(client, f"tokens/{case.tracking_code}").json() == [
        {"service_request_id": number, "token": case.tracking_code}
    ]
    row = _xml(_get(client, f"tokens/{case.tracking_code}", "xml")).find("request")
    assert row.findtext("service_request_id") == number and row.findtext("token") == case.tracking_code
    assert _get(client, "tokens/ZZZZZZZZZZ").status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_are_the_specifications_list_with_http_codes(client, world, secret, fmt):
    def errors(response):
        if fmt == "json":
            return [(e["code"], e["description"]) for e in response.json()]
        root = _xml(response)
        assert root.tag == "errors"
        return [(int(r["code"]), r["description"]) for r in _rows(root, "error")]

    missing_key = _post(client, fmt, address_id=world.areas["A1"].code)
    assert missing_key.status_code == 400 and errors(missing_key)[0][0] == 400
    bad_key = _post(client, fmt, api_key="ggc_nonesuch", address_id=world.areas["A1"].code)
    assert bad_key.status_code == 403 and errors(bad_key) == [(403, "密钥无效")]
    no_place = _post(client, fmt, api_key=secret)
    assert no_place.status_code == 400 and "lat" in errors(no_place)[0][1]
    bad_code = _post(client, fmt, api_key=secret, service_code="stability-group", address_id=world.areas["A1"].code)
    assert bad_code.status_code == 400 and errors(bad_code)[0][1].startswith("service_code")
    for malformed in ["nonesuch", "%27%3B--", "99999999999999999999999999"]:
        unknown = client.get(f"/open311/v2/requests/{malformed}.{fmt}", {"jurisdiction_id": JURISDICTION})
        assert unknown.status_code == 404 and errors(unknown)[0][0] == 404
    unknown_jurisdiction = _get(client, "services", fmt, jurisdiction_id="000000")
    assert unknown_jurisdiction.status_code == 404
    too_long = _get(client, "requests", fmt, start_date="2026-01-01T00:00:00+08:00", end_date="2026-06-01")
    assert too_long.status_code == 400 and errors(too_long)[0][1].startswith("end_date")
    assert _get(client, "requests", fmt, start_date="yesterday").status_code == 400
    assert _get(client, "requests", fmt, status="pending").status_code == 400
    assert Case.objects.unscoped("test").count() == 0


def test_a_revoked_key_another_districts_key_and_a_departments_key_cannot_report(client, world, secret):
    key, revoked = _key(world)
    client_keys.revoke_client_key(actor=world.users["admin"], key_id=key.pk)
    answer = _post(client, api_key=revoked, address_id=world.areas["A1"].code)
    assert answer.status_code == 403 and answer.json() == [{"code": 403, "description": "密钥已撤销"}]
    county = _key(world, "county")[1]
    # The county's key, in the district: refused by jurisdiction, or by place without one.
    assert _post(client, api_key=county, address_id=world.areas["A1"].code).status_code == 403
    outside = _post(client, api_key=county, jurisdiction_id="980121000000", address_id=world.areas["A1"].code)
    assert outside.status_code == 400 and outside.json()[0]["description"].startswith("address_id")
    expires = timezone.localdate() + datetime.timedelta(days=30)
    chengguan = world.users["officer"].posts.get().department
    department_key = client_keys.create_client_key(
        actor=SYSTEM, name="城管系统", department=chengguan, expires_on=expires
    )[1]
    assert _post(client, api_key=department_key, address_id=world.areas["A1"].code).status_code == 403
    assert Case.objects.unscoped("test").count() == 0
    assert _post(client, api_key=secret, address_id=world.areas["A1"].code).status_code == 200


@pytest.fixture
def drawn(world):
    """Grid A (114.00–114.01) and B east of it, A1 and B1 with points in them; C, D, E undrawn."""
    a = world.areas
    set_shape(actor=SYSTEM, area=a["A"], boundary=square(114.0, 30.0, 0.01))
    set_shape(actor=SYSTEM, area=a["B"], boundary=square(114.01, 30.0, 0.01))
    set_shape(actor=SYSTEM, area=a["A1"], lng=114.005, lat=30.005)
    set_shape(actor=SYSTEM, area=a["B1"], lng=114.015, lat=30.005)
    return a


def test_lat_long_inside_each_grid_places_the_nearest_building(client, drawn, secret):
    for lng, building in [(114.004, "A1"), (114.016, "B1")]:
        answer = _post(client, api_key=secret, lat="30.004", long=str(lng), address_string="门口")
        case = Case.objects.unscoped("test").get(number=answer.json()[0]["service_request_id"])
        assert case.area == drawn[building] and case.location_note == "门口"
        (one,) = _get(client, f"requests/{case.number}", api_key=secret).json()
        assert (one["lat"], one["long"]) == (30.005, 114.005 if building == "A1" else 114.015)


def test_lat_long_outside_every_grid_is_refused_naming_the_nearest(client, drawn, secret):
    answer = _post(client, api_key=secret, lat="30.005", long="114.05")
    assert answer.status_code == 400
    assert answer.json()[0]["description"].startswith("位置不在您负责的任何网格内,最近的网格是网格B")
    assert _post(client, api_key=secret, lat="north", long="114.0").status_code == 400
    assert _post(client, api_key=secret, lat="30.0", long="200").status_code == 400
    assert Case.objects.unscoped("test").count() == 0


def test_address_string_finds_the_building_by_its_name(client, world, secret):
    answer = _post(client, api_key=secret, address_string="一社区 A1楼")
    case = Case.objects.unscoped("test").get(number=answer.json()[0]["service_request_id"])
    assert case.area == world.areas["A1"] and case.location_note == "一社区 A1楼"
    assert _post(client, api_key=secret, address_string="不存在的楼").status_code == 400
    assert _post(client, api_key=secret, address_string="E1楼").status_code == 400  # the county's


def test_lists_filter_by_code_and_page_with_a_link(client, world, secret, settings, monkeypatch):
    from cases.open311 import documents

    for code in ["urban-events-clutter", "safety-fire", "urban-events-clutter"]:
        _post(client, api_key=secret, service_code=code, address_id=world.areas["A1"].code)
    clutter = _get(client, "requests", service_code="urban-events-clutter,nonesuch").json()
    assert [r["service_code"] for r in clutter] == ["urban-events-clutter"] * 2
    monkeypatch.setattr(documents, "PAGE_SIZE", 2)
    first = _get(client, "requests")
    assert len(first.json()) == 2 and 'rel="next"' in first["Link"] and "page=2" in first["Link"]
    second = _get(client, "requests", page="2")
    assert len(second.json()) == 1 and not second.has_header("Link")
    assert _get(client, "requests", page="0").status_code == 400
    numbers = [r["service_request_id"] for r in first.json() + second.json()]
    both = _get(client, "requests", service_request_id=f"{numbers[0]},{numbers[2]}").json()
    assert [r["service_request_id"] for r in both] == [numbers[0], numbers[2]]


def test_staff_only_categories_never_show_in_public_reads(client, world, secret):
    from cases import services

    hidden = services.report_case(
        actor=world.users["grid_a"], category=category("stability-petition"), area=world.areas["A1"], description="信访"
    )
    assert _get(client, f"requests/{hidden.number}").status_code == 404
    assert _get(client, "requests").json() == []
    assert json.loads(_get(client, f"requests/{hidden.number}", api_key=secret).content)[0]["description"] == "信访"


def test_over_the_rate_is_a_429_in_the_error_list_with_retry_after(client, world, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"token": "2/min", "client_key": "2/min", "anonymous": "2/min"}
    )
    assert [_get(client, "services").status_code for _ in range(2)] == [200, 200]
    refused = _get(client, "services", "xml")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    (error,) = _rows(_xml(refused), "error")
    assert error["code"] == "429"


def test_an_api_key_in_a_request_line_never_reaches_a_log():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Bad Request: %s",
        ("/open311/v2/requests.json?api_key=ggc_Secret-1&status=open",),
        None,
    )
    MaskPersonalNumbers().filter(record)
    assert record.getMessage() == "Bad Request: /open311/v2/requests.json?api_key=***&status=open"
