"""The menu offers a role exactly the pages it may open, and no link a demo role is shown (in its
menu or on its workbench) answers 403, 404 or 500."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.builder import DEMO_LOGINS
from gridgov.navigation import MENU
from tests.sign_in import force_login_verified

PERSONAS = ("grid_a", "community", "street", "sunk", "officer", "district", "leader", "admin")


def _menu_hrefs(page: str) -> list[str]:
    return re.findall(r'href="([^"]+)" data-menu', page)


def _workbench_hrefs(page: str) -> list[str]:
    if 'data-testid="workbench"' not in page:
        return []
    start = page.index('data-testid="workbench"')
    return [
        href.split("#")[0].replace("&amp;", "&")
        for href in re.findall(r'href="([^"]+)"', page[start : page.index("</main>")])
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_menu_lists_exactly_the_pages_the_persona_may_open(world, client_for, persona):
    client = client_for(world.users[persona])
    offered = set(_menu_hrefs(client.get(reverse("home")).content.decode()))
    for entry in MENU:
        opens = client.get(entry.url).status_code == 200
        assert (entry.url in offered) == opens, (entry.url_name, opens)


def test_the_officer_is_offered_only_their_cases(world, client_for):
    page = client_for(world.users["officer"]).get(reverse("home")).content.decode()
    # and, in the account menu, their department's event subscriptions (事件推送)
    assert _menu_hrefs(page) == [
        reverse("home"),
        reverse("cases:list"),
        reverse("cases:dashboard"),
        reverse("cases:webhook_list"),
    ]


@pytest.mark.django_db
def test_every_link_a_demo_role_is_shown_opens(run_tasks_here):
    with run_tasks_here():
        call_command("load_demo", no_progress=True, verbosity=0)
    for username, _ in DEMO_LOGINS:
        client = force_login_verified(Client(), User.objects.get(username=username))
        home = client.get(reverse("home"))
        assert home.status_code == 200, username
        page = home.content.decode()
        links = _menu_hrefs(page) + _workbench_hrefs(page)
        assert len(links) > 1, username
        for href in links:
            status = client.get(href).status_code
            # The admin's own pages redirect within the admin; everything else answers itself.
            assert status == 200 or (href.startswith("/admin/") and status == 302), (username, href, status)
