"""Two-factor sign-in on a phone: a community worker who may reveal personal data enrols with the
secret in text, keeps the recovery codes, and signs in again through the code page."""

from base64 import b32decode

import pytest
from django.contrib.auth.models import Permission
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from grids.models import AreaKind
from orgs.models import Role
from tests.e2e.conftest import current_code, log_in
from tests.factories import AreaFactory, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_worker_who_may_reveal_enrols_on_a_phone_and_signs_in_with_a_code(phone, screenshot):
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金川区")
    street = AreaFactory(kind=AreaKind.STREET, name="滨河街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name="银湖社区", parent=street)
    worker = user_with_posts("cs", dict(role=Role.COMMUNITY_STAFF, area=community))
    worker.user_permissions.add(Permission.objects.get(codename="view_sensitive"))

    log_in(phone, "cs", "pw")
    phone.wait_for_url("**/accounts/two-factor/enrol/**")
    expect(phone.get_by_test_id("qr").locator("svg")).to_be_visible()
    # Nothing is wider than the phone: the QR code and the secret fit at 390 px.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "enrol")
    secret = phone.get_by_test_id("secret").inner_text()
    phone.get_by_label("验证器显示的6位数字").fill(current_code(b32decode(secret.replace(" ", ""))))
    phone.get_by_role("button", name="开启").click()

    codes = phone.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    screenshot(phone, "recovery-codes")
    first_code = codes.first.inner_text()
    phone.get_by_role("link", name="我已保存,继续").click()
    phone.wait_for_url("**/")
    expect(phone.get_by_role("heading", level=1).first).to_be_visible()

    # Next time: the password, then a recovery code on the code page (the authenticator's code
    # was spent by enrolment until the next 30-second step).
    phone.get_by_role("button", name="菜单").click()
    phone.get_by_role("button", name="退出").click()
    phone.goto("/accounts/login/")
    phone.get_by_label("用户名").fill("cs")
    phone.get_by_label("密码").fill("pw")
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url("**/accounts/two-factor/verify/**")
    screenshot(phone, "verify")
    phone.get_by_label("验证码").fill(first_code)
    phone.get_by_role("button", name="验证").click()
    expect(phone.get_by_role("status").first).to_contain_text("还剩 9 个")


def test_an_enrolled_worker_signs_in_through_the_code_page(phone):
    worker = user_with_posts("cs", sensitive=True)
    TOTPDevice.objects.create(user=worker, name="authenticator")
    log_in(phone, "cs", "pw")
    assert phone.url.endswith("/")
    expect(phone.get_by_role("button", name="菜单")).to_be_visible()
