"""The workbench in a real browser: the header holds on one line at 1,366 px in English for the
widest menu (the admin's), the grid worker's buttons fit a 390 px phone; and, when asked
(GRIDGOV_SCREENSHOTS=1), the README's workbench screenshots are taken again from the demo."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from grids.models import AreaKind
from orgs.models import Role, Slot
from tests.e2e.conftest import PHONE
from tests.factories import AreaFactory, user_with_posts
from tests.sign_in import force_login_verified

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"
DESKTOP = {"viewport": {"width": 1366, "height": 768}}


def _signed_in(browser, live_server, user, *, language="zh-hans", device=DESKTOP):
    """A browser context holding the session a verified sign-in would have made."""
    client = force_login_verified(Client(), user)
    context = browser.new_context(base_url=live_server.url, **device)
    cookies = [(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)]
    cookies.append((settings.LANGUAGE_COOKIE_NAME, language))
    context.add_cookies([{"name": name, "value": value, "url": live_server.url} for name, value in cookies])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_the_admins_header_fits_on_one_line_at_1366_px_in_english(browser, live_server):
    admin = User.objects.create_superuser("wide_admin", password="x", first_name="System administrator")
    context, page = _signed_in(browser, live_server, admin, language="en")
    page.goto("/")
    assert page.locator("nav.navbar [data-menu]", has_text="Audit log").count() == 1  # the widest menu
    assert _overflow(page) == 0
    brand, logout = page.locator(".navbar-brand"), page.get_by_role("button", name="Log out")
    # One line: the brand and the sign-out button share a row (the navbar is one row high).
    assert abs(brand.bounding_box()["y"] - logout.bounding_box()["y"]) < 20
    assert page.locator("nav.navbar").bounding_box()["height"] < 70
    context.close()


def test_the_grid_workers_buttons_fill_a_phone_without_overflow(browser, live_server):
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区", code="980103000000")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name="银湖社区", parent=street)
    grid = AreaFactory(kind=AreaKind.GRID, name="第1网格", parent=community)
    worker = user_with_posts("gw", dict(role=Role.GRID_WORKER, area=grid, slot=Slot.A))
    context, page = _signed_in(browser, live_server, worker, device=PHONE)
    page.goto("/")
    report = page.get_by_test_id("report-button")
    assert report.bounding_box()["width"] > 300
    assert report.bounding_box()["height"] >= 60
    assert page.get_by_test_id("verify-button").is_visible()
    assert _overflow(page) == 0
    context.close()


# (demo user, file, the device): the README's table.
SCREENS = [
    ("community", "home-community.png", DESKTOP),
    ("grid_a", "home-grid-worker-phone.png", PHONE),
    ("street", "home-street.png", DESKTOP),
    ("officer", "home-officer.png", DESKTOP),
    ("leader", "home-leader.png", DESKTOP),
]


@pytest.mark.skipif(os.environ.get("GRIDGOV_SCREENSHOTS") != "1", reason="set GRIDGOV_SCREENSHOTS=1 to retake them")
def test_the_readmes_workbench_screenshots(browser, live_server, run_tasks_here):
    with run_tasks_here():
        call_command("load_demo", no_progress=True, verbosity=0)
    for username, name, device in SCREENS:
        context, page = _signed_in(browser, live_server, User.objects.get(username=username), device=device)
        page.set_default_timeout(60_000)  # the whole demo city behind the page
        page.goto("/")
        page.get_by_test_id("workbench").wait_for()
        page.screenshot(path=str(DOCS / name), full_page=device is PHONE)
        context.close()
