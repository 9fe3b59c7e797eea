"""The leader opens the dashboard on a phone: every chart draws, and the ranking below it."""

from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import expect

from cases import services
from cases.models import Category
from grids.models import AreaKind
from orgs.models import Role, Slot
from tests.e2e.conftest import log_in
from tests.factories import AreaFactory, department, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_leader_reads_the_dashboard_and_the_ranking_on_a_phone(phone, screenshot):
    if not Category.objects.exists():  # an earlier transactional test flushed the seeded rows
        import_module("cases.migrations.0002_categories_and_limits").create(apps, None)
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区", code="980103000000")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name="银湖社区", parent=street)
    grid = AreaFactory(kind=AreaKind.GRID, name="第1网格", parent=community)
    building = AreaFactory(kind=AreaKind.BUILDING, name="3号楼", parent=grid)
    chengguan, minzheng = department("城市管理局", district), department("民政局", district)
    gw = user_with_posts("gw", dict(role=Role.GRID_WORKER, area=grid, slot=Slot.A))
    community_staff = user_with_posts("cs", dict(role=Role.COMMUNITY_STAFF, area=community))
    street_staff = user_with_posts("st", dict(role=Role.STREET_STAFF, area=street))
    officers = {
        chengguan: user_with_posts("of", dict(role=Role.DEPARTMENT_OFFICER, department=chengguan)),
        minzheng: user_with_posts("mz", dict(role=Role.DEPARTMENT_OFFICER, department=minzheng)),
    }
    user_with_posts("leader", dict(role=Role.LEADER, area=district))
    for code, dept in [("urban-events-clutter", chengguan), ("livelihood-relief", minzheng)]:
        case = services.report_case(actor=gw, category=Category.objects.get(code=code), area=building, description="x")
        case = services.whistle_case(case=case, actor=community_staff, note="需部门处置")
        case = services.dispatch_case(case=case, actor=street_staff, department=dept)
        services.sign_case(case=case, actor=officers[dept])

    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    log_in(phone, "leader", "pw")
    phone.get_by_test_id("dashboard-link").click()
    expect(phone.get_by_test_id("reported")).to_have_text("2")
    for chart in ("colours", "trend", "ranked", "rates"):
        expect(phone.locator(f"[data-chart={chart}] canvas").first).to_be_visible()
    expect(phone.locator("[data-chart] canvas")).to_have_count(4)
    expect(phone.get_by_test_id("no-overdue")).to_be_visible()
    screenshot(phone, "dashboard")

    phone.get_by_role("link", name="考核排名").click()
    expect(phone.get_by_test_id("ranking").locator("tbody tr")).to_have_count(2)
    expect(phone.get_by_test_id("ranking")).to_contain_text("城市管理局")
    expect(phone.locator("[data-chart=rates] canvas")).to_have_count(1)
    screenshot(phone, "ranking")
    assert errors == []
