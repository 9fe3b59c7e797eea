"""The menu offers a role exactly the pages it may open (that no link a demo role is shown, in its
menu or on its workbench, answers 403, 404 or 500 is tested on the demo in tests/test_demo.py)."""

import re

import pytest
from django.urls import reverse

from gridgov.navigation import MENU

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


def test_the_records_dropdown_shows_each_group_once_under_its_heading(world, client_for):
    page = client_for(world.users["community"]).get(reverse("home")).content.decode()
    dropdown = page[page.index('class="dropdown-menu"') :]
    headings = [(m.start(), m.group(1)) for m in re.finditer(r'<h6 class="dropdown-header">([^<]+)</h6>', dropdown)]
    groups = [str(group) for group in dict.fromkeys(entry.group for entry in MENU if entry.group)]
    assert [name for _at, name in headings] == groups  # each once, in MENU's order
    shown = [entry for entry in MENU if entry.group and f'href="{entry.url}"' in dropdown]
    assert len(shown) > len(groups)
    for entry in shown:
        at = dropdown.index(f'href="{entry.url}"')
        assert [name for start, name in headings if start < at][-1] == str(entry.group), entry.url_name
