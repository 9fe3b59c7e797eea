"""The doorstep page logs a visit (and a case) from the household card; the card shows the
history; the workbench counts the households due and links to their list, which never names a
sensitive group; the case page links back to its visit."""

import datetime
import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases import services
from cases.models import Case, Visit
from grids import services as grid_services
from grids.models import Household
from tests.cases.conftest import category
from tests.factories import key_group


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def test_the_household_card_offers_the_visit_button_to_those_who_keep_it(world, client_for):
    url = reverse("grids:household", args=[world.households["A1"].pk])
    assert b'data-testid="visit-button"' in client_for(world.users["grid_a"]).get(url).content
    assert b'data-testid="visit-button"' not in client_for(world.users["street"]).get(url).content


def test_a_visit_with_a_photo_and_a_case_is_logged_from_the_phone_page(world, client_for):
    household = world.households["A1"]
    client = client_for(world.users["grid_a"])
    url = reverse("cases:visit_new", args=[household.pk])
    form = client.get(url)
    assert form.status_code == 200 and b'name="viewport"' in form.content
    response = client.post(
        url,
        {
            "on": timezone.localdate().isoformat(),
            "findings": "楼道堆放纸箱",
            "hazards": "纸箱堵塞消防通道",
            "raise_case": "on",
            "case_category": category("safety-fire").pk,
            "case_description": "消防通道被纸箱堵塞",
            "photo": jpeg(),
        },
    )
    visit = Visit.objects.get()
    assert response["Location"] == reverse("grids:household", args=[household.pk]) + "#visits"
    assert Household.objects.get(pk=household.pk).hazards == "纸箱堵塞消防通道" and visit.case is not None
    card = client.get(reverse("grids:household", args=[household.pk])).content.decode()
    assert "楼道堆放纸箱" in card and visit.case.number in card
    assert client.get(reverse("cases:visit_photo", args=[visit.pk])).status_code == 200
    assert client_for(world.users["grid_b"]).get(reverse("cases:visit_photo", args=[visit.pk])).status_code == 404
    page = client_for(world.users["community"]).get(reverse("cases:detail", args=[visit.case.pk])).content.decode()
    assert f"#visit-{visit.pk}" in page


def test_the_form_sent_twice_is_one_visit_and_one_case(world, client_for):
    """A double tap on the doorstep, or a resend after a dropped answer, carries the form's key."""
    household = world.households["A1"]
    client = client_for(world.users["grid_a"])
    url = reverse("cases:visit_new", args=[household.pk])
    key = re.search(rb'name="submission_key" value="([0-9a-f-]{36})"', client.get(url).content).group(1).decode()
    sent = {
        "on": timezone.localdate().isoformat(),
        "findings": "漏水",
        "raise_case": "on",
        "case_category": category("safety-fire").pk,
        "case_description": "楼顶漏水",
        "submission_key": key,
    }
    first, second = client.post(url, sent), client.post(url, sent)
    assert first.status_code == second.status_code == 302 and second["Location"] == first["Location"]
    assert Visit.objects.count() == 1 and Case.objects.count() == 1
    # Another form (a new key) is another visit; the same key from someone else is theirs alone.
    client.post(url, {**sent, "submission_key": str(uuid.uuid4())})
    client_for(world.users["community"]).post(url, sent)
    assert Visit.objects.count() == 3 and Case.objects.count() == 3


def test_raising_a_case_without_a_category_or_words_is_refused_on_the_form_and_nothing_is_saved(world, client_for):
    client = client_for(world.users["grid_a"])
    response = client.post(
        reverse("cases:visit_new", args=[world.households["A1"].pk]),
        {"on": timezone.localdate().isoformat(), "findings": "x", "raise_case": "on"},
    )
    assert response.status_code == 400 and b'data-testid="error-case_category"' in response.content
    assert b'data-testid="error-case_description"' in response.content
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_a_future_date_is_named_on_the_form(world, client_for):
    response = client_for(world.users["grid_a"]).post(
        reverse("cases:visit_new", args=[world.households["A1"].pk]),
        {"on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(), "findings": "x"},
    )
    assert response.status_code == 400 and b'data-testid="error-on"' in response.content
    assert not Visit.objects.exists()


@pytest.fixture
def plans(world):
    """Every household of K1 every 30 days is overdue for A2 and B1 (never visited); A1 (both of its
    households tagged) is due by the 7-day rules on 空巢老人 and the sensitive 社区矫正."""
    community = world.users["community"]
    k1 = world.areas["K1"]
    for group, days in [(None, 30), (key_group("empty-nest-elderly"), 7), (key_group("community-corrections"), 7)]:
        services.add_visit_rule(actor=community, area=k1, group=group, every_days=days)
    recently = timezone.localdate() - datetime.timedelta(days=10)
    for key in ["A1", "A1b", "A2"]:
        grid_services.update_household_card(actor=community, household=world.households[key], last_visited=recently)


def _due_item(client):
    panels = client.get(reverse("home")).context["panels"]
    return next(item for panel in panels for item in panel.items if item.testid == "todo-visits-due")


def test_the_grid_workers_workbench_counts_their_households_due_and_links_to_them(world, plans, client_for):
    item = _due_item(client_for(world.users["grid_a"]))
    assert item.count == 2 and item.url == reverse("cases:visits_due")  # A1 and A1b; A2 was seen 10 days ago
    assert _due_item(client_for(world.users["grid_b"])).count == 1  # B1, never visited


def test_the_list_puts_the_never_visited_first_and_hides_a_sensitive_groups_name(world, plans, client_for):
    never = world.households["B1"]
    page = client_for(world.users["community"]).get(reverse("cases:visits_due"))
    rows = page.context["rows"]
    assert rows[0][0].pk == never.pk
    assert {h.pk for h, _ in rows} == {never.pk, world.households["A1"].pk, world.households["A1b"].pk}
    groups = {h.pk: names for h, names in rows}
    assert groups[world.households["A1b"].pk] == ["空巢老人"]
    assert groups[world.households["A1"].pk] == []  # due for its 社区矫正 resident, who is not named
    assert "社区矫正" not in page.content.decode()
