"""Geometry on a 390 px phone: a report placed by the phone's position (Playwright grants the page
a fixed geolocation, and "用我的位置" proposes the building nearest it in the grid that covers
it), and a place's 位置 page drawing a grid and placing a building, with no script error."""

import pytest
from playwright.sync_api import expect

from core.scope import SYSTEM
from grids.models import AreaKind
from grids.shapes import set_shape
from orgs.models import Role, Slot
from tests.e2e.conftest import PHONE, log_in
from tests.factories import AreaFactory, user_with_posts
from tests.grids.test_geometry import square

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_phone_position_proposes_the_nearest_building(browser, live_server):
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区", code="980103000000")
    community = AreaFactory(
        kind=AreaKind.COMMUNITY, name="银湖社区", parent=AreaFactory(kind=AreaKind.STREET, parent=district)
    )
    grid = AreaFactory(kind=AreaKind.GRID, name="第1网格", parent=community)
    near = AreaFactory(kind=AreaKind.BUILDING, name="3号楼", parent=grid)
    far = AreaFactory(kind=AreaKind.BUILDING, name="5号楼", parent=grid)
    set_shape(actor=SYSTEM, area=grid, boundary=square(106.0, 38.0, 0.01))
    set_shape(actor=SYSTEM, area=near, lng=106.004, lat=38.005)
    set_shape(actor=SYSTEM, area=far, lng=106.008, lat=38.005)
    user_with_posts("gw_geo", dict(role=Role.GRID_WORKER, area=grid, slot=Slot.A))

    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        permissions=["geolocation"],
        geolocation={"longitude": 106.0041, "latitude": 38.0051},
        **PHONE,
    )
    page = context.new_page()
    page.set_default_timeout(60_000)  # the machine is shared; the page is not slow on its own
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        log_in(page, "gw_geo", "pw")
        page.goto("/cases/new/")
        place = page.get_by_label("地点(楼栋)")
        place.select_option(value=str(far.pk))
        page.get_by_test_id("locate").click()
        expect(page.get_by_test_id("locate-note")).to_contain_text("3号楼(第1网格")
        expect(place).to_have_value(str(near.pk))
        assert page.locator("input[name=lng]").input_value().startswith("106.004")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert errors == []
    finally:
        context.close()


def test_a_grid_drawn_on_its_page_on_a_phone(browser, live_server):
    """The 位置 page's map: a box drawn in the middle of the community, dragged by a vertex, saved."""
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区", code="980104000000")
    community = AreaFactory(
        kind=AreaKind.COMMUNITY, name="银湖社区", parent=AreaFactory(kind=AreaKind.STREET, parent=district)
    )
    grid = AreaFactory(kind=AreaKind.GRID, name="第2网格", parent=community)
    set_shape(actor=SYSTEM, area=community, boundary=square(106.0, 38.0, 0.02))
    building = AreaFactory(kind=AreaKind.BUILDING, name="7号楼", parent=grid)
    user_with_posts("cs_geo", dict(role=Role.COMMUNITY_STAFF, area=community))

    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **PHONE)
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url} {error.stack}"))
    try:
        log_in(page, "cs_geo", "pw")
        page.goto(f"/areas/{grid.pk}/shape/")
        page.get_by_role("button", name="在地图中部画一个方框").click()
        handles = page.locator(".shape-vertex")
        expect(handles).to_have_count(4)
        drawn = page.get_by_label("边界(GeoJSON)").input_value()
        box = handles.first.bounding_box()
        page.mouse.move(box["x"] + 7, box["y"] + 7)
        page.mouse.down()
        page.mouse.move(box["x"] + 27, box["y"] + 17, steps=5)
        page.mouse.up()
        expect(page.get_by_label("边界(GeoJSON)")).not_to_have_value(drawn)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("button", name="保存位置").click()
        expect(page.get_by_text("已保存第2网格的位置")).to_be_visible()
        assert grid.shape.boundary["type"] == "Polygon"

        page.goto(f"/areas/{building.pk}/shape/")  # the grid as drawn behind it; a tap places it
        page.get_by_test_id("shape-map").click()
        expect(page.get_by_label("经度")).not_to_have_value("")
        page.get_by_role("button", name="保存位置").click()
        expect(page.get_by_text("已保存7号楼的位置")).to_be_visible()
        assert errors == []
    finally:
        context.close()
