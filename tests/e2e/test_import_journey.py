"""Community staff move their residents in from Excel on a 390 px phone, in Chinese: upload a
workbook with three good rows and one bad, read the dry run, apply it, fix the refused row on the
page (a first try still wrong, then right), and find the new residents on the grid's page."""

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from grids.import_models import ImportRow, ImportRun
from grids.imports.columns import HEADINGS
from grids.models import AreaKind, Resident
from orgs.models import Role
from tests.e2e.conftest import log_in, open_records_menu
from tests.factories import AreaFactory, citizen_id, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_import_fix_a_refused_row_and_see_the_residents(phone, screenshot, tmp_path, eager_tasks, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区", code="980103000000")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name="银湖社区", parent=street)
    grid = AreaFactory(kind=AreaKind.GRID, name="银湖社区第1网格", parent=community)
    building = AreaFactory(kind=AreaKind.BUILDING, name="3号楼", parent=grid)
    user_with_posts("cs", dict(role=Role.COMMUNITY_STAFF, area=community))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADINGS)
    for room, name, relation, phone_number in [
        ("301", "王建国", "户主", "13812345678"),
        ("301", "李秀英", "配偶", ""),
        ("302", "赵卫东", "户主", ""),
        ("303", "孙丽华", "户主", "1381234"),  # row 5: the phone is too short
    ]:
        sheet.append([building.code, "1", 3, room, "自住", name, citizen_id(), phone_number, "户籍人口", relation])
    path = tmp_path / "银湖社区居民.xlsx"
    workbook.save(path)

    def fits():
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, phone.url

    # The upload and the apply run the whole import inside their request here (eager tasks).
    phone.set_default_timeout(30_000)
    log_in(phone, "cs", "pw")
    open_records_menu(phone)
    phone.get_by_role("link", name="导入居民").click()
    phone.locator("input[type=file]").set_input_files(str(path))
    phone.get_by_role("button", name="上传并试导入").click()

    # The dry run: three to create, one refused with its reason in Chinese, nothing written.
    expect(phone.locator("[data-count='created']")).to_have_text("3")
    expect(phone.locator("[data-count='refused']")).to_have_text("1")
    expect(phone.locator("[data-row='5']")).to_contain_text("手机号:手机号无效")
    assert not Resident.objects.unscoped("test: the dry run writes nothing").exists()
    fits()
    phone.get_by_role("button", name="正式导入").click()

    # The real run: the three are written, the refused row can be fixed on the page.
    expect(phone.get_by_text("已写入全部未被拒绝的行。")).to_be_visible()
    expect(phone.locator("[data-count='created']")).to_have_text("3")
    expect(phone.get_by_test_id("fix-note")).to_be_visible()
    fits()
    screenshot(phone, "applied")
    phone.get_by_test_id("fix-5").click()

    # The row as uploaded, the reason beside the phone; a second wrong number is refused the same way.
    expect(phone.get_by_label("姓名")).to_have_value("孙丽华")
    expect(phone.get_by_test_id("error-phone")).to_have_text("手机号无效,请核对位数和号段")
    phone.get_by_label("手机号").fill("1391234")
    phone.get_by_role("button", name="检查并写入").click()
    expect(phone.get_by_test_id("error-phone")).to_have_text("手机号无效,请核对位数和号段")
    assert Resident.objects.unscoped("test: a refused fix writes nothing").count() == 3
    fits()
    screenshot(phone, "fix-refused")
    phone.get_by_label("手机号").fill("13912345678")
    phone.get_by_role("button", name="检查并写入").click()

    # Back on the run: the row is the fourth created, by hand; nothing is left refused.
    expect(phone.get_by_text("第5行已改正并写入:新增")).to_be_visible()
    expect(phone.locator("[data-count='created']")).to_have_text("4")
    expect(phone.locator("[data-count='refused']")).to_have_text("0")
    expect(phone.get_by_test_id("fixed-5")).to_have_text("已手工修改")
    run = ImportRun.objects.get(dry_run=False)
    assert ImportRow.objects.get(run=run, number=5).outcome == "created" and not run.source

    # The grid's page counts and lists them.
    phone.goto(f"/areas/{grid.pk}/")
    expect(phone.get_by_test_id("residents")).to_have_text("4")
    expect(phone.get_by_test_id("households")).to_have_text("3")
    households = phone.get_by_test_id("household-list")
    for room in ["1-301", "1-302", "1-303"]:
        expect(households.get_by_role("link", name=room)).to_be_visible()
    fits()
    screenshot(phone, "grid")
