"""An organisation's name is typed by a user: the org chart shows it as text, never runs it.

Here rather than in tests/trust with the other trust findings: the browser is a session
fixture of this folder, and a second copy of it in another folder cannot start.
"""

import pytest
from playwright.sync_api import expect

from core.scope import SYSTEM
from grids.models import AreaKind
from orgs import services
from orgs.models import OrgKind, Role
from tests.e2e.conftest import log_in
from tests.factories import AreaFactory, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAYLOAD = "<img src=x onerror=window.__xss=1>"

# Records every Content-Security-Policy refusal, so the test also shows the chart needs none.
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""

# The pixel where ECharts drew the first organisation (item 0 is the tree's hidden root),
# from the chart's own layout; null until it has drawn it.
FIRST_NODE_AT = """
() => {
  const chart = echarts.getInstanceByDom(document.querySelector("[data-chart=tree]"));
  const series = chart && chart.getModel().getSeriesByIndex(0);
  const symbol = series && series.getData().getItemGraphicEl(1);
  if (!symbol) return null;
  const [x, y] = symbol.transformCoordToGlobal(0, 0);
  return { x, y };
}
"""


def test_a_hover_on_an_organisation_named_like_html_shows_the_name_and_runs_nothing(browser, live_server):
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    services.create_organization(actor=SYSTEM, kind=OrgKind.STREET_WORKING_COMMITTEE, name=PAYLOAD, area=street)
    user_with_posts("street", dict(role=Role.STREET_STAFF, area=street))

    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1200, "height": 900})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "street", "pw")
    page.goto("/orgs/")
    chart = page.locator("[data-chart=tree]")
    expect(chart.locator("canvas")).to_have_count(1)

    box = chart.bounding_box()
    node = page.wait_for_function(FIRST_NODE_AT).json_value()
    page.mouse.move(box["x"] + node["x"], box["y"] + node["y"])

    expect(chart.get_by_text(PAYLOAD)).to_be_visible()
    page.wait_for_timeout(300)  # an <img src=x> fails to load within a few milliseconds
    assert page.evaluate("window.__xss") is None
    assert chart.locator("img").count() == 0
    assert page.evaluate("window.__violations") == []
    assert errors == []
    context.close()


# The pixel of the first category on a bar chart's axis, a little above the baseline.
FIRST_CATEGORY_AT = """
() => {
  const chart = echarts.getInstanceByDom(document.querySelector("[data-chart=coverage]"));
  if (!chart) return null;
  const [x, y] = chart.convertToPixel({ xAxisIndex: 0, yAxisIndex: 0 }, [0, 0]);
  return { x, y: y - 10 };
}
"""


def test_the_coverage_chart_shows_a_community_named_like_html_as_text(browser, live_server):
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name=PAYLOAD, parent=street, declared_households=2400)
    AreaFactory(kind=AreaKind.GRID, name="第1网格", parent=community)
    user_with_posts("street", dict(role=Role.STREET_STAFF, area=street))

    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1200, "height": 900})
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, "street", "pw")
    page.goto("/orgs/coverage/")
    chart = page.locator("[data-chart=coverage]")
    expect(chart.locator("canvas")).to_have_count(1)

    box = chart.bounding_box()
    point = page.wait_for_function(FIRST_CATEGORY_AT).json_value()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])

    expect(chart.get_by_text(PAYLOAD)).to_be_visible()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert chart.locator("img").count() == 0
    assert page.evaluate("window.__violations") == []
    context.close()
