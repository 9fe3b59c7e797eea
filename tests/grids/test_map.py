"""一张图's layers: each holds only the caller's scope, shades grids by the chosen measure without
sensitive key groups, clusters cases by 分色 in one query, and reads as many queries for a few
grids and cases as for many."""

import datetime

import pytest
from django.core import checks
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from core.scope import SYSTEM
from gridgov.settings import _tile_hosts
from grids import services as grid_services
from grids.models import AreaKind, AreaShape
from tests.cases.conftest import category
from tests.factories import AreaFactory, HouseholdFactory, ResidentFactory, key_group
from tests.grids.shapes import draw

FAR, NEAR = 12, 17  # zooms: the district on screen; a few buildings on screen


@pytest.fixture
def drawn(world):
    return draw()


def _get(client, name: str, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def _report(world, building: str, *, importance="normal", urgency="normal", user="grid_a") -> Case:
    return case_services.report_case(
        actor=world.users[user],
        category=category("urban-events-clutter"),
        area=world.areas[building],
        description="楼道堆放杂物",
        importance=importance,
        urgency=urgency,
    )


def _grid_ids(data) -> set[int]:
    return {feature["properties"]["id"] for feature in data["features"]}


def test_a_grid_workers_map_holds_their_grid_its_buildings_and_its_cases_only(world, drawn, client_for):
    mine, other = _report(world, "A1"), _report(world, "C1", user="street")  # C1 is K2's
    client = client_for(world.users["grid_a"])
    assert _grid_ids(_get(client, "grids:map_grids", zoom=FAR)) == {world.areas["A"].pk}
    buildings = _get(client, "grids:map_buildings", zoom=NEAR)["buildings"]
    assert {pk for pk, *_ in buildings} == {world.areas["A1"].pk, world.areas["A2"].pk}
    points = _get(client, "cases:map_cases", zoom=NEAR)["points"]
    assert [number for _pk, number, *_ in points] == [mine.number]
    clusters = _get(client, "cases:map_cases", zoom=FAR)["clusters"]
    assert sum(sum(cluster[2:]) for cluster in clusters) == 1
    assert other.number not in str(_get(client, "cases:map_cases", zoom=NEAR))


def test_a_communitys_map_has_its_grids_and_no_other_communitys(world, drawn, client_for):
    client = client_for(world.users["community"])
    assert _grid_ids(_get(client, "grids:map_grids", zoom=FAR)) == {world.areas["A"].pk, world.areas["B"].pk}
    district = client_for(world.users["district"])
    grids = _grid_ids(_get(district, "grids:map_grids", zoom=FAR))
    assert grids == {world.areas[g].pk for g in "ABCD"}  # the county's grid E is another tree


def test_the_map_opens_on_the_scope_and_a_department_officer_has_none(world, drawn, client_for):
    response = client_for(world.users["grid_a"]).get(reverse("grids:map"))
    assert response.status_code == 200
    west, south, east, north = response.context["config"]["bounds"]
    shape = drawn[world.areas["A"].pk]
    assert (west, south, east, north) == (shape.min_lng, shape.min_lat, shape.max_lng, shape.max_lat)
    assert 'id="map-config"' in response.content.decode()
    assert client_for(world.users["officer"]).get(reverse("grids:map")).status_code == 404
    assert client_for(world.users["officer"]).get(reverse("grids:map_grids")).status_code == 404


def test_far_out_the_outline_close_in_the_boundary_and_the_buildings(world, drawn, client_for):
    client = client_for(world.users["grid_a"])
    shape = drawn[world.areas["A"].pk]
    assert _get(client, "grids:map_grids", zoom=FAR)["features"][0]["geometry"] == shape.outline
    assert _get(client, "grids:map_grids", zoom=NEAR)["features"][0]["geometry"] == shape.boundary
    assert _get(client, "grids:map_buildings", zoom=FAR) == {"buildings": [], "hidden": True}


def test_only_what_is_on_screen(world, drawn, client_for):
    client = client_for(world.users["district"])
    a1 = drawn[world.areas["A1"].pk]
    box = f"{a1.lng - 1e-5},{a1.lat - 1e-5},{a1.lng + 1e-5},{a1.lat + 1e-5}"
    on_screen = _grid_ids(_get(client, "grids:map_grids", zoom=NEAR, bbox=box))
    assert world.areas["A"].pk in on_screen
    assert not on_screen & {world.areas["C"].pk, world.areas["D"].pk}  # other communities, further off
    buildings = _get(client, "grids:map_buildings", zoom=NEAR, bbox=box)["buildings"]
    assert [b[0] for b in buildings] == [world.areas["A1"].pk]
    assert len(_get(client, "grids:map_grids", zoom=NEAR, bbox="not,a,box")["features"]) == 4  # the whole scope


def _values(client, measure: str) -> dict[int, float]:
    data = _get(client, "grids:map_grids", zoom=FAR, measure=measure)
    assert data["measure"] == measure
    return {f["properties"]["id"]: f["properties"]["value"] for f in data["features"]}


def test_grids_are_shaded_by_open_and_overdue_cases_and_per_thousand_residents(world, drawn, client_for):
    for _ in range(3):
        _report(world, "A1")
    late = _report(world, "B1", user="community")
    Case.objects.filter(pk=late.pk).update(response_due=timezone.now() - datetime.timedelta(hours=1))
    client = client_for(world.users["community"])
    a, b = world.areas["A"].pk, world.areas["B"].pk
    assert _values(client, "open") == {a: 3, b: 1}
    assert _values(client, "overdue") == {a: 0, b: 1}
    # A has four living residents (three in A1, one in A2), B one.
    assert _values(client, "per_thousand") == {a: 750.0, b: 1000.0}


def test_the_key_group_shade_leaves_sensitive_groups_out(world, drawn, client_for):
    client = client_for(world.users["community"])
    a = world.areas["A"].pk
    assert _values(client, "key_groups")[a] == 1  # A1's 空巢老人; its 社区矫正人员 is not counted
    resident = ResidentFactory(household=HouseholdFactory(building=world.areas["A2"]))
    grid_services.tag_resident(
        actor=SYSTEM, resident=resident, group=key_group("community-corrections"), since=datetime.date(2025, 1, 1)
    )
    assert _values(client, "key_groups")[a] == 1
    assert "矫正" not in client.get(reverse("grids:map_grids"), {"measure": "key_groups"}).content.decode()


def test_party_coverage_is_the_share_of_buildings_with_a_group(world, drawn, client_for):
    client = client_for(world.users["community"])
    data = _get(client, "grids:map_grids", zoom=FAR, measure="party")
    assert data["share"] is True
    values = {f["properties"]["id"]: f["properties"]["value"] for f in data["features"]}
    assert values == {world.areas["A"].pk: 0.5, world.areas["B"].pk: 0}  # A1楼党小组 of A1 and A2


def test_cases_cluster_by_cell_with_a_count_per_colour(world, drawn, client_for):
    _report(world, "A1", importance="high", urgency="high")
    _report(world, "A1", importance="high", urgency="high")
    _report(world, "A2")
    client = client_for(world.users["grid_a"])
    (cluster,) = _get(client, "cases:map_cases", zoom=FAR)["clusters"]
    lng, lat, red, orange, yellow, blue = cluster
    assert (red, orange, yellow, blue) == (2, 0, 0, 1)
    a = drawn[world.areas["A"].pk]
    assert a.min_lng <= lng <= a.max_lng and a.min_lat <= lat <= a.max_lat
    points = _get(client, "cases:map_cases", zoom=NEAR)["points"]
    assert sorted(colour for _pk, _number, colour, *_ in points) == ["blue", "red", "red"]
    a1, a2 = drawn[world.areas["A1"].pk], drawn[world.areas["A2"].pk]
    assert [(p[3], p[4]) for p in points if p[2] == "blue"] == [(a2.lng, a2.lat)]
    assert all((p[3], p[4]) == (a1.lng, a1.lat) for p in points if p[2] == "red")


def test_a_case_at_a_grid_is_at_its_label_point(world, drawn, client_for):
    case = _report(world, "A")
    (point,) = _get(client_for(world.users["grid_a"]), "cases:map_cases", zoom=NEAR)["points"]
    grid = drawn[world.areas["A"].pk]
    assert point[:1] + point[3:] == [case.pk, grid.lng, grid.lat]


def test_the_period_keeps_cases_reported_within_it(world, drawn, client_for):
    old, new = _report(world, "A1"), _report(world, "A1")
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))
    client = client_for(world.users["grid_a"])
    within = _get(client, "cases:map_cases", zoom=NEAR, period=30)["points"]
    assert [p[0] for p in within] == [new.pk]
    assert {p[0] for p in _get(client, "cases:map_cases", zoom=NEAR)["points"]} == {old.pk, new.pk}
    assert {p[0] for p in _get(client, "cases:map_cases", zoom=NEAR, period=31)["points"]} == {old.pk, new.pk}


def _queries(client, name: str, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name), params).status_code == 200
    return len(queries)


def _grow(world, n: int) -> None:
    """n more grids in K1 with a building each, drawn beside the world, and n more cases."""
    for i in range(n):
        grid = AreaFactory(kind=AreaKind.GRID, name=f"新网格{i}", parent=world.areas["K1"])
        building = AreaFactory(kind=AreaKind.BUILDING, name=f"新{i}楼", parent=grid)
        lng = 110 + i * 0.01
        ring = [[lng, 30], [lng + 0.005, 30], [lng + 0.005, 30.005], [lng, 30.005], [lng, 30]]
        polygon = {"type": "Polygon", "coordinates": [ring]}
        AreaShape.objects.create(area=grid, boundary=polygon, outline=polygon, lng=lng + 0.002, lat=30.002,
                                 min_lng=lng, min_lat=30, max_lng=lng + 0.005, max_lat=30.005)  # fmt: skip
        AreaShape.objects.create(area=building, lng=lng + 0.001, lat=30.001,
                                 min_lng=lng + 0.001, min_lat=30.001, max_lng=lng + 0.001, max_lat=30.001)  # fmt: skip
        _report(world, ["A1", "A2", "B1"][i % 3], importance="high", urgency="high", user="community")


@pytest.mark.parametrize("measure", ["open", "overdue", "per_thousand", "key_groups", "party"])
def test_every_layer_reads_as_many_queries_for_many_grids_and_cases_as_for_a_few(world, drawn, client_for, measure):
    client = client_for(world.users["community"])
    reads = [
        ("grids:map_grids", {"zoom": FAR, "measure": measure}),
        ("grids:map_buildings", {"zoom": NEAR}),
        ("cases:map_cases", {"zoom": FAR}),
        ("cases:map_cases", {"zoom": NEAR}),
        ("grids:map", {}),
    ]
    _grow(world, 2)
    few = [_queries(client, name, **params) for name, params in reads]
    _grow(world, 20)
    assert [_queries(client, name, **params) for name, params in reads] == few
    assert len(_get(client, "grids:map_grids", zoom=FAR, measure=measure)["features"]) == 2 + 22


def test_a_places_page_shows_it_on_a_small_map(world, drawn, client_for):
    client = client_for(world.users["grid_a"])
    page = client.get(reverse("grids:area", args=[world.areas["A"].pk]))
    assert page.context["place_shape"]["boundary"] == drawn[world.areas["A"].pk].boundary
    building = client.get(reverse("grids:area", args=[world.areas["A1"].pk]))
    assert building.context["place_shape"] == {"boundary": None, "lng": drawn[world.areas["A1"].pk].lng,
                                               "lat": drawn[world.areas["A1"].pk].lat}  # fmt: skip
    assert 'id="place-map"' in building.content.decode()


def test_a_tile_source_is_let_through_the_content_security_policy():
    assert _tile_hosts("") == []
    assert _tile_hosts("https://tiles.example.gov.cn/{z}/{x}/{y}.png") == ["https://tiles.example.gov.cn"]
    tianditu = "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY"
    assert _tile_hosts(tianditu) == ["https://*.tianditu.gov.cn"]


GAODE = "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}"


def _crs_on_pages(client, world) -> list[str]:
    return [
        client.get(reverse("grids:map")).context["config"]["crs"],
        client.get(reverse("grids:area", args=[world.areas["A1"].pk])).context["place_map"]["crs"],
        client.get(reverse("grids:area_shape", args=[world.areas["A1"].pk])).context["map_data"]["crs"],
    ]


def test_the_tiles_coordinate_system_reaches_every_map_with_the_tile_url(world, drawn, client_for):
    client = client_for(world.users["community"])
    with override_settings(MAP_TILE_URL=GAODE, MAP_TILE_CRS="gcj02"):
        assert _crs_on_pages(client, world) == ["gcj02"] * 3
        shape_page = client.get(reverse("grids:area_shape", args=[world.areas["A1"].pk]))
        assert shape_page.context["map_data"]["tiles"] == GAODE  # the 位置 page is drawn over the tiles too
        assert "vendor/gcoord/gcoord.js" in shape_page.content.decode()
    with override_settings(MAP_TILE_URL=GAODE):
        assert _crs_on_pages(client, world) == ["wgs84"] * 3  # the default: 天地图 and CGCS2000 servers
    with override_settings(MAP_TILE_URL="", MAP_TILE_CRS="gcj02"):
        assert _crs_on_pages(client, world) == ["wgs84"] * 3  # no tiles: the outlines are the background


def _errors() -> list[str]:
    return [message.id for message in checks.run_checks()]


def test_a_tile_coordinate_system_other_than_wgs84_or_gcj02_stops_the_start():
    with override_settings(MAP_TILE_CRS="bd09"):
        assert "grids.E001" in _errors()
    with override_settings(MAP_TILE_CRS="GCJ-02"):
        assert "grids.E001" in _errors()
    for good in ("wgs84", "gcj02"):
        with override_settings(MAP_TILE_CRS=good):
            assert "grids.E001" not in _errors()
