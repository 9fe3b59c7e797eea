"""Who sees what: the persona matrix over every page and endpoint.

Outside scope is a 404 that looks exactly like a missing object; anonymous users are sent to
log in (pages) or refused (API).
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from core.scope import SYSTEM, scope_for
from grids import selectors
from grids.models import Area
from orgs.models import Post
from orgs.services import end_post

# The exact areas each persona reaches (the subtree of their posts).
VISIBLE_AREAS = {
    "grid_a": {"A", "A1", "A2"},
    "grid_b": {"B", "B1"},
    "community": {"K1", "A", "A1", "A2", "B", "B1"},
    "street": {"S1", "K1", "A", "A1", "A2", "B", "B1", "K2", "C", "C1"},
    "officer": set(),
    "sunk": {"A", "A1", "A2", "C", "C1"},
    "leader": {"district", "S1", "S2", "K1", "K2", "K3", "A", "A1", "A2", "B", "B1", "C", "C1", "D", "D1"},
}
ALL_AREAS = VISIBLE_AREAS["leader"] | {"county", "T", "K4", "E", "E1"}
VISIBLE_AREAS["admin"] = ALL_AREAS

# Households are keyed by building ("A1b" is the second household in A1).
VISIBLE_HOUSEHOLDS = {
    persona: {h for h in ["A1", "A1b", "A2", "B1", "C1", "D1", "E1"] if h[:2] in areas}
    for persona, areas in VISIBLE_AREAS.items()
}


def _ids(world, keys, kind):
    source = {"areas": world.areas, "households": world.households}[kind]
    return {source[key].pk for key in keys}


@pytest.mark.parametrize("persona", sorted(VISIBLE_AREAS))
def test_each_persona_sees_exactly_their_areas(world, persona):
    scope = scope_for(world.users[persona])
    assert set(selectors.areas(scope).values_list("pk", flat=True)) == _ids(world, VISIBLE_AREAS[persona], "areas")


@pytest.mark.parametrize("persona", sorted(VISIBLE_HOUSEHOLDS))
def test_each_persona_sees_exactly_their_households(world, persona):
    scope = scope_for(world.users[persona])
    seen = set(selectors.households(scope).values_list("pk", flat=True))
    assert seen == _ids(world, VISIBLE_HOUSEHOLDS[persona], "households")


@pytest.mark.parametrize("persona", sorted(VISIBLE_HOUSEHOLDS))
def test_each_persona_sees_exactly_the_residents_of_their_households(world, persona):
    scope = scope_for(world.users[persona])
    expected = {
        r.pk
        for r in world.residents.values()
        if r.household_id in _ids(world, VISIBLE_HOUSEHOLDS[persona], "households")
    }
    assert set(selectors.residents(scope).values_list("pk", flat=True)) == expected


# Their places and every place above them (area_or_above_q): what they may read of the street or
# district they sit in.
AREAS_OR_ABOVE = {
    "grid_a": VISIBLE_AREAS["grid_a"] | {"K1", "S1", "district"},
    "community": VISIBLE_AREAS["community"] | {"S1", "district"},
    "officer": set(),
    "sunk": VISIBLE_AREAS["sunk"] | {"K1", "K2", "S1", "district"},
    "admin": ALL_AREAS,
}


@pytest.mark.parametrize("persona", sorted(AREAS_OR_ABOVE))
def test_the_places_in_a_scope_or_above_it(world, persona):
    scope = scope_for(world.users[persona])
    found = set(Area.objects.unscoped("the test compares").filter(scope.area_or_above_q()).values_list("pk", flat=True))
    assert found == _ids(world, AREAS_OR_ABOVE[persona], "areas")


def test_an_ended_post_gives_no_scope(world):
    end_post(actor=SYSTEM, post=Post.objects.get(user=world.users["grid_a"]), end=datetime.date(2024, 6, 30))
    assert not scope_for(User.objects.get(username="world_grid_a")).has_areas


def test_tree_roots_are_the_topmost_posts(world):
    sunk_roots = selectors.tree_roots(scope_for(world.users["sunk"]))
    assert [a.name for a in sunk_roots] == ["网格A", "网格C"]
    admin_roots = selectors.tree_roots(scope_for(world.users["admin"]))
    assert [a.name for a in admin_roots] == ["测试区", "测试县"]


# (url name, object key) for every page that shows one object.
OBJECT_PAGES = (
    [("grids:area", "areas", key) for key in ["district", "K1", "K2", "A", "B", "A1", "C1", "E1"]]
    + [("grids:area_children", "areas", key) for key in ["K1", "A", "C"]]
    + [("grids:household", "households", key) for key in ["A1", "B1", "C1", "E1"]]
    + [("grids:resident", "residents", key) for key in ["A1", "A1c", "B1", "C1"]]
)


def _area_key(kind, key):
    return key if kind != "residents" else key[:2]


@pytest.mark.parametrize("persona", [*sorted(VISIBLE_AREAS), None])
@pytest.mark.parametrize(("url_name", "kind", "key"), OBJECT_PAGES)
def test_object_pages_are_404_outside_scope(world, client_for, persona, url_name, kind, key):
    obj = getattr(world, kind)[key]
    client = client_for(world.users[persona] if persona else None)
    response = client.get(reverse(url_name, args=[obj.pk]))
    if persona is None:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        return
    visible = _area_key(kind, key) in VISIBLE_AREAS[persona]
    assert response.status_code == (200 if visible else 404)


@pytest.mark.parametrize("persona", [*sorted(VISIBLE_AREAS), None])
@pytest.mark.parametrize("url_name", ["home", "grids:tree", "grids:resident_search"])
def test_list_pages_per_persona(world, client_for, persona, url_name):
    response = client_for(world.users[persona] if persona else None).get(reverse(url_name))
    if persona is None:
        assert response.status_code == 302
    elif url_name != "home" and not VISIBLE_AREAS[persona]:
        assert response.status_code == 404  # a department officer has no places or people
    else:
        assert response.status_code == 200


def test_a_missing_object_and_a_forbidden_one_look_the_same(world, client_for):
    client = client_for(world.users["grid_a"])
    forbidden = client.get(reverse("grids:household", args=[world.households["B1"].pk]))
    missing = client.get(reverse("grids:household", args=[999_999]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("grid_a", {"A1住户", "A1独居老人", "A1矫正对象", "A2住户"}),
        ("grid_b", {"B1住户"}),
        ("community", {"A1住户", "A1独居老人", "A1矫正对象", "A2住户", "B1住户"}),
        ("admin", {"A1住户", "A1独居老人", "A1矫正对象", "A2住户", "B1住户", "C1住户", "D1住户", "E1住户"}),
    ],
)
def test_name_search_finds_only_residents_in_scope(world, client_for, persona, expected):
    response = client_for(world.users[persona]).get(reverse("grids:resident_search"), {"q": "住户"})
    names = {r.name for r in response.context["results"]}
    assert names == {n for n in expected if "住户" in n}


def test_exact_id_search_outside_scope_finds_nothing(world, client_for):
    other = world.residents["C1"]
    response = client_for(world.users["grid_a"]).post(reverse("grids:resident_search"), {"q": other.citizen_id})
    assert list(response.context["results"]) == []
    response = client_for(world.users["street"]).post(reverse("grids:resident_search"), {"q": other.citizen_id})
    assert [r.pk for r in response.context["results"]] == [other.pk]


@pytest.mark.parametrize("persona", ["grid_b", "street", "leader", "officer", "sunk"])
def test_household_edit_is_404_for_those_who_cannot_edit_it(world, client_for, persona):
    response = client_for(world.users[persona]).get(reverse("grids:household_edit", args=[world.households["A1"].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["grid_a", "community", "admin"])
def test_household_edit_opens_for_grid_and_community_staff(world, client_for, persona):
    response = client_for(world.users[persona]).get(reverse("grids:household_edit", args=[world.households["A1"].pk]))
    assert response.status_code == 200
