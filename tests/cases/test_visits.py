"""入户走访: a visit is logged by whoever keeps the household's card, updates the card and the last
visit in the same step, and may raise a case that links back; a refused case leaves no visit."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases import services, visits
from cases.models import Case, Visit
from cases.photos import clean_photo
from core.models import AuditEntry
from core.scope import SYSTEM, scope_for
from grids import services as grid_services
from grids.models import Household, Resident
from tests.cases.conftest import category
from tests.factories import HouseholdFactory, key_group

TODAY = timezone.localdate


def photo():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, format="JPEG")
    return clean_photo(SimpleUploadedFile("p.jpg", out.getvalue()))


def test_a_grid_worker_visits_a_household_of_their_grid_and_the_card_changes_with_it(world):
    household = world.households["A1"]
    visit = services.record_visit(
        actor=world.users["grid_a"],
        household=household,
        findings="老人身体尚可",
        card={"hazards": "燃气管老化", "family_situation": "两口之家"},
        follow_up=True,
        follow_up_note="联系燃气公司",
        photo=photo(),
    )
    stored = Household.objects.get(pk=household.pk)
    assert stored.hazards == "燃气管老化" and stored.family_situation == "两口之家"
    assert stored.last_visited == TODAY() == visit.on
    assert visit.visitor_role == "grid_worker" and visit.photo.name.startswith("visits/")
    actions = set(AuditEntry.objects.filter(actor=world.users["grid_a"]).values_list("action", flat=True))
    assert {"visit.record", "grids.update_household_card"} <= actions


@pytest.mark.parametrize(("persona", "building"), [("grid_b", "A1"), ("community", "C1"), ("officer", "A1")])
def test_a_household_outside_ones_grids_or_community_is_refused(world, persona, building):
    with pytest.raises(PermissionDenied):
        services.record_visit(actor=world.users[persona], household=world.households[building], findings="x")
    assert not Visit.objects.exists()


def test_community_staff_visit_any_household_of_their_community(world):
    visit = services.record_visit(actor=world.users["community"], household=world.households["B1"], findings="正常")
    assert visit.visitor_role == "community_staff"


def test_a_visit_in_the_future_is_refused_and_an_earlier_one_does_not_move_the_last_visit_back(world):
    household, grid_a = world.households["A1"], world.users["grid_a"]
    with pytest.raises(ValidationError) as refused:
        services.record_visit(actor=grid_a, household=household, findings="x", on=TODAY() + datetime.timedelta(1))
    assert "on" in refused.value.error_dict
    services.record_visit(actor=grid_a, household=household, findings="今天")
    services.record_visit(actor=grid_a, household=household, findings="补录", on=TODAY() - datetime.timedelta(9))
    assert Household.objects.get(pk=household.pk).last_visited == TODAY()
    assert Visit.objects.count() == 2


def test_a_case_raised_from_a_visit_is_at_the_building_and_links_both_ways(world):
    visit = services.record_visit(
        actor=world.users["grid_a"],
        household=world.households["A1"],
        findings="楼道堆物",
        case_category=category("safety-fire"),
        case_description="楼道堆放纸箱,堵塞消防通道",
        photo=photo(),
    )
    case = Case.objects.get()
    assert visit.case == case and list(case.visits.all()) == [visit]
    assert case.area == world.areas["A1"] and case.source == "grid_patrol" and case.reporter == world.users["grid_a"]
    assert case.photos.count() == 1


def test_a_refused_case_leaves_no_visit_and_no_card_change(world):
    household = world.households["A1"]
    with pytest.raises(ValidationError):
        services.record_visit(
            actor=world.users["grid_a"],
            household=household,
            findings="楼道堆物",
            card={"hazards": "堆物"},
            case_category=category("safety-fire"),
            case_description=" ",
        )
    stored = Household.objects.get(pk=household.pk)
    assert not Visit.objects.exists() and not Case.objects.exists()
    assert stored.hazards == "" and stored.last_visited is None


# 走访计划 and who is due -------------------------------------------------------------------------


def due(user, on=None) -> set[str]:
    return {str(h) for h in visits.overdue_households(scope_for(user), on)}


def test_a_rule_makes_its_groups_households_due_after_n_days_or_when_never_visited(world):
    community, grid_a = world.users["community"], world.users["grid_a"]
    services.add_visit_rule(
        actor=community, area=world.areas["K1"], group=key_group("empty-nest-elderly"), every_days=7
    )
    elderly = world.households["A1b"]
    assert due(grid_a) == {str(elderly)}  # never visited
    grid_services.update_household_card(actor=SYSTEM, household=elderly, last_visited=TODAY() - datetime.timedelta(6))
    assert due(grid_a) == set()
    assert due(grid_a, TODAY() + datetime.timedelta(1)) == {str(elderly)}  # the seventh day
    assert due(world.users["grid_b"]) == set()  # not in grid B


def test_a_default_rule_covers_every_household_of_its_place_and_an_ended_rule_none(world):
    community = world.users["community"]
    rule = services.add_visit_rule(actor=community, area=world.areas["B"], group=None, every_days=30)
    assert due(community) == {str(world.households["B1"])}
    services.end_visit_rule(actor=community, rule=rule)
    assert due(community) == set()


def test_an_ended_tag_or_a_resident_who_left_does_not_make_a_household_due(world):
    community = world.users["community"]
    group = key_group("empty-nest-elderly")
    services.add_visit_rule(actor=community, area=world.areas["K1"], group=group, every_days=7)
    assert due(community) == {str(world.residents["A1b"].household)}
    tag = world.residents["A1b"].tags.get(group=group)
    tag.until = TODAY() - datetime.timedelta(1)
    tag.save()
    assert due(community) == set()
    tag.until = None
    tag.save()
    assert due(community) == {str(world.residents["A1b"].household)}
    Resident.objects.unscoped("test").filter(pk=world.residents["A1b"].pk).update(
        ended_on=TODAY(), end_reason="departed"
    )
    assert due(community) == set()


def test_household_tags_count_and_the_count_matches_the_list(world):
    community = world.users["community"]
    rented = HouseholdFactory(building=world.areas["A2"], occupancy="rented")
    grid_services.tag_household(
        actor=SYSTEM, household=rented, group=key_group("rented-housing"), since=datetime.date(2025, 1, 1)
    )
    services.add_visit_rule(actor=community, area=world.areas["A"], group=key_group("rented-housing"), every_days=90)
    assert due(world.users["grid_a"]) == {str(rented)}
    assert visits.overdue_count(scope_for(community))["count"] == 1


def test_only_the_communitys_staff_keep_its_rules_one_per_place_and_group(world):
    group = key_group("empty-nest-elderly")
    with pytest.raises(PermissionDenied):
        services.add_visit_rule(actor=world.users["grid_a"], area=world.areas["A"], group=group, every_days=7)
    with pytest.raises(PermissionDenied):
        services.add_visit_rule(actor=world.users["community"], area=world.areas["C"], group=group, every_days=7)
    services.add_visit_rule(actor=world.users["community"], area=world.areas["A"], group=group, every_days=7)
    with pytest.raises(ValidationError):
        services.add_visit_rule(actor=world.users["community"], area=world.areas["A"], group=group, every_days=14)
    with pytest.raises(ValidationError):
        services.add_visit_rule(actor=world.users["community"], area=world.areas["A1"], group=None, every_days=14)


def test_a_sensitive_groups_plan_is_shown_and_kept_only_by_those_who_may_see_the_group(world, client_for):
    sensitive = key_group("community-corrections")
    rule = services.add_visit_rule(
        actor=world.users["community"], area=world.areas["K1"], group=sensitive, every_days=7
    )
    listed = client_for(world.users["community"]).get(reverse("cases:visit_rule_list")).content.decode()
    assert sensitive.label in listed
    grid_worker = client_for(world.users["grid_a"])  # the plan is above their grid, the group hidden
    assert sensitive.label not in grid_worker.get(reverse("cases:visit_rule_list")).content.decode()
    assert grid_worker.get(reverse("cases:visit_rule", args=[rule.pk])).status_code == 404
    assert grid_worker.get(reverse("cases:visit_rule_history", args=[rule.pk])).status_code == 404
    street = world.users["street"]  # keeps the community's plans, may not see sensitive groups
    form = client_for(street).get(reverse("cases:visit_rule_create")).content.decode()
    assert sensitive.label not in form and key_group("empty-nest-elderly").label in form
    with pytest.raises(PermissionDenied):
        services.add_visit_rule(actor=street, area=world.areas["K2"], group=sensitive, every_days=7)


def test_a_plan_is_not_ended_on_a_day_to_come(world):
    rule = services.add_visit_rule(actor=world.users["community"], area=world.areas["A"], group=None, every_days=30)
    with pytest.raises(ValidationError) as refused:
        services.end_visit_rule(
            actor=world.users["community"], rule=rule, on=timezone.localdate() + datetime.timedelta(days=1)
        )
    assert "ended_on" in refused.value.message_dict
    rule.refresh_from_db()
    assert rule.ended_on is None
