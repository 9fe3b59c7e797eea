"""A report on a 390 px phone placed by the phone's position: Playwright grants the page a fixed
geolocation, and "用我的位置" proposes the building nearest it in the grid that covers it."""

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
