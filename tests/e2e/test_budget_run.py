from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import expect

from core.scope import SYSTEM
from grids.models import AreaKind
from orgs import services
from orgs.models import OrgKind, Role
from tests.e2e.conftest import log_in
from tests.factories import AreaFactory, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_finance_officer_runs_a_budget_and_reads_it(browser, live_server, screenshot, eager_tasks):
    import_module("funding.migrations.0002_yinchuan_policy").create(apps, None)  # tables may have been emptied
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    root = services.create_organization(
        actor=SYSTEM, kind=OrgKind.STREET_WORKING_COMMITTEE, name="滨河街道党工委", area=street
    )
    for name, households, kind in [
        ("银湖社区", 2400, OrgKind.COMMUNITY_BRANCH),
        ("丽景社区", 5000, OrgKind.COMMUNITY_COMMITTEE),
    ]:
        community = AreaFactory(kind=AreaKind.COMMUNITY, name=name, parent=street, declared_households=households)
        services.create_organization(actor=SYSTEM, kind=kind, name=f"{name}党组织", area=community, parent=root)
    user_with_posts("finance", dict(role=Role.FINANCE_OFFICER, area=district))

    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "finance", "pw")
    # The finance officer's home is their to-dos: its panel opens the runs (the menu has the same link).
    page.get_by_test_id("panel-finance").get_by_role("link", name="经费测算").click()
    page.get_by_label("年度").fill("2026")
    page.get_by_label("范围").select_option(label="金川区")
    page.get_by_role("button", name="开始测算").click()

    expect(page.get_by_text("已完成")).to_be_visible()
    # 银湖: 40,000 + 170,000; 丽景: 100,000 + 200,000.
    expect(page.get_by_test_id("total-amount")).to_have_text("510,000.00")
    expect(page.locator("[data-chart=budget] canvas")).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    screenshot(page, "budget-run")
    assert errors == []
    context.close()
