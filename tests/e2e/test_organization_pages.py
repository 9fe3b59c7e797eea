import pytest
from playwright.sync_api import expect

from core.scope import SYSTEM
from grids.models import AreaKind
from orgs import services
from orgs.models import OrgKind, Role
from tests.e2e.conftest import log_in
from tests.factories import AreaFactory, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_community_staff_keep_a_grid_branch_and_its_committee_on_a_phone(phone, screenshot):
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name="银湖社区", parent=street, declared_households=2400)
    grid = AreaFactory(kind=AreaKind.GRID, name="银湖社区第1网格", parent=community)
    root = services.create_organization(
        actor=SYSTEM, kind=OrgKind.STREET_WORKING_COMMITTEE, name="滨河街道党工委", area=street
    )
    services.create_organization(
        actor=SYSTEM, kind=OrgKind.COMMUNITY_BRANCH, name="银湖社区党支部", area=community, parent=root
    )
    user_with_posts("staff", dict(role=Role.COMMUNITY_STAFF, area=community))

    log_in(phone, "staff", "pw")
    phone.goto("/orgs/")
    phone.get_by_role("link", name="党组织维护").first.click()
    phone.get_by_role("link", name="新建党组织").click()
    phone.get_by_label("类型").select_option(label="网格(居民区)党支部")
    phone.get_by_label("名称").fill("银湖社区第1网格党支部")
    phone.get_by_label("上级党组织").select_option(label="银湖社区党支部")
    phone.get_by_label("所在区域").select_option(label=grid.name)
    phone.get_by_role("button", name="新建党组织").click()

    expect(phone.get_by_role("heading", name="银湖社区第1网格党支部")).to_be_visible()
    phone.get_by_role("link", name="任命班子成员").click()
    phone.get_by_label("姓名").fill("王书记")
    phone.get_by_label("职务").select_option(label="书记")
    phone.get_by_label("任职日期").fill("2025-01-01")
    phone.get_by_role("button", name="任命班子成员").click()

    committee = phone.get_by_test_id("committee")
    expect(committee).to_contain_text("王书记")
    expect(committee).to_contain_text("2025-01-01")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert screenshot(phone, "organization").stat().st_size > 10_000
