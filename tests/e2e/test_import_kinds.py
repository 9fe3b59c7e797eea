"""The buildings import in a real browser on a 390 px phone: community staff find it in the menu's
records, pick the kind, upload a workbook, read each row's outcome and apply it."""

import pytest
from playwright.sync_api import expect

from grids.imports.buildings import COLUMNS
from grids.models import Area, AreaKind
from orgs.models import Role
from tests.e2e.conftest import log_in, open_records_menu
from tests.factories import AreaFactory, user_with_posts
from tests.grids.workbooks import xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_community_staff_import_buildings_on_a_phone(phone, eager_tasks, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区", code="980103000000")
    community = AreaFactory(
        kind=AreaKind.COMMUNITY, name="银湖社区", parent=AreaFactory(kind=AreaKind.STREET, parent=district)
    )
    grid = AreaFactory(kind=AreaKind.GRID, name="第1网格", parent=community)
    user_with_posts("cs_import", dict(role=Role.COMMUNITY_STAFF, area=community))
    workbook = tmp_path / "楼栋.xlsx"
    workbook.write_bytes(
        xlsx(
            [["银湖社区", "第1网格", "5号楼", "银湖路5号", 2, 11], ["银湖社区", "第9网格", "6号楼", "", "", ""]],
            headings=[column.heading for column in COLUMNS],
        )
    )

    phone.set_default_timeout(60_000)  # the machine is shared; the page is not slow on its own
    log_in(phone, "cs_import", "pw")
    open_records_menu(phone)
    phone.get_by_role("link", name="导入岗位").click()  # the menu offers each import this post may run
    expect(phone.get_by_role("heading", level=1)).to_have_text("从Excel导入岗位")
    phone.get_by_test_id("import-kinds").get_by_role("link", name="导入楼栋").click()  # and each page the others
    expect(phone.get_by_role("heading", level=1)).to_have_text("从Excel导入楼栋")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.locator("input[type=file]").set_input_files(str(workbook))
    phone.get_by_role("button", name="上传并试导入").click()
    phone.wait_for_url("**/imports/buildings/*/")
    phone.reload()
    expect(phone.locator('[data-count="created"]')).to_have_text("1")
    expect(phone.locator('[data-row="3"]')).to_contain_text("网格:社区下没有这个网格")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="正式导入").click()
    expect(phone.get_by_text("已写入全部未被拒绝的行。")).to_be_visible()
    made = Area.objects.get(name="5号楼")
    assert (made.parent_id, made.units, made.floors) == (grid.pk, 2, 11)
