"""The resident's side: finding a case by its 查询码 or by its number and the phone's last four
digits, reading what was done about it, and the code a caller is given by staff."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cases import services
from cases.models import Case, Delivery, PhotoStage
from cases.photos import clean_photo
from cases.views import NOT_FOUND
from tests.cases.conftest import category

PHONE = "13800138000"


def photo(colour="green"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG")
    return clean_photo(SimpleUploadedFile("p.jpg", out.getvalue()))


@pytest.fixture
def hotline(world, report):
    """A 12345 case the community entered for a caller who left their phone."""
    cache.clear()

    def make(**kwargs):
        kwargs.setdefault("reporter_phone", PHONE)
        return report(by="community", source="hotline", **kwargs)

    return make


def closed(world, case, department, *, feedback="已清运,楼道已恢复通行", photos=()):
    case = services.whistle_case(case=case, actor=world.users["community"], note="需要执法,联系人王某")
    case = services.dispatch_case(case=case, actor=world.users["street"], department=department, note="内部派遣意见")
    case = services.sign_case(case=case, actor=world.users["officer"])
    case = services.resolve_case(case=case, actor=world.users["officer"], feedback=feedback, photos=photos)
    return services.verify_case(case=case, actor=world.users["grid_a"], passed=True, note="现场已核实")


def lookup(client, code, digits=""):
    return client.post(reverse("cases:track"), {"code": code, "last_digits": digits})


def test_it_finds_a_case_by_its_full_number_and_the_phones_last_four_digits(world, hotline, client_for):
    case = hotline()
    client = client_for(None)
    form = client.get(reverse("cases:track")).content.decode()
    assert 'maxlength="40"' in form  # the 18-digit number fits, spaces and all
    found = lookup(client, f" {case.number[:6]} {case.number[6:14]}-{case.number[14:]} ", "8000")
    assert found.status_code == 302 and found.url == reverse("cases:track_case", args=[case.tracking_code])
    assert lookup(client, case.tracking_code.lower()).url == found.url


@pytest.mark.parametrize(
    "code, digits",
    [
        ("number", "1234"),  # the right number, the wrong digits
        ("number", ""),  # the right number, no digits
        ("short", "8000"),  # the number one digit short
        ("99010220261201999", "8000"),  # seventeen digits
        ("990102202612019999", "8000"),  # a well-formed number nobody has
        ("ZZZZZZZZZZ", ""),  # a code nobody has
        ("<script>", "80a0"),
    ],
)
def test_a_wrong_pair_and_a_malformed_number_get_the_same_message(world, hotline, client_for, code, digits):
    case = hotline()
    code = {"number": case.number, "short": case.number[:-1]}.get(code, code)
    response = lookup(client_for(None), code, digits)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(NOT_FOUND)]
    assert "<script>" not in response.content.decode()


def test_a_case_without_a_phone_is_found_by_its_code_only(world, report, client_for):
    cache.clear()
    case = report(by="community", source="walk_in")
    client = client_for(None)
    assert lookup(client, case.number, "0000").status_code == 200
    assert lookup(client, case.tracking_code).status_code == 302


def test_look_ups_are_limited_per_number_and_per_address(world, hotline, client_for, settings):
    settings.TRACK_LOOKUPS_PER_NUMBER = 3
    settings.TRACK_LOOKUPS_PER_ADDRESS = 6
    case = hotline()
    client = client_for(None)
    for digits in ("0001", "0002", "0003"):
        assert lookup(client, case.number, digits).status_code == 200
    # Guessing stops at the number's ceiling, even for the right digits.
    refused = lookup(client, case.number, "8000")
    assert refused.status_code == 429 and "查询过于频繁" in refused.content.decode()
    other = hotline()
    for _ in range(2):
        assert lookup(client, other.tracking_code).status_code == 302
    assert lookup(client, other.tracking_code).status_code == 429  # the address's ceiling


def test_the_page_shows_the_public_notes_and_the_photos_of_the_fix_then_asks_for_a_rating(
    world, hotline, depts, client_for
):
    case = hotline(photos=[photo("red")])
    case = closed(world, case, depts["城管局"], feedback="已清运 联系人13912345678", photos=[photo("blue")])
    client = client_for(None)
    page = client.get(reverse("cases:track_case", args=[case.tracking_code]))
    text = page.content.decode()
    resolution = page.context["resolution"]
    assert resolution.note == "已清运 联系人*******5678" and "13912345678" not in text
    assert "现场已核实" in text  # the check on site is told
    assert "需要执法" not in text and "内部派遣意见" not in text  # hand-over notes stay inside
    assert PHONE not in text and "城管局" not in text  # no phones, no names of who did it
    assert page.context["form"] is not None and text.index("resolution") < text.index("rate-form")
    after = Case.objects.get(pk=case.pk).photos.get(stage=PhotoStage.AFTER)
    before = Case.objects.get(pk=case.pk).photos.get(stage=PhotoStage.REPORT)
    assert [p.pk for p in resolution.photos] == [after.pk]
    assert client.get(reverse("cases:track_photo", args=[case.tracking_code, after.pk])).status_code == 200
    # The report's photo may show people: not through the tracking code.
    assert client.get(reverse("cases:track_photo", args=[case.tracking_code, before.pk])).status_code == 404
    other = hotline()
    assert client.get(reverse("cases:track_photo", args=[other.tracking_code, after.pk])).status_code == 404


def test_a_caller_is_sent_their_code_once_the_case_is_committed(
    world, hotline, report, django_capture_on_commit_callbacks, run_tasks_here
):
    texts = Delivery.objects.filter(kind="tracking_code")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = hotline(submission_key="6f1d2d8e-7f5e-4a8e-9f55-2d3b4a5c6d7e")
    owed = texts.get()
    assert owed.sent_at is None and owed.phone.endswith("8000")  # nothing is sent before the commit
    with run_tasks_here():  # the delivery task, here rather than on a worker
        for callback in callbacks:
            callback()
    sent = texts.get()
    assert sent.sent_at is not None and case.tracking_code in sent.text and case.number in sent.text
    with django_capture_on_commit_callbacks(execute=True):
        again = hotline(submission_key="6f1d2d8e-7f5e-4a8e-9f55-2d3b4a5c6d7e")  # the same form twice
        report(by="grid_a", reporter_phone=PHONE)  # a patrol find has no caller
        report(by="community", source="walk_in")  # a caller who left no phone
    assert again.pk == case.pk and texts.count() == 1


def test_the_intake_confirmation_shows_the_callers_code(world, depts, client_for):
    cache.clear()
    client = client_for(world.users["community"])
    form = client.get(reverse("cases:new")).context["form"]
    response = client.post(
        reverse("cases:new"),
        {
            "submission_key": form["submission_key"].initial,
            "area": world.areas["A1"].pk,
            "category": category("urban-events-clutter").pk,
            "description": "来电反映楼道堆物",
            "source": "hotline",
            "reporter_phone": PHONE,
        },
        follow=True,
    )
    case = response.context["case"]
    assert response.context["caller_code"] == case.tracking_code
    assert case.tracking_code in response.content.decode() and "138****8000" in response.content.decode()
    patrol = services.report_case(
        actor=world.users["grid_a"], category=category("urban-events-clutter"), area=world.areas["A1"], description="x"
    )
    assert client.get(reverse("cases:detail", args=[patrol.pk])).context["caller_code"] is None
    # The department that will be rated never sees the code it could rate itself with.
    case = services.whistle_case(case=case, actor=world.users["community"], note="需要执法")
    services.dispatch_case(case=case, actor=world.users["street"], department=depts["城管局"])
    for persona, shown in [("officer", False), ("street", True), ("grid_a", False)]:
        page = client_for(world.users[persona]).get(reverse("cases:detail", args=[case.pk]))
        assert (page.context["caller_code"] == case.tracking_code) is shown, persona
        assert (case.tracking_code in page.content.decode()) is shown, persona
