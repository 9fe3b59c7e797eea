"""One case around the whole loop in a real browser: a grid worker reports on a phone with a
photo, the community whistles, the street dispatches, the officer signs and resolves, the grid
worker verifies on site, and the resident rates with the tracking code."""

import io
from importlib import import_module

import pytest
from django.apps import apps
from PIL import Image
from playwright.sync_api import expect

from cases.models import Case, Category, RoutingRule
from grids.models import AreaKind
from orgs.models import Role, Slot
from tests.e2e.conftest import log_in
from tests.factories import AreaFactory, department, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_case_goes_round_the_loop(browser, live_server, phone, screenshot, tmp_path):
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

    # The grid worker, on a phone.
    log_in(phone, "gridworker_zhang", "pw")
    phone.goto("/cases/new/")
    phone.get_by_label("地点(楼栋)").select_option(label="银湖社区第1网格 · 3号楼")
    phone.get_by_label("类别").select_option(value=str(fire.pk))
    phone.get_by_label("问题描述").fill("3号楼消防通道堆满纸箱")
    phone.get_by_label("照片").set_input_files(str(photo))
    phone.get_by_role("button", name="上报").click()
    expect(phone.get_by_test_id("status")).to_have_text("待受理")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "reported")
    case = Case.objects.get()
    assert case.colour == "red" and case.photos.count() == 1
    detail = f"/cases/{case.pk}/"

    contexts = []

    def desk(username):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        log_in(page, username, "pw")
        page.goto(detail)
        return page

    community_page = desk("cs")
    community_page.get_by_test_id("step-whistle").get_by_label("说明").fill("需城管执法清理")
    community_page.get_by_test_id("step-whistle").get_by_role("button").click()
    expect(community_page.get_by_test_id("status")).to_have_text("待派遣")

    street_page = desk("st")
    expect(street_page.get_by_test_id("suggestion")).to_contain_text("城市管理局")
    street_page.get_by_test_id("step-dispatch").get_by_role("button").click()
    expect(street_page.get_by_test_id("status")).to_have_text("待签收")

    officer_page = desk("of")
    officer_page.get_by_test_id("sign").click()
    expect(officer_page.get_by_test_id("status")).to_have_text("部门办理中")
    officer_page.get_by_label("处置情况").fill("已清理纸箱并告知住户")
    officer_page.get_by_role("button", name="提交处置结果").click()
    expect(officer_page.get_by_test_id("status")).to_have_text("待核查")

    phone.goto("/cases/queue/verify/")
    phone.get_by_role("link", name=case.number).click()
    phone.get_by_label("核查结果").select_option(label="通过,结案")
    phone.get_by_role("button", name="提交核查").click()
    expect(phone.get_by_test_id("status")).to_have_text("已办结")
    timeline = phone.get_by_test_id("timeline").inner_text()
    for step in ["上报", "吹哨", "派遣", "报到签收", "处置反馈", "核查通过"]:
        assert step in timeline
    screenshot(phone, "closed")

    # The resident, without logging in.
    resident = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844})
    contexts.append(resident)
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
    for context in contexts:  # no keep-alive connection outlives the live server
        context.close()
