"""A grid worker on a 390 px phone logs a visit on the doorstep, raises a case from it in the same
step, and finds both counted on their yearly evaluation page, each figure linking to its record."""

from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from appraisal.models import Scheme
from cases import services as case_services
from cases.models import Case, Category
from core.scope import SYSTEM
from grids.models import AreaKind
from orgs.models import Role, Slot
from tests.e2e.conftest import log_in
from tests.factories import AreaFactory, HouseholdFactory, ResidentFactory, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_visit_and_its_case_count_on_the_grid_workers_year(phone, screenshot):
    # An earlier transactional test flushed the rows the migrations seed.
    if not Category.objects.exists():
        import_module("cases.migrations.0002_categories_and_limits").create(apps, None)
    if not Scheme.objects.exists():
        import_module("appraisal.migrations.0002_rules_and_scheme").seed(apps, None)
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区", code="980103000000")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name="银湖社区", parent=street)
    grid = AreaFactory(kind=AreaKind.GRID, name="银湖社区第1网格", parent=community)
    building = AreaFactory(kind=AreaKind.BUILDING, name="1区3号楼", parent=grid)
    household = HouseholdFactory(building=building, unit="2", room="502")
    ResidentFactory(household=household, name="王建国")
    # The plan asks one visit of the grid's one household this year.
    case_services.add_visit_rule(actor=SYSTEM, area=community, group=None, every_days=366)
    worker = user_with_posts("gw_year", dict(role=Role.GRID_WORKER, area=grid, slot=Slot.A))

    log_in(phone, "gw_year", "pw")
    phone.goto(f"/households/{household.pk}/visit/")
    phone.get_by_label("走访日期").fill(timezone.localdate().isoformat())
    phone.get_by_label("走访情况").fill("楼道内堆放纸箱,存在消防隐患")
    phone.get_by_label("同时上报案件").check()
    phone.get_by_label("案件类别").select_option(str(Category.objects.get(code="safety-fire").pk))
    phone.get_by_label("问题描述").fill("2单元楼道堆放纸箱,堵塞消防通道")
    phone.get_by_role("button", name="登记走访").click()
    phone.wait_for_url(lambda url: "/visit/" not in url)
    case = Case.objects.unscoped("test: the case the visit raised").get(reporter=worker)

    phone.goto("/")
    phone.get_by_role("link", name="我的年度考核").click()
    visits = phone.get_by_test_id("figure-visits")
    expect(visits.get_by_test_id("value")).to_have_text("100.0%")
    expect(visits.get_by_role("link")).to_have_count(1)
    hazards = phone.get_by_test_id("figure-hazards")
    expect(hazards.get_by_test_id("value")).to_have_text("1")
    expect(hazards.get_by_role("link", name=case.number, exact=False)).to_be_visible()
    expect(phone.get_by_test_id("figure-cases_reported").get_by_test_id("value")).to_have_text("1")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "yearly-evaluation")

    visits.get_by_role("link").click()
    expect(phone.get_by_role("heading", name="住户四清卡")).to_be_visible()
