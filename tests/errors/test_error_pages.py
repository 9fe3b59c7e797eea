"""404, 403, 500 and a CSRF refusal answer with the product's own page, in the user's language and
with a way home, with DEBUG off (as in production)."""

import pytest
from django.test import Client
from django.urls import reverse

TEXT = {
    "zh-hans": {404: "页面不存在", 403: "无权办理", 500: "系统出错", "csrf": "页面已过期", "home": "返回工作台"},
    "en": {
        404: "Page not found",
        403: "Not allowed",
        500: "Something went wrong",
        "csrf": "This page has expired",
        "home": "Back to the workbench",
    },
}


@pytest.fixture
def failing_urls(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.errors.urls"


@pytest.mark.parametrize("language", sorted(TEXT))
@pytest.mark.parametrize(("path", "status"), [("/no-such-page/", 404), ("/test-refused/", 403), ("/test-crash/", 500)])
def test_a_refusal_or_a_failure_is_the_products_page(db, failing_urls, language, path, status):
    response = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language).get(path)
    page = response.content.decode()
    assert response.status_code == status
    assert TEXT[language][status] in page
    assert f'href="{reverse("home")}" data-testid="way-home"' in page
    assert f'<html lang="{language}">' in page
    other = "en" if language == "zh-hans" else "zh-hans"
    assert TEXT[other][status] not in page


@pytest.mark.parametrize("language", sorted(TEXT))
def test_a_form_without_its_csrf_token_is_refused_with_the_products_page(db, failing_urls, language):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403
    assert TEXT[language]["csrf"] in page and TEXT[language]["home"] in page


def test_a_crash_page_reads_nothing_from_the_database(db, failing_urls, django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        assert client.get("/test-crash/").status_code == 500
