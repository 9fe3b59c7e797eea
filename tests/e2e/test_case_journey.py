"""One case around the whole loop in a real browser, everyone on a 390 px phone and starting from
their workbench or their notifications: the grid worker reports with a photo from the big button,
the community finds it in its 待受理 count, accepts and whistles; the street is told and
dispatches; the officer is told, signs and resolves; the grid worker is told and verifies on site;
the resident reads the resolution by the tracking code and rates."""

import io
from importlib import import_module

import pytest
from django.apps import apps
from PIL import Image
from playwright.sync_api import expect

from cases.models import Case, Category, RoutingRule
from grids.models import AreaKind
from orgs.models import Role, Slot
from tests.e2e.conftest import PHONE, log_in
from tests.factories import AreaFactory, department, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_case_goes_round_the_loop(browser, live_server, screenshot, tmp_path, eager_tasks):
    if not Category.objects.exists():  # an earlier transactional test flushed the seeded rows
        import_module("cases.migrations.0002_categories_and_limits").create(apps, None)
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区", code="980102000000")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name="银湖社区", parent=street)
    grid = AreaFactory(kind=AreaKind.GRID, name="银湖社区第1网格", parent=community)
    AreaFactory(kind=AreaKind.BUILDING, name="3号楼", parent=grid)
    chengguan = department("城市管理局", district)
    fire = Category.objects.get(code="safety-fire")
    RoutingRule.objects.create(category=fire.parent, area=district, department=chengguan)
    user_with_posts("gridworker_zhang", dict(role=Role.GRID_WORKER, area=grid, slot=Slot.A))
    user_with_posts("cs", dict(role=Role.COMMUNITY_STAFF, area=community))
    user_with_posts("st", dict(role=Role.STREET_STAFF, area=street))
    user_with_posts("of", dict(role=Role.DEPARTMENT_OFFICER, department=chengguan))
    photo = tmp_path / "corridor.jpg"
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 60, 40)).save(out, format="JPEG")
    photo.write_bytes(out.getvalue())

    phones = []

    def phone_of(username):
        """Each person on a phone of their own, signed in through the real pages."""
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", **PHONE)
        phones.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, username, "pw")
        return page

    def fits(page):
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url

    def told(page, status):
        """The header's bell shows the new notification; the inbox leads to the case."""
        expect(page.get_by_test_id("notification-bell")).to_contain_text("1")
        page.get_by_test_id("notification-bell").click()
        page.locator(f"[data-case='{case.pk}']").get_by_role("button", name="查看案件").click()
        expect(page.get_by_test_id("status")).to_have_text(status)
        fits(page)

    # The grid worker reports from the workbench's big button.
    worker = phone_of("gridworker_zhang")
    worker.get_by_test_id("report-button").click()
    worker.get_by_label("地点(楼栋)").select_option(label="银湖社区第1网格 · 3号楼")
    worker.get_by_label("类别").select_option(value=str(fire.pk))
    worker.get_by_label("问题描述").fill("3号楼消防通道堆满纸箱")
    worker.get_by_label("照片").set_input_files(str(photo))
    worker.get_by_role("button", name="上报").click()
    expect(worker.get_by_test_id("status")).to_have_text("待受理")
    fits(worker)
    screenshot(worker, "reported")
    case = Case.objects.get()
    assert case.colour == "red" and case.photos.count() == 1

    # The community sees it in its 待受理 count, accepts and whistles.
    community_page = phone_of("cs")
    expect(community_page.get_by_test_id("todo-triage-count")).to_have_text("1")
    community_page.get_by_test_id("todo-triage").click()
    community_page.get_by_role("link", name=case.number).click()
    community_page.get_by_test_id("step-accept").get_by_role("button").click()
    expect(community_page.get_by_test_id("status")).to_have_text("社区办理中")
    community_page.get_by_test_id("step-whistle").get_by_label("说明").fill("需城管执法清理")
    community_page.get_by_test_id("step-whistle").get_by_role("button").click()
    expect(community_page.get_by_test_id("status")).to_have_text("待派遣")
    fits(community_page)

    # The street is told, and dispatches to the department the rules suggest.
    street_page = phone_of("st")
    told(street_page, "待派遣")
    expect(street_page.get_by_test_id("suggestion")).to_contain_text("城市管理局")
    street_page.get_by_test_id("step-dispatch").get_by_role("button").click()
    expect(street_page.get_by_test_id("status")).to_have_text("待签收")

    # The officer is told, signs and resolves.
    officer_page = phone_of("of")
    told(officer_page, "待签收")
    officer_page.get_by_test_id("sign").click()
    expect(officer_page.get_by_test_id("status")).to_have_text("部门办理中")
    officer_page.get_by_label("处置情况").fill("已清理纸箱并告知住户")
    officer_page.get_by_role("button", name="提交处置结果").click()
    expect(officer_page.get_by_test_id("status")).to_have_text("待核查")

    # The grid worker is told, and verifies on site from the workbench's 待核查 button.
    worker.goto("/")
    expect(worker.get_by_test_id("notification-bell")).to_contain_text("1")
    expect(worker.get_by_test_id("verify-button")).to_contain_text("1")
    worker.get_by_test_id("verify-button").click()
    worker.get_by_role("link", name=case.number).click()
    worker.get_by_label("核查结果").select_option(label="通过,结案")
    worker.get_by_role("button", name="提交核查").click()
    expect(worker.get_by_test_id("status")).to_have_text("已办结")
    timeline = worker.get_by_test_id("timeline").inner_text()
    for step in ["上报", "受理", "吹哨", "派遣", "报到签收", "处置反馈", "核查通过"]:
        assert step in timeline
    fits(worker)
    screenshot(worker, "closed")

    # The resident, without logging in.
    resident = browser.new_context(base_url=live_server.url, locale="zh-CN", **PHONE)
    phones.append(resident)
    page = resident.new_page()
    page.goto("/t/")
    page.get_by_label("查询码").fill(case.tracking_code.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("status")).to_have_text("已办结")
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("感谢您的评价")).to_be_visible()
    assert Case.objects.get(pk=case.pk).rating == "satisfied"
    assert "gridworker_zhang" not in page.content()
    for context in phones:  # no keep-alive connection outlives the live server
        context.close()
