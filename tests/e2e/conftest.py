"""Real-browser tests: Playwright driving Debian's Chromium against the live test server.

Without Chromium they are skipped with the reason, so a newcomer's `uv run pytest` still
passes; CI installs Chromium and sets GRIDGOV_REQUIRE_BROWSER=1, which turns a missing
browser into a failure.
"""

import os
import shutil
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def _chromium() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    if executable is None:
        if os.environ.get("GRIDGOV_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required here (GRIDGOV_REQUIRE_BROWSER=1) but was not found")
        pytest.skip("Chromium not installed (apt-get install chromium) — browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page, in Chinese, pointed at the live server."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def eager_tasks():
    """The live server runs in this process: what its pages queue after commit runs here, whatever
    the broker (tests/test_celery.py covers the worker path)."""
    from gridgov.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def screenshot(request):
    def save(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


def log_in(page, username: str, password: str) -> None:
    """Through the real pages: the password, then (for a user with an authenticator) the code
    page, typing the code the user's app would show now."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/two-factor/verify/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("验证码").fill(current_code(device.bin_key))
        page.get_by_role("button", name="验证").click()
        page.wait_for_url(lambda url: "/accounts/two-factor/" not in url)


def open_records_menu(page) -> None:
    """On a phone: the collapsed menu, then its 基础信息 dropdown. Each click is made once the
    part it opens has finished opening: a click while Bootstrap's collapse is still moving is
    dropped by the page, as it would be for a person tapping too fast, so it is made again."""
    from playwright.sync_api import Error, expect

    toggle = page.get_by_role("button", name="基础信息")
    for _attempt in range(3):
        if not page.locator("#nav.show").count():
            page.get_by_role("button", name="菜单").click()
            page.locator("#nav.show:not(.collapsing)").wait_for()
        toggle.click()
        try:
            expect(toggle).to_have_attribute("aria-expanded", "true", timeout=3_000)
            return
        except (AssertionError, Error):
            continue
    expect(toggle).to_have_attribute("aria-expanded", "true")


def current_code(key: bytes) -> str:
    return f"{TOTP(key).token():06d}"
