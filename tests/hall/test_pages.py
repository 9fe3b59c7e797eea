"""The hall's pages: a resident applies from the QR plate without logging in (the phone stored
encrypted, a double-click makes one request, throttled like the QR report), the staff receive at
the window (a form sent twice writes once), the workbench shows what is overdue, and the counts."""

from django.db.models import TextField
from django.db.models.functions import Cast
from django.urls import reverse

from hall import services
from hall.models import ServiceItem, ServiceRequest, Source, Status
from tests.hall.conftest import at


def _apply(client, plate, key, **more):
    item = ServiceItem.objects.get(code="elderly-preferential-card")
    form = {"item": item.pk, "applicant_name": "李大爷", "applicant_phone": "13912345678", "submission_key": key}
    return client.post(reverse("hall:plate_request", args=[plate.token]), {**form, **more})


def test_the_qr_page_offers_a_service_and_a_resident_applies_without_logging_in(client, plate):
    page = client.get(reverse("cases:resident_report", args=[plate.token]))
    service_url = reverse("hall:plate_request", args=[plate.token])
    assert service_url in page.content.decode()
    answer = _apply(client, plate, "9d2c5a3e-8f1b-4c7a-9e6d-0a1b2c3d4e5f")
    assert answer.status_code == 200
    assert "已收到您的申请" in answer.content.decode()
    made = ServiceRequest.objects.unscoped("the test reads what the page made").get()
    assert (made.source, made.building, made.community.name) == (Source.QR, plate.building, "一社区")
    assert made.received_by is None and made.status == Status.RECEIVED
    assert made.applicant_phone == "+8613912345678"


def test_the_applicants_phone_is_encrypted_at_rest(client, plate):
    _apply(client, plate, "9d2c5a3e-8f1b-4c7a-9e6d-0a1b2c3d4e5f")
    raw = ServiceRequest.objects.unscoped("the stored column itself").annotate(raw=Cast("applicant_phone", TextField()))
    stored = raw.values_list("raw", flat=True).get()
    assert stored and "13912345678" not in stored and "5678" not in stored


def test_a_double_clicked_submit_makes_one_request(client, plate):
    key = "1f0e2d3c-4b5a-4968-8776-655443322110"
    first, second = _apply(client, plate, key), _apply(client, plate, key)
    assert first.status_code == second.status_code == 200
    assert ServiceRequest.objects.unscoped("count").count() == 1


def test_a_key_sent_again_for_another_item_is_refused(client, plate):
    key = "1f0e2d3c-4b5a-4968-8776-655443322110"
    _apply(client, plate, key)
    other = ServiceItem.objects.get(code="volunteer-registration")
    answer = _apply(client, plate, key, item=other.pk)
    assert "该提交标识已用于另一份申请" in answer.content.decode()
    assert ServiceRequest.objects.unscoped("count").count() == 1


def test_the_plate_form_is_throttled_per_address(client, plate, settings):
    settings.QR_REPORTS_PER_ADDRESS = 1
    assert _apply(client, plate, "00000000-0000-4000-8000-000000000001").status_code == 200
    assert _apply(client, plate, "00000000-0000-4000-8000-000000000002").status_code == 429
    assert ServiceRequest.objects.unscoped("count").count() == 1


def test_a_phone_is_required_from_the_plate(client, plate):
    answer = _apply(client, plate, "00000000-0000-4000-8000-000000000003", applicant_phone="")
    assert answer.status_code == 200 and not ServiceRequest.objects.unscoped("count").exists()


def test_a_window_form_sent_twice_writes_once(world, client_for):
    client = client_for(world.users["community"])
    url = reverse("hall:request_create")
    once = client.get(url).context["once"]
    item = ServiceItem.objects.get(code="retirement-certification")
    form = {"community": world.areas["K1"].pk, "item": item.pk, "applicant_name": "王师傅", "_once": once}
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    made = ServiceRequest.objects.unscoped("count").get()
    assert (made.source, made.received_by) == (Source.WINDOW, world.users["community"])


def test_the_staff_hand_over_and_refuse_through_the_pages(world, client_for, receive):
    made = receive()
    client = client_for(world.users["community"])
    handed = client.post(reverse("hall:request_assign", args=[made.pk]), {"handler": world.users["community"].pk})
    assert handed.status_code == 302
    refused = client.post(reverse("hall:request_refuse", args=[made.pk]), {"reason": "非本社区户籍"})
    assert refused.status_code == 302
    made.refresh_from_db()
    assert (made.status, made.result, made.handler) == (Status.REFUSED, "非本社区户籍", world.users["community"])
    # Ended: its steps are offered no more.
    assert client.get(reverse("hall:request_complete", args=[made.pk])).status_code == 404


def _items(client) -> dict:
    panels = client.get(reverse("home")).context["panels"]
    return {item.testid: item for panel in panels for item in panel.items if item.testid.startswith("todo-service")}


def test_the_workbench_shows_the_overdue_and_the_handed_over(world, client_for, receive):
    late = receive(days=1, received_at=at(2026, 11, 2, 9))  # due 3 Nov
    receive(days=20)  # received now: weeks left
    services.assign_request(actor=world.users["community"], request=late, handler=world.users["community"])
    items = _items(client_for(world.users["community"]))
    assert items["todo-service-open"].count == 2 and items["todo-service-open"].overdue == 1
    assert items["todo-service-overdue"].count == 1
    assert items["todo-service-mine"].count == 1 and items["todo-service-mine"].overdue == 1
    listed = client_for(world.users["community"]).get(items["todo-service-overdue"].url)
    assert [row[0] for row in listed.context["rows"]] == [late]


def test_a_grid_worker_has_no_service_panel(world, client_for):
    assert _items(client_for(world.users["grid_a"])) == {}


def test_the_stats_count_per_item_window_and_staff(world, client_for, receive):
    services.open_windows(actor=world.users["community"], community=world.areas["K1"])
    first = receive()
    receive()
    services.complete_request(actor=world.users["community"], request=first)
    page = client_for(world.users["community"]).get(reverse("hall:stats"))
    assert page.status_code == 200
    tables = {key: rows for key, _title, rows, _chart, _id in page.context["tables"]}
    assert tables["items"] == [{"name": "老年优待卡", "count": 2, "done": 1, "late": 0}]
    assert tables["windows"] == [{"name": "社会服务窗口", "count": 2, "done": 1, "late": 0}]
    staff = {r["name"]: r["count"] for r in tables["staff"]}
    assert staff == {world.users["community"].username: 1, "": 1}
    assert 'data-chart="ranked"' in page.content.decode()
