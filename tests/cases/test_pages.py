"""The case pages per role: who sees what (outside scope is a 404), what each page costs in
queries whatever the data, and the resident's QR journey without a log-in."""

import io
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cases import forms, services
from cases.models import Case, DoorPlate, Status
from core.scope import SYSTEM
from tests.cases.conftest import VISIBLE, category


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_each_persona_lists_exactly_their_cases(world, spread, client_for, persona):
    response = client_for(world.users[persona]).get(reverse("cases:list"))
    assert response.status_code == 200
    listed = {c.pk for c in response.context["cases"]}
    assert listed == {spread[b].pk for b in VISIBLE[persona]}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_a_case_outside_scope_is_a_404_like_a_missing_one(world, spread, client_for, persona):
    client = client_for(world.users[persona])
    for building, case in spread.items():
        response = client.get(reverse("cases:detail", args=[case.pk]))
        assert response.status_code == (200 if building in VISIBLE[persona] else 404), building
    missing = client.get(reverse("cases:detail", args=[10**9]))
    if persona != "admin":
        outside = next(c for b, c in spread.items() if b not in VISIBLE[persona])
        assert client.get(reverse("cases:detail", args=[outside.pk])).content == missing.content


def test_anonymous_users_are_sent_to_log_in(world, spread, client_for):
    client = client_for(None)
    for url in [reverse("cases:list"), reverse("cases:detail", args=[spread["A1"].pk]), reverse("cases:board")]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_officer_of_another_department_cannot_sign(world, spread, client_for):
    case = spread["A1"]
    assert client_for(world.users["officer_mz"]).post(reverse("cases:sign", args=[case.pk])).status_code == 404
    assert Case.objects.get(pk=case.pk).status == Status.DISPATCHED
    response = client_for(world.users["officer"]).post(reverse("cases:sign", args=[case.pk]), follow=True)
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    assert "已办理" in response.content.decode()


STEPS = [
    "accept", "reject", "merge", "whistle", "escalate", "dispatch", "sign", "return", "extend",
    "decide_extension", "resolve", "verify",
]  # fmt: skip


@pytest.mark.parametrize("step", STEPS)
def test_every_step_is_a_404_on_a_case_outside_scope_and_changes_nothing(world, spread, client_for, step):
    case = spread["D1"]  # street S2: outside community K1, street S1 and both departments
    for persona in ["grid_a", "community", "street", "officer", "officer_mz", "sunk"]:
        response = client_for(world.users[persona]).post(reverse(f"cases:{step}", args=[case.pk]), {"note": "x"})
        assert response.status_code == 404, persona
    assert Case.objects.get(pk=case.pk).status == Status.REPORTED
    assert case.events.count() == 1


def test_a_refused_step_is_explained_and_changes_nothing(world, spread, client_for):
    # The street staff can see the case but may not sign for a department.
    response = client_for(world.users["street"]).post(reverse("cases:sign", args=[spread["A1"].pk]), follow=True)
    assert "您的岗位不能办理这一步" in response.content.decode()
    assert Case.objects.get(pk=spread["A1"].pk).status == Status.DISPATCHED


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_grid_worker_reports_with_a_photo_and_a_double_submit_makes_one_case(world, client_for):
    client = client_for(world.users["grid_a"])
    form = client.get(reverse("cases:new"))
    assert set(form.context["form"].fields["area"].queryset) == {world.areas["A1"], world.areas["A2"]}
    key = str(uuid.uuid4())
    data = {
        "submission_key": key,
        "area": world.areas["A1"].pk,
        "category": category("safety-fire").pk,
        "description": "消防通道被堵",
        "source": "grid_patrol",
    }
    first = client.post(reverse("cases:new"), {**data, "photos": [jpeg()]})
    second = client.post(reverse("cases:new"), {**data, "photos": [jpeg()]})
    case = Case.objects.get(submission_key=key)
    assert first["Location"] == second["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.photos.count() == 1 and case.colour == "red"
    photo = case.photos.get()
    assert client.get(reverse("cases:photo", args=[photo.pk])).status_code == 200
    assert client_for(world.users["grid_b"]).get(reverse("cases:photo", args=[photo.pk])).status_code == 404


def test_a_bad_photo_is_named_and_nothing_is_saved(world, client_for):
    client = client_for(world.users["grid_a"])
    before = Case.objects.count()
    response = client.post(
        reverse("cases:new"),
        {
            "submission_key": str(uuid.uuid4()),
            "area": world.areas["A1"].pk,
            "category": category("safety-fire").pk,
            "description": "x",
            "source": "grid_patrol",
            "photos": [SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not a photo")],
        },
    )
    assert response.status_code == 200
    assert "“virus.jpg”不是可识别的照片" in response.content.decode()
    assert Case.objects.count() == before


def test_the_detail_page_offers_each_role_its_steps(world, spread, client_for):
    case = spread["A1"]
    steps = {
        p: client_for(world.users[p]).get(reverse("cases:detail", args=[case.pk])).context["steps"]
        for p in VISIBLE
        if case.pk in {spread[b].pk for b in VISIBLE[p]}
    }
    assert steps["officer"] == {"sign", "return"}
    assert steps["street"] == {"escalate"}
    assert steps["grid_a"] == set() and steps["leader"] == set()


@pytest.mark.parametrize(
    ("url", "persona", "queries"),
    [
        # community may reveal personal data, so the session's second-factor device is read too;
        # the lists also read the user's saved filters, and every page the header's unread count;
        # the filter form asks whether the scope has two communities and more grids than a list holds
        ("cases:list", "community", 11),
        ("cases:list", "officer", 7),
        ("cases:board", "street", 8),
    ],
)
def test_list_pages_cost_the_same_however_many_cases(
    world, report, client_for, django_assert_num_queries, url, persona, queries
):
    client = client_for(world.users[persona])
    for _ in range(2):
        services.whistle_case(case=report(), actor=world.users["community"], note="x")
    with django_assert_num_queries(queries):
        client.get(reverse(url))
    for _ in range(8):
        services.whistle_case(case=report(building="B1", by="community"), actor=world.users["community"], note="x")
    with django_assert_num_queries(queries):
        client.get(reverse(url))


def test_the_detail_page_costs_the_same_however_long_the_timeline(
    world, dispatched, client_for, django_assert_num_queries
):
    client = client_for(world.users["officer"])
    case = dispatched()
    # + the 常用语 (reply templates) offered for the steps the officer may take, + the case's places
    with django_assert_num_queries(10):
        client.get(reverse("cases:detail", args=[case.pk]))
    case = services.sign_case(case=case, actor=world.users["officer"])
    for _ in range(3):
        case = services.request_extension(case=case, actor=world.users["officer"], days=1, reason="x")
        case = services.decide_extension(case=case, actor=world.users["street"], approve=False)
    with django_assert_num_queries(10):
        client.get(reverse("cases:detail", args=[case.pk]))


def test_the_list_pages_by_cursor_without_counting(world, report, client_for):
    for _ in range(35):
        report()
    client = client_for(world.users["community"])
    first = client.get(reverse("cases:list"))
    assert len(first.context["cases"]) == 30
    second = client.get(reverse("cases:list"), {"after": first.context["next_cursor"]})
    assert len(second.context["cases"]) == 5 and second.context["next_cursor"] is None
    assert not {c.pk for c in first.context["cases"]} & {c.pk for c in second.context["cases"]}
    broken = client.get(reverse("cases:list"), {"after": "not-a-cursor"})
    assert "翻页参数无效" in broken.content.decode()


def test_filters_narrow_the_list(world, report, client_for):
    red = report(code="safety-fire")
    blue = report()
    client = client_for(world.users["community"])
    assert [c.pk for c in client.get(reverse("cases:list"), {"colour": "red"}).context["cases"]] == [red.pk]
    assert [c.pk for c in client.get(reverse("cases:list"), {"grid": world.areas["A"].pk}).context["cases"]] == [
        blue.pk,
        red.pk,
    ]
    assert client.get(reverse("cases:list"), {"grid": world.areas["B"].pk}).context["cases"] == []
    assert "community" not in client.get(reverse("cases:list")).context["filters"].fields  # its own only


def _offered(response, field: str) -> list[str]:
    return [label for value, label in response.context["filters"][field].field.widget.choices if value != ""]


def test_a_street_filters_by_community_and_then_by_its_grids(world, report, client_for, monkeypatch):
    in_k1, in_k2 = report(), report(building="C1", by="street")
    client = client_for(world.users["street"])
    listed = client.get(reverse("cases:list"), {"community": world.areas["K2"].pk})
    assert [c.pk for c in listed.context["cases"]] == [in_k2.pk]
    assert _offered(listed, "grid") == ["网格C"]  # the grids of the community chosen
    assert _offered(client.get(reverse("cases:list")), "grid") == ["网格A", "网格B", "网格C"]
    # More grids than a list holds (a district's 800): none is offered until a community is chosen,
    # and one in the address still filters and is shown chosen.
    monkeypatch.setattr(forms.CaseFilterForm, "GRID_CHOICES_MAX", 2)
    assert _offered(client.get(reverse("cases:list")), "grid") == []
    by_grid = client.get(reverse("cases:list"), {"grid": world.areas["A"].pk})
    assert [c.pk for c in by_grid.context["cases"]] == [in_k1.pk] and _offered(by_grid, "grid") == ["网格A"]
    foreign = client.get(reverse("cases:list"), {"community": world.areas["K3"].pk, "grid": "x"})
    assert foreign.status_code == 200 and set(foreign.context["filters"].errors) == {"community", "grid"}


# The resident's QR door plate ----------------------------------------------------------------


@pytest.fixture
def plate(world):
    plates = services.issue_door_plates(actor=SYSTEM, community=world.areas["K1"])
    return {p.building.name: p for p in plates}["A1楼"]


def test_door_plates_are_printed_for_each_building_of_the_community(world, client_for):
    client_for(world.users["community"]).post(reverse("cases:door_plates", args=[world.areas["K1"].pk]))
    response = client_for(world.users["community"]).get(reverse("cases:door_plates", args=[world.areas["K1"].pk]))
    assert response.status_code == 200
    assert response.content.decode().count("<svg") == 3  # A1, A2, B1
    tokens = set(DoorPlate.objects.values_list("token", flat=True))
    client_for(world.users["community"]).post(reverse("cases:door_plates", args=[world.areas["K1"].pk]))
    assert set(DoorPlate.objects.values_list("token", flat=True)) == tokens  # reprinting keeps the tokens
    assert all(len(t) >= 24 for t in tokens)
    for persona in ["grid_a", "officer", "leader"]:
        url = reverse("cases:door_plates", args=[world.areas["K1"].pk])
        assert client_for(world.users[persona]).get(url).status_code == 404


def test_a_resident_reports_tracks_and_rates_without_logging_in(world, plate, client_for):
    cache.clear()
    client = client_for(None)
    url = reverse("cases:resident_report", args=[plate.token])
    form = client.get(url)
    assert "staff" not in {c.code for c in form.context["form"].fields["category"].queryset}
    assert not form.context["form"].fields["category"].queryset.filter(code__startswith="stability").exists()
    done = client.post(
        url,
        {
            "submission_key": str(uuid.uuid4()),
            "category": category("livelihood-sanitation").pk,
            "description": "垃圾桶满了没人清",
            "phone": "13800138000",
        },
    )
    case = done.context["case"]
    assert (case.source, case.area, case.reporter) == ("resident_qr", world.areas["A1"], None)
    tracking = client.get(reverse("cases:track_case", args=[case.tracking_code.lower()]))
    page = tracking.content.decode()
    assert case.number in page and "13800138000" not in page and "138****8000" not in page
    assert tracking.context["form"] is None  # not closed yet: nothing to rate
    case = services.accept_case(case=case, actor=world.users["community"])
    case = services.resolve_case(case=case, actor=world.users["community"], feedback="已清运")
    services.verify_case(case=case, actor=world.users["grid_a"], passed=True)
    client.post(reverse("cases:track_case", args=[case.tracking_code]), {"rating": "satisfied"})
    assert Case.objects.get(pk=case.pk).rating == "satisfied"
    again = client.post(reverse("cases:track_case", args=[case.tracking_code]), {"rating": "dissatisfied"}, follow=True)
    assert Case.objects.get(pk=case.pk).rating == "satisfied"
    assert "评价" in again.content.decode()
    assert client.get(reverse("cases:track_case", args=["NOSUCHCODE"])).status_code == 404


def test_the_qr_form_is_rate_limited_per_device_and_address(world, plate, client_for):
    cache.clear()
    client = client_for(None)
    url = reverse("cases:resident_report", args=[plate.token])
    client.get(url)

    def submit():
        return client.post(
            url,
            {"submission_key": str(uuid.uuid4()), "category": category("livelihood-sanitation").pk, "description": "x"},
        )

    for _ in range(5):
        assert submit().context.get("case") is not None
    refused = submit()
    assert "提交过于频繁" in refused.content.decode()
    assert Case.objects.filter(source="resident_qr").count() == 5


def test_an_unknown_plate_is_a_404(db, client_for):
    assert client_for(None).get(reverse("cases:resident_report", args=["guess"])).status_code == 404


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("cases:board", {"street", "district", "admin"}),
        ("cases:new", {"grid_a", "grid_b", "community", "street", "district", "admin"}),
    ],
)
def test_desk_pages_are_404_for_roles_they_are_not_for(world, client_for, url, allowed):
    for persona in sorted(VISIBLE):
        expected = 200 if persona in allowed else 404
        assert client_for(world.users[persona]).get(reverse(url)).status_code == expected, persona


def test_case_pages_are_404_for_a_user_without_posts_and_for_an_unknown_queue(world, client_for):
    from tests.factories import user_with_posts

    nobody = client_for(user_with_posts("no_posts"))
    assert nobody.get(reverse("cases:list")).status_code == 404
    assert client_for(world.users["community"]).get(reverse("cases:queue", args=["nosuch"])).status_code == 404


def test_an_overdue_case_is_marked_in_the_list(world, report, client_for):
    from tests.cases.conftest import at

    report(at=at(2026, 1, 5, 9))  # its response deadline passed long ago
    page = client_for(world.users["community"]).get(reverse("cases:list")).content.decode()
    assert 'class="table-danger"' in page and "已超期" in page
