"""The auditors' page: only for core.audit_reader, filtered, paged by keyset, at a fixed cost."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.audit import record
from core.audit_log import PAGE_SIZE
from core.scope import SYSTEM
from tests.sign_in import force_login_verified

URL = reverse("core:audit")


@pytest.fixture
def auditor(db):
    user = User.objects.create_user(username="auditor", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="audit_reader"))
    return user


@pytest.fixture
def outsider(db):
    return User.objects.create_user(username="outsider", password="pw", is_staff=True)


def test_it_is_404_without_the_permission(client, outsider):
    force_login_verified(client, outsider)
    assert client.get(URL).status_code == 404


def test_it_asks_an_anonymous_visitor_to_sign_in(client, db):
    assert client.get(URL).status_code == 302


def test_the_menu_links_it_only_for_auditors(client, auditor, outsider):
    force_login_verified(client, outsider)
    assert URL not in client.get(reverse("home")).content.decode()
    force_login_verified(client, auditor)
    assert URL in client.get(reverse("home")).content.decode()


def test_it_filters_by_actor_action_type_and_date(client, auditor, outsider):
    user_type = ContentType.objects.get_for_model(User)
    record(actor=outsider, action="grids.update_resident", target=outsider, fields=["phone"])
    record(actor=SYSTEM, action="cases.sweep")
    force_login_verified(client, auditor)
    today = datetime.date.today().isoformat()
    rows = client.get(URL, {"actor": "outsider", "action": "grids.", "target_type": user_type.pk, "since": today})
    assert [entry.action for entry in rows.context["rows"]] == ["grids.update_resident"]
    assert client.get(URL, {"action": "cases."}).context["rows"][0].action == "cases.sweep"
    assert not client.get(URL, {"until": "2000-01-01"}).context["rows"]


def test_it_pages_by_keyset_newest_first(client, auditor):
    written = [record(actor=SYSTEM, action=f"test.n{i}") for i in range(PAGE_SIZE + 5)]
    force_login_verified(client, auditor)
    first = client.get(URL, {"action": "test."})
    assert [e.pk for e in first.context["rows"]] == [e.pk for e in reversed(written)][:PAGE_SIZE]
    second = client.get(URL, {"action": "test.", "after": first.context["next_cursor"]})
    assert [e.pk for e in second.context["rows"]] == [e.pk for e in reversed(written)][PAGE_SIZE:]
    assert second.context["next_cursor"] is None
    for bad in ("abc", "-1", str(2**64)):
        assert client.get(URL, {"after": bad}).status_code == 200


def test_malformed_filters_are_not_server_errors(client, auditor):
    force_login_verified(client, auditor)
    for params in ({"target_type": str(2**64)}, {"target_type": "x"}, {"since": "3000-13-01"}, {"until": "x"}):
        assert client.get(URL, params).status_code == 200


@pytest.mark.parametrize("entries", [3, 40])
def test_it_costs_the_same_however_many_entries(client, auditor, outsider, django_assert_num_queries, entries):
    for _ in range(entries):
        record(actor=outsider, action="grids.update_resident", target=outsider, fields=["phone"])
    force_login_verified(client, auditor)
    # session, user, the device that verified the session (an auditor is staff, so has two-factor
    # sign-in), the user's and group permissions, the type choices, the header's unread count,
    # the page of entries, and the user's posts for the menu (which offers only the pages they may open)
    with django_assert_num_queries(9):
        assert client.get(URL, {"action": "grids."}).status_code == 200


def test_it_shows_no_personal_value_of_the_object(client, auditor):
    resident_like = User.objects.create_user(username="zhangsan", first_name="张三")
    record(actor=SYSTEM, action="grids.update_resident", target=resident_like, fields=["phone"])
    force_login_verified(client, auditor)
    assert "张三" not in client.get(URL).content.decode()
