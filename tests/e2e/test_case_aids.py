"""The case-handling aids in a real browser on a 390 px phone: the report form lists possible
duplicates as text before submitting, and a 常用语 goes into a step's note at the cursor."""

from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import expect

from cases import services
from cases.models import Category, ReplyTemplate
from core.scope import SYSTEM
from grids.models import AreaKind
from orgs.models import Role, Slot
from tests.e2e.conftest import log_in
from tests.factories import AreaFactory, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAYLOAD = "<img src=x onerror=window.__xss=1>"


def test_duplicates_and_reply_templates_on_a_phone(phone):
    if not Category.objects.exists():  # an earlier transactional test flushed the seeded rows
        import_module("cases.migrations.0002_categories_and_limits").create(apps, None)
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区", code="980102000000")
    community = AreaFactory(
        kind=AreaKind.COMMUNITY, name="银湖社区", parent=AreaFactory(kind=AreaKind.STREET, parent=district)
    )
    grid = AreaFactory(kind=AreaKind.GRID, name="第1网格", parent=community)
    building = AreaFactory(kind=AreaKind.BUILDING, name="3号楼", parent=grid)
    worker = user_with_posts("gw", dict(role=Role.GRID_WORKER, area=grid, slot=Slot.A))
    user_with_posts("cs", dict(role=Role.COMMUNITY_STAFF, area=community))
    clutter = Category.objects.get(code="urban-events-clutter")
    earlier = services.report_case(actor=worker, category=clutter, area=building, description=f"楼道堆物 {PAYLOAD}")
    services.save_reply_template(
        actor=SYSTEM, template=ReplyTemplate(title="已受理", text=f"已受理,三日内处理。{PAYLOAD}", step="accept")
    )

    phone.set_default_timeout(60_000)  # the machine is shared; the page is not slow on its own
    log_in(phone, "gw", "pw")
    phone.goto("/cases/new/")
    phone.get_by_label("地点(楼栋)").select_option(label="第1网格 · 3号楼")
    phone.get_by_label("类别").select_option(value=str(clutter.pk))
    box = phone.get_by_test_id("duplicates")
    expect(box).to_be_visible()
    expect(box.get_by_role("link", name=earlier.number)).to_be_visible()
    expect(box).to_contain_text(PAYLOAD)  # shown as text, never run
    assert phone.evaluate("window.__xss") is None
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.context.clear_cookies()
    log_in(phone, "cs", "pw")
    phone.goto(f"/cases/{earlier.pk}/")
    note = phone.locator("#id_accept_note")
    note.fill("电话联系。")
    phone.get_by_test_id("replies-accept").select_option(label="已受理")
    expect(note).to_have_value(f"电话联系。 已受理,三日内处理。{PAYLOAD}")
    expect(phone.get_by_test_id("replies-accept")).to_have_value("")
    phone.get_by_test_id("step-accept").get_by_role("button", name="受理").click()
    expect(phone.get_by_test_id("status")).to_have_text("社区办理中")
    assert phone.evaluate("window.__xss") is None
