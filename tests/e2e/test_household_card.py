import datetime

import pytest
from playwright.sync_api import expect

from grids.models import AreaKind
from orgs.models import Role, Slot
from tests.e2e.conftest import log_in
from tests.factories import AreaFactory, HouseholdFactory, ResidentFactory, citizen_id, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_grid_worker_opens_a_household_card_on_a_phone(phone, screenshot):
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name="银湖社区", parent=street, declared_households=2400)
    grid = AreaFactory(kind=AreaKind.GRID, name="银湖社区第1网格", parent=community)
    building = AreaFactory(kind=AreaKind.BUILDING, name="1区3号楼", parent=grid)
    household = HouseholdFactory(
        building=building, unit="2", room="502", family_situation="三口之家", hazards="电动车入户充电"
    )
    number = citizen_id(datetime.date(1958, 3, 9), male=True)
    ResidentFactory(household=household, name="王建国", citizen_id=number, phone="13812345678")
    user_with_posts("gw", dict(role=Role.GRID_WORKER, area=grid, slot=Slot.A))

    log_in(phone, "gw", "pw")
    phone.get_by_role("link", name="银湖社区第1网格").click()
    phone.get_by_role("link", name="2-502").click()

    expect(phone.get_by_role("heading", name="住户四清卡")).to_be_visible()
    assert phone.get_by_test_id("family").inner_text() == "三口之家"
    members = phone.get_by_test_id("members").inner_text()
    assert "王建国" in members
    assert "**************" + number[-4:] in members
    assert number not in phone.content()
    assert "138****5678" in members
    # Phone-sized: the page does not scroll sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert screenshot(phone, "household-card").stat().st_size > 10_000
