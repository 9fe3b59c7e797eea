"""Posts on pages: appointed and ended one level down the org chain, with the Post model's dates."""

import pytest
from django.test import Client

from core.models import AuditEntry
from core.scope import SYSTEM
from orgs import services
from orgs.models import HandOver, Post
from tests.sign_in import force_login_verified


def _posts() -> list:
    return list(Post.objects.unscoped("test").order_by("pk").values_list("pk", "holder_name", "end"))


def _appoint(client, world, **data):
    form = {"holder_name": "新楼栋长", "role": "building_head", "area": world.areas["A2"].pk, "start": "2026-03-01"}
    return client.post("/posts/new/", {**form, **data})


def test_community_staff_appoint_a_building_head(world):
    client = force_login_verified(Client(), world.users["community"])
    response = _appoint(client, world)
    post = Post.objects.unscoped("test").get(holder_name="新楼栋长")
    assert response.status_code == 302 and response["Location"] == f"/posts/{post.pk}/"
    entry = AuditEntry.objects.filter(action="orgs.appoint").latest("id")
    assert (entry.actor, entry.capacity) == (world.users["community"], "community_staff")


def test_a_post_ending_before_it_starts_is_refused_on_the_end_field(world):
    client = force_login_verified(Client(), world.users["community"])
    before = _posts()
    response = _appoint(client, world, end="2026-02-01")
    assert response.status_code == 400
    assert "离任日期:离任日期不能早于任职日期" in response.content.decode()
    assert _posts() == before


def test_the_same_appointment_submitted_twice_makes_one_post(world):
    client = force_login_verified(Client(), world.users["community"])
    assert _appoint(client, world).status_code == 302
    before = _posts()
    response = _appoint(client, world)  # the double-click, or a second member of staff
    assert response.status_code == 400
    assert "新楼栋长已在此岗位任职,任期重叠" in response.content.decode()
    assert _posts() == before
    # Another period, after the first one ends, is a new post.
    post = Post.objects.unscoped("test").get(holder_name="新楼栋长")
    services.end_post(actor=world.users["community"], post=post, end=post.start.replace(month=6))
    assert _appoint(client, world, start="2026-07-01").status_code == 302


@pytest.mark.parametrize("persona", ["street", "district"])
def test_higher_levels_do_not_appoint_at_a_building(world, persona):
    client = force_login_verified(Client(), world.users[persona])
    before = _posts()
    assert _appoint(client, world).status_code == 404
    assert _posts() == before


def test_street_staff_appoint_at_a_community_of_their_street(world):
    client = force_login_verified(Client(), world.users["street"])
    response = _appoint(client, world, role="community_staff", area=world.areas["K2"].pk, holder_name="新社工")
    assert response.status_code == 302
    assert Post.objects.unscoped("test").filter(holder_name="新社工", area=world.areas["K2"]).exists()


@pytest.mark.parametrize(("role", "place"), [("finance_officer", "A2"), ("leader", "A2"), ("street_staff", "K2")])
def test_an_appointer_gives_only_the_roles_of_the_chain(world, role, place):
    """Community staff cannot make anyone (themselves included) a finance officer or a leader,
    nor street staff a street officer at a community: each is a field error and nothing is written."""
    persona = "street" if place == "K2" else "community"
    client = force_login_verified(Client(), world.users[persona])
    before = _posts()
    response = _appoint(client, world, role=role, area=world.areas[place].pk)
    assert response.status_code == 400 and "不能由您任命为" in response.content.decode()
    assert _posts() == before


def test_ending_a_post_keeps_it_and_its_history(world):
    client = force_login_verified(Client(), world.users["community"])
    post = Post.objects.unscoped("test").get(user=world.users["grid_a"])
    assert client.post(f"/posts/{post.pk}/end/", {"end": "2026-03-31"}).status_code == 302
    assert str(Post.objects.unscoped("test").get(pk=post.pk).end) == "2026-03-31"
    assert "orgs.end_post" in client.get(f"/posts/{post.pk}/history/").content.decode()


def test_a_grid_worker_cannot_end_their_own_post(world):
    client = force_login_verified(Client(), world.users["grid_a"])
    post = Post.objects.unscoped("test").get(user=world.users["grid_a"])
    assert client.post(f"/posts/{post.pk}/end/", {"end": "2026-03-31"}).status_code == 404
    assert Post.objects.unscoped("test").get(pk=post.pk).end is None


def _grid_a_posts(world):
    a_post = Post.objects.unscoped("test").get(user=world.users["grid_a"])  # grid A's A slot
    b_post = services.appoint(
        actor=SYSTEM,
        post=Post(holder_name="B岗网格员", role="grid_worker", area=world.areas["A"], slot="B", start=a_post.start),
    )
    return a_post, b_post


def test_the_b_slot_takes_over_for_a_period_and_it_is_recorded(world):
    a_post, b_post = _grid_a_posts(world)
    client = force_login_verified(Client(), world.users["community"])
    response = client.post(
        f"/posts/{a_post.pk}/hand_over/", {"start": "2026-04-01", "end": "2026-04-14", "reason": "产假"}
    )
    assert response.status_code == 302
    handing = HandOver.objects.unscoped("test").get(post=a_post)
    assert (handing.to, str(handing.start), str(handing.end)) == (b_post, "2026-04-01", "2026-04-14")
    page = client.get(f"/posts/{a_post.pk}/").content.decode()
    assert "B岗网格员 2026-04-01–2026-04-14 产假" in page
    assert AuditEntry.objects.filter(action="orgs.hand_over", target_id=str(a_post.pk)).exists()


def test_a_hand_over_without_a_b_slot_or_ending_before_it_starts_is_refused(world):
    a_post = Post.objects.unscoped("test").get(user=world.users["grid_a"])
    client = force_login_verified(Client(), world.users["community"])
    no_backup = client.post(
        f"/posts/{a_post.pk}/hand_over/", {"start": "2026-04-01", "end": "2026-04-14", "reason": "病假"}
    )
    assert no_backup.status_code == 400 and "没有在岗的B岗" in no_backup.content.decode()
    _grid_a_posts(world)
    backwards = client.post(
        f"/posts/{a_post.pk}/hand_over/", {"start": "2026-04-14", "end": "2026-04-01", "reason": "病假"}
    )
    assert backwards.status_code == 400 and "代岗结束:代岗结束日期不能早于开始日期" in backwards.content.decode()
    assert not HandOver.objects.unscoped("test").exists()
