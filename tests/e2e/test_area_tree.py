import pytest
from playwright.sync_api import expect

from grids.models import AreaKind
from orgs.models import Role
from tests.e2e.conftest import log_in
from tests.factories import AreaFactory, HouseholdFactory, ResidentFactory, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_community_staff_expands_the_tree_in_english(browser, live_server, screenshot):
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name="银湖社区", parent=street, declared_households=2400)
    grids = [AreaFactory(kind=AreaKind.GRID, name=f"第{n}网格", parent=community) for n in (1, 2)]
    building = AreaFactory(kind=AreaKind.BUILDING, name="3号楼", parent=grids[1])
    for _ in range(2):
        ResidentFactory(household=HouseholdFactory(building=building))
    user_with_posts("staff", dict(role=Role.COMMUNITY_STAFF, area=community))

    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, "staff", "pw")
    page.get_by_label("语言").select_option("en")
    page.wait_for_url("**/")
    page.get_by_role("link", name="Areas").click()

    root = page.locator("li[data-area]").first
    expect(root).to_contain_text("银湖社区")
    expect(root).to_contain_text("2 households · 2 residents")
    root.get_by_role("button", name="Expand").click()
    second_grid = page.locator(f"li[data-area='{grids[1].pk}']")
    expect(second_grid).to_contain_text("2 households")
    toggle = second_grid.get_by_role("button", name="Expand")
    toggle.click()
    expect(page.get_by_role("link", name="3号楼")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    # Collapsing hides the level again without another request.
    toggle.click()
    expect(page.get_by_role("link", name="3号楼")).to_be_hidden()
    screenshot(page, "tree-en")
    context.close()
