"""一张图 in a real browser: on a phone the grid worker's map draws their grid, its buildings and
its open cases, on a desktop the community's map its grids and the clusters, with no script
error and nothing refused by the content security policy; and, when asked
(GRIDGOV_SCREENSHOTS=1), the README's map screenshots are taken again from the demo."""

import os
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from cases import services as case_services
from cases.models import Category
from grids.models import AreaKind
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
