"""驻区单位轮值主席制 (seed 003): the chair passes down the rotation order when a term ends, the
hand-over is recorded and audited, and it is refused while the term runs."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alliances import selectors, services
from alliances.models import Alliance
from core.models import AuditEntry
from tests.alliances.conftest import FOUNDED


def _fresh(alliance):
    return selectors.with_people(Alliance.objects.filter(pk=alliance.pk)).get()


def test_the_first_chair_is_the_first_in_the_rotation_for_one_term(world, alliance):
    term = services.hand_over_chair(actor=world.users["street"], alliance=alliance, on=FOUNDED)
    assert (term.member.unit.name, term.starts_on, term.ends_on) == ("医院", FOUNDED, datetime.date(2025, 12, 31))
    entry = AuditEntry.objects.get(action="alliances.hand_over_chair")
    assert (entry.actor, entry.capacity, entry.target_id) == (world.users["street"], "street_staff", str(term.pk))


def test_the_chair_rotates_at_term_end_and_not_before(world, alliance):
    street = world.users["street"]
    services.hand_over_chair(actor=street, alliance=alliance, on=FOUNDED)
    last_day, next_day = datetime.date(2025, 12, 31), datetime.date(2026, 1, 1)

    on_last_day = selectors.chair(_fresh(alliance), last_day)
    assert (on_last_day.term.member.unit.name, on_last_day.due) == ("医院", False)
    with pytest.raises(ValidationError) as refused:
        services.hand_over_chair(actor=street, alliance=alliance, on=last_day)
    assert refused.value.code == "term_running"

    after = selectors.chair(_fresh(alliance), next_day)
    assert (after.due, after.next_member.unit.name, after.next_starts_on) == (True, "超市", next_day)
    # Recorded a month late, the term still starts the day after the last one ended.
    term = services.hand_over_chair(actor=street, alliance=alliance, on=datetime.date(2026, 2, 3))
    assert (term.member.unit.name, term.starts_on, term.ends_on) == ("超市", next_day, datetime.date(2026, 12, 31))


def test_after_the_last_in_order_the_rotation_starts_again_and_skips_who_left(world, alliance, units):
    street = world.users["street"]
    services.hand_over_chair(actor=street, alliance=alliance, on=FOUNDED)  # 医院 2025
    services.hand_over_chair(actor=street, alliance=alliance, on=datetime.date(2026, 1, 1))  # 超市 2026
    hospital = alliance.members.get(unit=units["hospital"])
    services.remove_member(actor=street, member=hospital, on=datetime.date(2026, 6, 1))
    term = services.hand_over_chair(actor=street, alliance=alliance, on=datetime.date(2027, 1, 1))
    assert term.member.unit.name == "学校"
    term = services.hand_over_chair(actor=street, alliance=alliance, on=datetime.date(2028, 1, 1))
    assert term.member.unit.name == "超市"  # 医院 has left: the round starts again at the next one


def test_only_the_streets_keepers_hand_over(world, alliance):
    with pytest.raises(PermissionDenied):
        services.hand_over_chair(actor=world.users["community"], alliance=alliance, on=FOUNDED)


def test_a_chair_due_is_on_the_street_workbench_and_the_alliance_page(world, alliance, client_for):
    client = client_for(world.users["street"])
    home = client.get(reverse("home"))
    [panel] = [p for p in home.context["panels"] if p.key == "alliances"]
    assert {i.testid: i.count for i in panel.items}["todo-chair-hand-over"] == 1
    page = client.get(reverse("alliances:alliance", args=[alliance.pk]))
    assert page.context["chair"].next_member.unit.name == "医院"
    assert "chair-due" in page.content.decode()


def test_community_staff_see_their_streets_alliance_but_do_not_keep_it(world, alliance, client_for):
    client = client_for(world.users["community"])
    page = client.get(reverse("alliances:alliance", args=[alliance.pk]))
    assert page.status_code == 200 and page.context["links"]["actions"] == []
    assert client.get(reverse("alliances:alliance_hand_over", args=[alliance.pk])).status_code == 404
