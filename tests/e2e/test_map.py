"""一张图 in a real browser: on a phone the grid worker's map draws their grid, its buildings and
its open cases, on a desktop the community's map its grids and the clusters, with no script
error and nothing refused by the content security policy; and, when asked
(GRIDGOV_SCREENSHOTS=1), the README's map screenshots are taken again from the demo."""

import math
import os
from importlib import import_module
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from cases import services as case_services
from cases.models import Category
from grids.models import AreaKind, AreaShape
from orgs.models import Role, Slot
from tests.e2e.conftest import PHONE
from tests.e2e.test_workbench import DESKTOP, DOCS, _overflow, _signed_in
from tests.factories import AreaFactory, user_with_posts
from tests.grids.shapes import draw

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _place():
    if not Category.objects.exists():  # an earlier transactional test flushed the seeded rows
        import_module("cases.migrations.0002_categories_and_limits").create(apps, None)
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区", code="980104000000")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name="银湖社区", parent=street)
    grids = [AreaFactory(kind=AreaKind.GRID, name=f"银湖第{g}网格", parent=community) for g in (1, 2, 3)]
    buildings = [AreaFactory(kind=AreaKind.BUILDING, name=f"{b}号楼", parent=grid) for grid in grids for b in (1, 2)]
    draw()
    worker = user_with_posts("map_gw", dict(role=Role.GRID_WORKER, area=grids[0], slot=Slot.A))
    staff = user_with_posts("map_cs", dict(role=Role.COMMUNITY_STAFF, area=community))
    category = Category.objects.filter(children__isnull=True).order_by("pk").first()
    for building, (importance, urgency) in zip(buildings, [("high", "high"), ("normal", "normal")] * 3, strict=True):
        case_services.report_case(
            actor=staff,
            category=category,
            area=building,
            description="路灯不亮",
            importance=importance,
            urgency=urgency,
        )
    return worker, staff


def _open_map(page) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto("/map/")
    page.locator("#map[data-ready='1']").wait_for()
    return problems


def test_a_grid_worker_sees_their_grid_its_buildings_and_cases_on_a_phone(browser, live_server):
    worker, _staff = _place()
    context, page = _signed_in(browser, live_server, worker, device=PHONE)
    problems = _open_map(page)
    frame = page.locator("#map")
    assert frame.get_attribute("data-grids") == "1"
    assert frame.get_attribute("data-buildings") == "2"  # zoomed to the one grid: its buildings show
    assert frame.get_attribute("data-cases") == "2"
    assert page.locator(".leaflet-overlay-pane canvas").count() == 1  # the polygons and points are drawn
    assert frame.bounding_box()["width"] <= 390
    assert _overflow(page) == 0
    assert page.get_by_test_id("map-legend").is_visible()
    assert problems == []
    context.close()


def test_the_community_sees_its_grids_and_clustered_cases_on_a_desktop(browser, live_server):
    _worker, staff = _place()
    context, page = _signed_in(browser, live_server, staff, device=DESKTOP)
    problems = _open_map(page)
    assert page.locator("#map").get_attribute("data-grids") == "3"
    page.get_by_test_id("map-measure").select_option("party")
    expect(page.get_by_test_id("map-legend")).to_contain_text("楼栋党小组覆盖率")
    assert "measure=party" in page.url
    # Zoomed out, the six cases gather in clusters, each coloured by the worst among its cases.
    for _step in range(6):
        if page.locator(".map-cluster").count():
            break
        page.locator(".leaflet-control-zoom-out").click()
        page.wait_for_timeout(700)
    assert sum(int(text) for text in page.locator(".map-cluster").all_inner_texts()) == 6
    assert problems == []
    context.close()


def _gcj02(lng: float, lat: float) -> tuple[float, float]:
    """WGS-84 → GCJ-02 by the published formula, written out here apart from the page's gcoord: the
    Krasovsky ellipsoid (a = 6378245 m, e² = 0.00669342162296594323) and the offset polynomials about
    (105°E, 35°N), as in googollee/eviltransform (transform.go) and wandergis/coordtransform."""
    x, y = lng - 105.0, lat - 35.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    d_lat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    d_lng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    d_lng += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lng += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lng += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    a, ee = 6378245.0, 0.00669342162296594323
    rad = lat / 180.0 * math.pi
    magic = 1 - ee * math.sin(rad) ** 2
    d_lat = d_lat * 180.0 / ((a * (1 - ee)) / (magic * math.sqrt(magic)) * math.pi)
    d_lng = d_lng * 180.0 / (a / math.sqrt(magic) * math.cos(rad) * math.pi)
    return lng + d_lng, lat + d_lat


def _wgs84(lng: float, lat: float) -> tuple[float, float]:
    """GCJ-02 → WGS-84: the formula has no inverse, so step back by the offset until it lands."""
    x, y = lng, lat
    for _step in range(30):
        gx, gy = _gcj02(x, y)
        x, y = x - (gx - lng), y - (gy - lat)
    return x, y


# A same-origin picture stands in for 高德's tiles: the page asks for tiles, the test needs no network.
TILES = "/static/vendor/leaflet/images/layers.png?{z}/{x}/{y}"
# Leaflet keeps no list of its maps: the test adds one to the vendored file as the browser gets it.
KEEP_MAPS = "\nL.Map.addInitHook(function () { (window.testMaps = window.testMaps || []).push(this); });\n"


def _keep_maps(page) -> None:
    def handle(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + KEEP_MAPS)

    page.route("**/vendor/leaflet/leaflet.js", handle)


FIRST_VERTICES = """() => {
  const found = [];
  window.testMaps[0].eachLayer((layer) => {
    if (layer.feature && layer.getLatLngs) {
      const at = layer.getLatLngs().flat(Infinity)[0];
      found.push({ id: layer.feature.properties.id, lng: at.lng, lat: at.lat });
    }
  });
  return { zoom: window.testMaps[0].getZoom(), found };
}"""


def test_over_gcj02_tiles_a_grid_is_drawn_shifted_and_the_box_sent_stays_wgs84(browser, live_server, settings):
    settings.MAP_TILE_URL, settings.MAP_TILE_CRS = TILES, "gcj02"
    worker, _staff = _place()
    context, page = _signed_in(browser, live_server, worker, device=DESKTOP)
    _keep_maps(page)
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "/map/grids/" in request.url else None)
    problems = _open_map(page)
    drawn = page.evaluate(FIRST_VERTICES)
    assert len(drawn["found"]) == 1
    grid = drawn["found"][0]
    shape = AreaShape.objects.get(area_id=grid["id"])
    stored = (shape.boundary if drawn["zoom"] >= 15 else shape.outline)["coordinates"][0][0]  # mapping.DETAIL_ZOOM
    lng, lat = _gcj02(*stored)
    assert abs(grid["lng"] - lng) < 1e-7 and abs(grid["lat"] - lat) < 1e-7
    assert abs(grid["lng"] - stored[0]) > 1e-3  # not drawn where it is stored: 高德 draws it hundreds of metres off
    assert page.locator(".leaflet-tile-pane img").count() > 0  # the background was asked for

    # The box on screen is sent back in WGS-84: its middle is the map's middle brought back.
    middle = page.evaluate("() => { const c = window.testMaps[0].getCenter(); return [c.lng, c.lat]; }")
    west, south, east, north = (float(v) for v in parse_qs(urlsplit(sent[-1]).query)["bbox"][0].split(","))
    expected = _wgs84(*middle)
    assert abs((west + east) / 2 - expected[0]) < 1e-5 and abs((south + north) / 2 - expected[1]) < 1e-5
    assert problems == []
    context.close()


MARKER = """() => {
  let found = null;
  window.testMaps[0].eachLayer((layer) => { if (layer instanceof L.Marker) found = layer.getLatLng(); });
  return [found.lng, found.lat];
}"""


def test_a_building_dragged_over_gcj02_tiles_is_written_back_in_wgs84(browser, live_server, settings):
    settings.MAP_TILE_URL, settings.MAP_TILE_CRS = TILES, "gcj02"
    _worker, staff = _place()
    building = AreaShape.objects.filter(area__kind=AreaKind.BUILDING).order_by("area__code").first()
    context, page = _signed_in(browser, live_server, staff, device=DESKTOP)
    _keep_maps(page)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(reverse("grids:area_shape", args=[building.area_id]))
    marker = page.locator("#shape-map .leaflet-marker-icon")
    marker.wait_for()
    shown = page.evaluate(MARKER)
    expected = _gcj02(building.lng, building.lat)
    assert abs(shown[0] - expected[0]) < 1e-7 and abs(shown[1] - expected[1]) < 1e-7  # drawn over 高德 where it is

    box = marker.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 30, box["y"] + box["height"] / 2 + 20, steps=10)
    page.mouse.up()
    dropped = page.evaluate(MARKER)
    assert abs(dropped[0] - shown[0]) > 1e-5  # it moved
    written = (float(page.get_by_label("经度").input_value()), float(page.get_by_label("纬度").input_value()))
    truth = _wgs84(*dropped)
    assert abs(written[0] - truth[0]) < 1e-5 and abs(written[1] - truth[1]) < 1e-5
    assert abs(written[0] - dropped[0]) > 1e-3  # the field holds WGS-84, not the position on 高德's tiles
    assert problems == []
    context.close()


# (demo user, file, the device): the README's map screenshots.
SCREENS = [("community", "map-community.png", DESKTOP), ("grid_a", "map-grid-worker-phone.png", PHONE)]


@pytest.mark.skipif(os.environ.get("GRIDGOV_SCREENSHOTS") != "1", reason="set GRIDGOV_SCREENSHOTS=1 to retake them")
def test_the_readmes_map_screenshots(browser, live_server, run_tasks_here):
    with run_tasks_here():
        call_command("load_demo", no_progress=True, verbosity=0)
    for username, name, device in SCREENS:
        context, page = _signed_in(browser, live_server, User.objects.get(username=username), device=device)
        page.set_default_timeout(60_000)
        page.goto("/map/")
        page.locator("#map[data-ready='1']").wait_for()
        page.screenshot(path=str(DOCS / name))
        context.close()
