"""The party roll on a 390 px phone: community staff register a member by the resident's ID (shown
masked afterwards), add points and read the running total; no page scrolls sideways."""

import datetime

import pytest
from playwright.sync_api import expect

from core.scope import SYSTEM
from grids.models import AreaKind
from orgs import services
from orgs.models import OrgKind, Role
from tests.e2e.conftest import log_in
from tests.factories import AreaFactory, HouseholdFactory, ResidentFactory, citizen_id, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fits(phone) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, phone.url


def test_community_staff_register_a_member_and_keep_their_points_on_a_phone(phone, screenshot):
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name="银湖社区", parent=street, declared_households=2400)
    grid = AreaFactory(kind=AreaKind.GRID, name="银湖社区第1网格", parent=community)
    building = AreaFactory(kind=AreaKind.BUILDING, name="1区3号楼", parent=grid)
    number = citizen_id(datetime.date(1980, 5, 4), male=False)
    ResidentFactory(household=HouseholdFactory(building=building, unit="2", room="502"), name="李红", citizen_id=number)
    root = services.create_organization(
        actor=SYSTEM, kind=OrgKind.STREET_WORKING_COMMITTEE, name="滨河街道党工委", area=street
    )
    services.create_organization(
        actor=SYSTEM, kind=OrgKind.COMMUNITY_BRANCH, name="银湖社区党支部", area=community, parent=root
    )
    user_with_posts("staff", dict(role=Role.COMMUNITY_STAFF, area=community))

    log_in(phone, "staff", "pw")
    phone.goto("/orgs/members/")
    _fits(phone)
    phone.get_by_role("link", name="登记党员").click()
    phone.get_by_label("对应居民身份证号").fill(number)
    phone.get_by_label("所在党组织").select_option(label="银湖社区党支部")
    phone.get_by_label("党员类别").select_option("full")
    phone.get_by_label("管理类型").select_option("in_service")
    phone.get_by_label("入党日期").fill("2005-07-01")
    phone.get_by_label("工作单位").fill("区教育局")
    _fits(phone)
    phone.get_by_role("button", name="登记党员").click()

    expect(phone.get_by_role("heading", name="李红")).to_be_visible()
    assert "**************" + number[-4:] in phone.get_by_test_id("fields").inner_text()
    assert number not in phone.content()
    _fits(phone)
    for points in ["5", "3"]:
        phone.get_by_test_id("actions").get_by_role("link", name="记积分").click()
        phone.get_by_label("日期").fill("2026-03-01")
        phone.get_by_label("积分").fill(points)
        phone.get_by_label("事由").fill("社区志愿服务")
        phone.get_by_role("button", name="记积分").click()
    expect(phone.get_by_test_id("running-total").first).to_have_text("8")
    _fits(phone)
    assert screenshot(phone, "member").stat().st_size > 10_000
