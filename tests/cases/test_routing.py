"""Routing rules: the rule narrowest in both category and area wins; incomparable matches are a tie."""

from cases.models import RoutingRule
from cases.selectors import routing_ties, suggest_department
from tests.cases.conftest import category
from tests.factories import department


def rule(code, area, dept):
    return RoutingRule.objects.create(category=category(code), area=area, department=dept)


def test_the_most_specific_rule_wins(world, report, depts):
    a = world.areas
    street_office = department("一街道城管科", a["S1"])
    rule("urban", a["district"], depts["城管局"])
    rule("urban-events", a["S1"], street_office)
    case = report(code="urban-events-clutter")
    suggestion = suggest_department(case)
    assert (suggestion.department, suggestion.ties) == (street_office, ())
    # A case in another street falls back to the district rule.
    assert suggest_department(report(building="D1", by="admin")).department == depts["城管局"]


def test_incomparable_matches_are_a_tie_and_suggest_nothing(world, report, depts):
    a = world.areas
    narrow_category = rule("urban-events", a["district"], depts["城管局"])
    narrow_area = rule("urban", a["K1"], depts["民政局"])
    suggestion = suggest_department(report(code="urban-events-clutter"))
    assert suggestion.department is None
    assert set(suggestion.ties) == {narrow_category, narrow_area}
    assert routing_ties() == [(narrow_category, narrow_area)]
    # A rule exactly where the two overlap settles it.
    settled = rule("urban-events", a["K1"], depts["城管局"])
    assert routing_ties() == []
    assert suggest_department(report(code="urban-events-clutter")).rule == settled


def test_without_a_rule_the_categorys_default_department_is_suggested(world, report, depts):
    parent = category("livelihood")
    parent.default_department = depts["民政局"]
    parent.save()
    assert suggest_department(report(code="livelihood-elderly")).department == depts["民政局"]
    assert suggest_department(report(code="urban-events-clutter")).department is None


def test_admin_lists_ties_as_configuration_errors(world, client_for, depts):
    from django.urls import reverse

    a = world.areas
    rule("urban-events", a["district"], depts["城管局"])
    rule("urban", a["K1"], depts["民政局"])
    page = client_for(world.users["admin"]).get(reverse("admin:cases_routingrule_changelist")).content.decode()
    assert "分拨规则冲突" in page and "事件" in page and "一社区" in page
