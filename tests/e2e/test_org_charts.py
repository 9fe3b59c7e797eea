import datetime

import pytest
from playwright.sync_api import expect

from core.scope import SYSTEM
from grids.models import AreaKind
from orgs import services
from orgs.models import OrgKind, PartyMember, Role
from tests.e2e.conftest import log_in
from tests.factories import AreaFactory, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_street_staff_sees_the_org_chart_and_the_coverage_chart(browser, live_server, screenshot):
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name="银湖社区", parent=street, declared_households=2400)
    covered = AreaFactory(kind=AreaKind.GRID, name="第1网格", parent=community)
    AreaFactory(kind=AreaKind.GRID, name="第2网格", parent=community)  # no party organisation
    root = services.create_organization(
        actor=SYSTEM, kind=OrgKind.STREET_WORKING_COMMITTEE, name="滨河街道党工委", area=street
    )
    branch = services.create_organization(
        actor=SYSTEM, kind=OrgKind.COMMUNITY_BRANCH, name="银湖社区党支部", area=community, parent=root
    )
    grid_branch = services.create_organization(
        actor=SYSTEM, kind=OrgKind.GRID_BRANCH, name="第1网格党支部", area=covered, parent=branch
    )
    services.register_member(
        actor=SYSTEM,
        member=PartyMember(
            name="党员甲", organization=grid_branch, status="full", joined=datetime.date(2000, 7, 1), kind="resident"
        ),
    )
    user_with_posts("street", dict(role=Role.STREET_STAFF, area=street))

    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "street", "pw")

    page.get_by_role("link", name="党组织", exact=True).click()
    expect(page.locator("[data-chart=tree] canvas")).to_have_count(1)
    page.get_by_test_id("org-list").get_by_role("link", name="第1网格党支部").click()
    expect(page.get_by_test_id("advisories")).to_contain_text("正式党员不足3人")

    page.get_by_role("link", name="组织覆盖").click()
    expect(page.locator("[data-chart=coverage] canvas")).to_have_count(1)
    expect(page.get_by_test_id("coverage-table")).to_contain_text("银湖社区")
    without_org = page.locator("li", has_text="无党组织网格")
    expect(without_org.get_by_role("link", name="第2网格")).to_be_visible()
    expect(without_org.get_by_role("link", name="第1网格")).to_have_count(0)
    screenshot(page, "coverage")
    assert errors == []
    context.close()
