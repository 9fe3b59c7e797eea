"""挂牌上岗: a grid's public card names its grid workers (A/B), sunk staff, 楼栋长 and party branch with
their photo, duties and work number — nothing else of them — on a printable plate for staff and on
each building's QR page for residents."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases import services as case_services
from core.scope import SYSTEM
from orgs import cards
from orgs import services as org_services
from orgs.models import Post, PostCard, Role
from tests.factories import ResidentFactory

START = datetime.date(2025, 1, 1)


@pytest.fixture
def posted(world):
    """Grid A's card: its worker (with a card), a 楼栋长 who is a resident with a personal phone, its
    branch's secretary, and the sunk staff already in the world."""
    resident = ResidentFactory(household=world.households["A1"], name="楼栋长王", phone="13912345678")
    head = org_services.appoint(
        actor=SYSTEM,
        post=Post(
            holder_name="王楼长", role=Role.BUILDING_HEAD, area=world.areas["A1"], resident=resident, start=START
        ),
    )
    secretary = org_services.appoint(
        actor=SYSTEM,
        post=Post(holder_name="李书记", role=Role.SECRETARY, organization=world.orgs["A"], start=START),
    )
    worker = Post.objects.get(user=world.users["grid_a"])
    cards.set_post_card(actor=SYSTEM, post=worker, duties="信息采集、走访、上报", phone="0951-6100001")
    cards.set_post_card(actor=SYSTEM, post=head, duties="联系本楼住户", phone="")
    return {"resident": resident, "head": head, "secretary": secretary, "worker": worker}


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), "blue").save(out, format="PNG")
    return SimpleUploadedFile("face.png", out.getvalue(), content_type="image/png")


def test_the_card_has_each_kind_of_post_and_only_public_fields(world, posted):
    card = cards.grid_card(world.areas["A"])
    worker = card.workers[0]
    assert (worker.slot, worker.duties, worker.phone) == ("A岗", "信息采集、走访、上报", "0951-6100001")
    assert [p.name for p in card.building_heads] == ["王楼长"] and card.building_heads[0].where == "A1楼"
    assert [p.where for p in card.sunk_staff] == ["民政局"]
    assert [(b.name, [p.name for p in b.committee]) for b in card.branches] == [("网格A党支部", ["李书记"])]
    public = {"post_id", "name", "role", "slot", "where", "duties", "phone", "has_photo"}
    assert set(type(worker).__dataclass_fields__) == public


def test_a_grid_without_its_own_branch_shows_its_communitys(world):
    card = cards.grid_card(world.areas["B"])
    assert [b.name for b in card.branches] == ["一社区党总支"]
    assert [p.name for p in card.branches[0].committee] == ["总支书记"]


def test_the_buildings_qr_page_shows_the_card_and_nothing_private(world, posted, client_for):
    plates = case_services.issue_door_plates(actor=SYSTEM, community=world.areas["K1"])
    token = next(p.token for p in plates if p.building_id == world.areas["A1"].pk)
    page = client_for(None).get(reverse("cases:resident_report", args=[token]))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="grid-card"' in body
    assert "王楼长" in body and "李书记" in body and "0951-6100001" in body and "信息采集、走访、上报" in body
    resident = posted["resident"]
    assert resident.phone not in body and "楼栋长王" not in body and resident.citizen_id not in body


def test_a_building_of_another_grid_shows_that_grids_card(world, posted, client_for):
    plates = case_services.issue_door_plates(actor=SYSTEM, community=world.areas["K1"])
    token = next(p.token for p in plates if p.building_id == world.areas["B1"].pk)
    body = client_for(None).get(reverse("cases:resident_report", args=[token])).content.decode()
    assert "网格B" in body and "王楼长" not in body


@pytest.mark.parametrize(("size", "page_size"), [("a4", "A4"), ("a5", "A5"), ("letter", "A4")])
def test_the_plate_prints_on_a4_or_a5(world, posted, client_for, size, page_size):
    page = client_for(world.users["community"]).get(
        reverse("gridwork:grid_plate", args=[world.areas["A"].pk]), {"size": size}
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert f"size: {page_size} portrait" in body and "@media print" in body and "王楼长" in body
    assert reverse("gridwork:post_card", args=[posted["head"].pk]) in body  # community staff keep the cards


def test_the_plate_of_a_grid_outside_ones_scope_is_404_and_a_grid_worker_gets_no_edit_links(world, posted, client_for):
    assert (
        client_for(world.users["grid_b"]).get(reverse("gridwork:grid_plate", args=[world.areas["A"].pk])).status_code
        == 404
    )
    page = client_for(world.users["grid_a"]).get(reverse("gridwork:grid_plate", args=[world.areas["A"].pk]))
    assert page.status_code == 200 and 'data-testid="card-edit-links"' not in page.content.decode()
    not_a_grid = client_for(world.users["community"]).get(reverse("gridwork:grid_plate", args=[world.areas["A1"].pk]))
    assert not_a_grid.status_code == 404


def test_community_staff_keep_a_card_with_a_photo_served_while_the_post_is_held(world, posted, client_for):
    head = posted["head"]
    client = client_for(world.users["community"])
    saved = client.post(
        reverse("gridwork:post_card", args=[head.pk]), {"duties": "收集诉求", "phone": "0951-1", "photo": _photo()}
    )
    assert saved.status_code == 302
    card = PostCard.objects.get(post=head)
    assert card.duties == "收集诉求" and card.photo.name.startswith("cards/")
    photo = client_for(None).get(reverse("orgs:card_photo", args=[head.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    org_services.end_post(actor=SYSTEM, post=head, end=timezone.localdate() - datetime.timedelta(days=1))
    assert client_for(None).get(reverse("orgs:card_photo", args=[head.pk])).status_code == 404
    assert (
        head.holder_name not in client.get(reverse("gridwork:grid_plate", args=[world.areas["A"].pk])).content.decode()
    )


def test_a_grid_worker_may_not_keep_cards(world, posted, client_for):
    assert (
        client_for(world.users["grid_a"]).get(reverse("gridwork:post_card", args=[posted["worker"].pk])).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        cards.set_post_card(actor=world.users["grid_a"], post=posted["head"], duties="x", phone="")
