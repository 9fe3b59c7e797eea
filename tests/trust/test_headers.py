"""Every response carries the Content-Security-Policy, HSTS when served over TLS, a same-origin
Referrer-Policy, and no-store for anyone signed in (pages, API and admin alike)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.sign_in import force_login_verified
from tests.test_scope import OBJECT_PAGES

PERSONAS = ["grid_a", "grid_b", "community", "street", "officer", "sunk", "district", "leader", "admin"]


def _routes(patterns=None, prefix=""):
    """Every route that takes no argument, outside admin (walked on its own below)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if "<" in route or "(" in route or route.startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route.lstrip("^").rstrip("$").replace("\\", "")


def _walk(world):
    yield from sorted(set(_routes()))
    for url_name, kind, key in OBJECT_PAGES:
        yield reverse(url_name, args=[getattr(world, kind)[key].pk])
    yield "/admin/"
    yield "/admin/grids/resident/"


def _script_sources(policy: str) -> list[str]:
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return directives["script-src"].split()


@pytest.mark.parametrize("persona", [*PERSONAS, None])
def test_every_page_runs_only_our_own_scripts_and_is_not_stored_for_a_signed_in_user(world, client, persona):
    if persona:
        force_login_verified(client, world.users[persona])
    client.raise_request_exception = False  # whether each page works is other tests' business
    for url in _walk(world):
        response = client.get(url)
        assert "Content-Security-Policy" in response, url
        assert _script_sources(response["Content-Security-Policy"]) == ["'self'"], url
        assert response["Referrer-Policy"] == "same-origin", url
        if persona:
            assert "no-store" in response.get("Cache-Control", ""), url


@pytest.mark.parametrize(
    "url",
    ["/residents/", "/api/v1/residents/", "/api/v1/cases/", "/admin/grids/resident/", "/admin/"],
)
def test_a_page_the_api_and_admin_say_no_store(world, client, url):
    force_login_verified(client, world.users["admin"])
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_static_files_keep_their_caching(client, world):
    force_login_verified(client, world.users["admin"])
    response = client.get("/static/js/charts.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_log_in_page_is_not_stored_either(client):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]


def test_hsts_and_the_https_redirect_are_on_behind_tls(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_SSL_REDIRECT = True
    plain = client.get(reverse("login"))
    assert plain.status_code == 301
    assert plain.url.startswith("https://")
    secure = client.get(reverse("login"), secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
