"""The 12345 hotline both ways: the platform refers a case under its own reference (sent again, the
same case), hears every status change by webhook, and records its 回访 through the API; the metrics
count its ratings with the residents' and split them. Residents rate by their 查询码 over the API."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases import services
from cases.models import Case, CasePhoto, PhotoStage, RatedVia, Source
from cases.webhooks import services as webhooks
from core.scope import SYSTEM
from orgs import client_keys
from tests.cases.test_located_reports import EAST, drawn  # noqa: F401 - a fixture used below
from tests.cases.test_tracking import closed
from tests.cases.test_webhooks import ALL_KINDS, Receiver, _plain_http_on_loopback  # noqa: F401 - autouse

PHONE = "13912345678"


@pytest.fixture
def hotline(world):
    """The hotline platform's client, with its key for the world's district."""
    key, secret = client_keys.create_client_key(
        actor=SYSTEM,
        name="12345热线平台",
        district=world.areas["district"],
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    client.key = key
    return client


def _referral(world, ref="GD20261202-0001", **more):
    return {
        "external_ref": ref,
        "category": "urban-events-clutter",
        "building": world.areas["A1"].code,
        "description": "来电反映楼道堆放杂物",
        "reporter_phone": PHONE,
        **more,
    }


def refer(client, body):
    return client.post("/api/v1/cases/refer/", body, content_type="application/json")


def _png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 40)).save(out, format="PNG")
    return out.getvalue()


def test_the_hotline_round_trip(world, depts, hotline, run_tasks_here, client_for):
    u = world.users
    with Receiver() as receiver:
        # The platform subscribes for itself: its key is district staff, who keep the district's.
        district = world.areas["district"]
        _subscription, receiver.secret = webhooks.create_subscription(
            actor=hotline.key.account, name="12345热线", url=receiver.url, kinds=ALL_KINDS, district=district
        )
        with run_tasks_here():
            first = refer(hotline, _referral(world))
        again = refer(hotline, _referral(world))
        assert (first.status_code, again.status_code) == (201, 200), first.content
        assert first.json()["id"] == again.json()["id"]
        assert first.json()["source"] == Source.HOTLINE and first.json()["external_ref"] == "GD20261202-0001"
        case = Case.objects.get(external_ref="GD20261202-0001")
        assert case.area == world.areas["A1"] and case.reporter_phone == "+86" + PHONE
        with connection.cursor() as cursor:  # the caller's phone is stored encrypted, like residents'
            cursor.execute("SELECT reporter_phone FROM cases_case WHERE id = %s", [case.pk])
            assert PHONE not in cursor.fetchone()[0]

        with run_tasks_here():
            case = services.whistle_case(case=case, actor=u["community"], note="需要执法")
            case = services.dispatch_case(case=case, actor=u["street"], department=depts["城管局"])
            case = services.sign_case(case=case, actor=u["officer"])
            case = services.resolve_case(case=case, actor=u["officer"], feedback="已清理")
            case = services.verify_case(case=case, actor=u["grid_a"], passed=True, note="")
        with run_tasks_here():  # 回访, recorded by the platform's own key
            rated = hotline.post(
                f"/api/v1/cases/{case.pk}/callback/", {"rating": "basic", "note": "来电人基本满意"}, "application/json"
            )
        assert rated.status_code == 200, rated.content
        assert (rated.json()["rating"], rated.json()["rated_via"]) == ("basic", RatedVia.CALLBACK)

    kinds = [body["kind"] for body in receiver.taken]
    assert kinds == ["created", "whistled", "dispatched", "signed", "resolved", "verified", "rated"]
    assert receiver.refused == 0
    assert {body["case"]["external_ref"] for body in receiver.taken} == {"GD20261202-0001"}
    assert {body["case"]["status"] for body in receiver.taken} >= {"reported", "in_progress", "closed"}

    # A QR resident's own rating of another case, and the split: hotline and QR counted alike.
    other = closed(world, services.report_case(actor=u["grid_a"], category=case.category, area=case.area,
                                               description="路灯不亮"), depts["城管局"])  # fmt: skip
    services.rate_case(case=other, rating="satisfied")
    leader = client_for(u["leader"])
    (both,) = leader.get("/api/v1/cases/metrics/").json()["results"]
    assert (both["counts"]["rated"], both["counts"]["rated_callback"]) == (2, 1)
    assert both["rates"]["satisfaction"] == "0.9500"
    assert both["satisfaction_by_via"] == {"resident": "1.0000", "callback": "0.9000"}
    answer = leader.get("/api/v1/cases/metrics/?source=hotline").json()
    assert answer["source"] == "hotline"
    (hotline_only,) = answer["results"]
    assert (hotline_only["counts"]["reported"], hotline_only["counts"]["rated"]) == (1, 1)
    assert hotline_only["satisfaction_by_via"] == {"resident": None, "callback": "0.9000"}
    page = leader.get(reverse("cases:ranking"), {"source": "hotline"}).content.decode()
    assert '"satisfaction-resident">—</td>' in page and '"satisfaction-callback" title="1">90.0%</td>' in page


def test_a_reference_is_one_case_whatever_the_body_sent_again(world, hotline):
    assert refer(hotline, _referral(world)).status_code == 201
    again = refer(hotline, _referral(world, description="同一工单,补充说明"))
    assert again.status_code == 200
    assert Case.objects.filter(external_ref="GD20261202-0001").count() == 1
    assert refer(hotline, _referral(world, ref="GD20261202-0002")).status_code == 201
    assert Case.objects.filter(source=Source.HOTLINE).count() == 2


def test_a_reference_another_district_holds_is_refused_without_showing_its_case(world, hotline):
    _, secret = client_keys.create_client_key(
        actor=SYSTEM,
        name="县12345",
        district=world.areas["county"],
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    county = Client(headers={"Authorization": f"Bearer {secret}"})
    assert refer(county, _referral(world, building=world.areas["E1"].code)).status_code == 201
    taken = refer(hotline, _referral(world))
    assert taken.status_code == 400
    assert taken.json()["fields"] == {"external_ref": ["该外部编号已被另一案件使用"]}
    assert "id" not in taken.json()


def test_the_place_by_area_or_position_and_refused_outside_the_scope(world, hotline, drawn):  # noqa: F811
    by_area = refer(hotline, _referral(world, ref="R1", building="", area=world.areas["A2"].pk))  # blank: not given
    assert by_area.status_code == 201 and by_area.json()["area"] == world.areas["A2"].pk
    body = _referral(world, ref="R2", lat=30.005, long=114.0098 - 15 * EAST)
    del body["building"]
    located = refer(hotline, body)
    assert located.status_code == 201 and located.json()["area"] == world.areas["A1"].pk
    # The county's building: outside the district's key, refused like a code that names nothing.
    for code in [world.areas["E1"].code, "000000000000000"]:
        refused = refer(hotline, _referral(world, ref="R3", building=code))
        assert refused.status_code == 400 and list(refused.json()["fields"]) == ["building"]
    nowhere = _referral(world, ref="R4")
    del nowhere["building"]
    refused = refer(hotline, nowhere)
    assert refused.status_code == 400 and refused.json()["code"] == "no_place"
    assert not Case.objects.filter(external_ref__in=["R3", "R4"]).exists()


def test_a_key_without_the_place_refers_nothing(world):
    _, secret = client_keys.create_client_key(
        actor=SYSTEM,
        name="县12345",
        district=world.areas["county"],
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    county = Client(headers={"Authorization": f"Bearer {secret}"})
    assert refer(county, _referral(world)).status_code == 400  # A1 is not the county's
    assert not Case.objects.exists()


# Residents rate by their 查询码 --------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()  # the per-address counts of the anonymous rating
    yield
    cache.clear()


def _rate(code, rating="satisfied", **more):
    return Client(REMOTE_ADDR="203.0.113.9").post(
        "/api/v1/cases/rate/", {"tracking_code": code, "rating": rating, **more}, content_type="application/json"
    )


def test_a_resident_rates_by_the_code_once_and_a_wrong_code_is_a_404(world, report, depts):
    case = closed(world, report(), depts["城管局"])
    answer = _rate(case.tracking_code.lower())  # typed in lower case, as people do
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"number": case.number, "status": "closed", "rating": "satisfied"}
    case.refresh_from_db()
    assert (case.rating, case.rated_via) == ("satisfied", RatedVia.RESIDENT)
    twice = _rate(case.tracking_code, "dissatisfied")
    assert twice.status_code == 409 and twice.json()["code"] == "conflict"
    missing = _rate("ABCDEFGHJK")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    case.refresh_from_db()
    assert case.rating == "satisfied"


def test_a_case_not_yet_closed_cannot_be_rated(world, report):
    case = report()
    assert _rate(case.tracking_code).status_code == 409
    assert not Case.objects.get(pk=case.pk).rating


def test_rating_by_code_is_counted_per_address(world, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anonymous": "2/min"})
    cache.clear()
    assert [_rate("ABCDEFGHJK").status_code for _ in range(2)] == [404, 404]
    refused = _rate("ABCDEFGHJK")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


# Photos over the API -------------------------------------------------------------------------


def test_resolve_takes_photos_over_the_api_with_the_pages_checks(
    world, depts, report, client_for, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    case = report()
    case = services.whistle_case(case=case, actor=world.users["community"], note="需要执法")
    case = services.dispatch_case(case=case, actor=world.users["street"], department=depts["城管局"])
    case = services.sign_case(case=case, actor=world.users["officer"])
    officer = client_for(world.users["officer"])
    url = f"/api/v1/cases/{case.pk}/resolve/"

    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, format="GIF")
    refused = officer.post(url, {"feedback": "已清理", "photos": [SimpleUploadedFile("a.jpg", gif.getvalue())]})
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid" and refused.json()["fields"] == {
        "photos": ["“a.jpg”不是JPEG、PNG或WebP照片"]
    }
    with monkeypatch.context() as small:
        small.setattr("cases.photos.MAX_BYTES", 100)
        too_big = officer.post(url, {"feedback": "已清理", "photos": [SimpleUploadedFile("b.png", _png())]})
    assert too_big.status_code == 400 and list(too_big.json()["fields"]) == ["photos"]
    assert "超过" in too_big.json()["fields"]["photos"][0]
    seven = [SimpleUploadedFile(f"{n}.png", _png()) for n in range(7)]
    assert officer.post(url, {"feedback": "已清理", "photos": seven}).status_code == 400
    assert not CasePhoto.objects.exists()

    photos = [SimpleUploadedFile("after-1.png", _png()), SimpleUploadedFile("after-2.png", _png((60, 20)))]
    done = officer.post(url, {"feedback": "已清理", "photos": photos})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "resolved"
    stored = list(CasePhoto.objects.filter(case=case).order_by("pk"))
    assert [p.stage for p in stored] == [PhotoStage.AFTER] * 2
    assert [(p.width, p.height) for p in stored] == [(40, 30), (60, 20)]
    assert all(p.image.read(3) == b"\xff\xd8\xff" for p in stored)  # re-encoded as JPEG


def test_the_schema_documents_the_photo_steps_bodies():
    import yaml
    from django.conf import settings

    schema = yaml.safe_load((settings.BASE_DIR / "docs" / "openapi.yaml").read_text())
    body = schema["paths"]["/api/v1/cases/{id}/resolve/"]["post"]["requestBody"]["content"]
    assert body["multipart/form-data"]["schema"] == {"$ref": "#/components/schemas/Resolve"}
    photos = schema["components"]["schemas"]["Resolve"]["properties"]["photos"]
    assert photos["items"] == {"type": "string", "format": "binary"} and photos["maxItems"] == 6
    for step in ["verify", "refer"]:
        path = f"/api/v1/cases/{{id}}/{step}/" if step == "verify" else "/api/v1/cases/refer/"
        ref = schema["paths"][path]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
        assert "photos" in schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert "security" not in schema["paths"]["/api/v1/cases/rate/"]["post"]


def test_a_satisfaction_split_by_source_is_within_the_callers_scope(world, report, depts, client_for):
    case = closed(world, report(by="community", source="hotline", reporter_phone=PHONE), depts["城管局"])
    services.rate_by_callback(actor=world.users["community"], case=case, rating="satisfied")
    grid_b = client_for(world.users["grid_b"]).get("/api/v1/cases/metrics/?unit=community&source=hotline")
    assert grid_b.status_code == 200 and grid_b.json()["results"] == []  # A1 is not grid worker B's
    assert client_for(world.users["leader"]).get("/api/v1/cases/metrics/?source=nope").status_code == 400
