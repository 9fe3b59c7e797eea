"""The yearly evaluation (seed 003): each figure from the platform's records, each weight moving
the score as computed by hand, the ranking per community and street, the records behind every
figure listed on the worker's page, and each role reading only its own workers."""

from decimal import Decimal
from unittest import mock

import pytest
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from appraisal import measures, selectors, services
from appraisal.models import SchemeMeasure, Via
from cases import services as case_services
from cases.models import CaseEvent, Category
from cases.models.case import Action
from core.scope import SYSTEM, scope_for
from hall import services as hall_services
from hall.models import ServiceItem
from orgs.models import Role
from tests.appraisal.conftest import TODAY, all_say
from tests.factories import user_with_posts

YEAR = TODAY().year


def _report(world, code: str):
    return case_services.report_case(
        actor=world.users["grid_a"],
        category=Category.objects.get(code=code),
        area=world.areas["A1"],
        description="巡查发现",
    )


@pytest.fixture
def year_of_grid_a(world, evaluation_round):
    """Grid worker A's year: three cases (one 涉稳, one 安全隐患), one fix verified, two visits of
    the three the plan asks, and one household's 满意 in the round."""
    cases = [_report(world, c) for c in ("urban-events-clutter", "stability-petition", "safety-fire")]
    CaseEvent.objects.create(
        case=cases[0],
        action=Action.VERIFY_PASS,
        actor=world.users["grid_a"],
        actor_role="grid_worker",
        to_status="closed",
    )
    # Every household of K1 at least every 366 days: each of grid A's three is asked one visit.
    case_services.add_visit_rule(actor=SYSTEM, area=world.areas["K1"], group=None, every_days=366)
    for household in ("A1", "A2"):
        case_services.record_visit(actor=world.users["grid_a"], household=world.households[household], findings="正常")
    services.cast_ballot(
        round=evaluation_round, household=world.households["A1"], via=Via.LINK, ratings=all_say(evaluation_round)
    )
    return cases


def _row(world, persona="community", worker="grid_a"):
    _scheme, rows = selectors.yearly(scope_for(world.users[persona]), YEAR)
    return next(r for r in rows if r.worker.user_id == world.users[worker].pk)


# By hand, under the seeded scheme (weight, full at): cases 3 of 24 × 20 = 2.50; verified 1 of 12
# × 10 = 0.83; visits 2 of 3 asked (0.6667) × 20 = 13.33; services 0; residents 100 % × 20 = 20;
# stability 1 of 4 × 10 = 2.50; hazards 1 of 12 × 10 = 0.83.
POINTS = {
    "cases_reported": "2.50",
    "cases_verified": "0.83",
    "visits": "13.33",
    "services": "0.00",
    "residents": "20.00",
    "stability": "2.50",
    "hazards": "0.83",
}
# The same with that measure's weight 10 higher.
HEAVIER = {
    "cases_reported": "3.75",
    "cases_verified": "1.67",
    "visits": "20.00",
    "residents": "30.00",
    "stability": "5.00",
    "hazards": "1.67",
}


def test_each_figure_is_its_records_and_points_as_by_hand(world, year_of_grid_a):
    row = _row(world)
    assert {f.measure.code: str(f.points) for f in row.figures} == POINTS
    assert row.total == Decimal("39.99")
    assert selectors.grade(selectors.scheme_for(YEAR), row.total) == "不合格"


@pytest.mark.parametrize("code", sorted(HEAVIER))
def test_each_weight_changed_moves_the_score_as_by_hand(world, year_of_grid_a, code):
    SchemeMeasure.objects.filter(measure=code).update(
        weight=Decimal(10) + SchemeMeasure.objects.get(measure=code).weight
    )
    row = _row(world)
    moved = Decimal(HEAVIER[code]) - Decimal(POINTS[code])
    assert row.total == Decimal("39.99") + moved
    assert moved > 0


def test_the_full_figure_caps_the_points_at_the_weight(world, year_of_grid_a):
    SchemeMeasure.objects.filter(measure="cases_reported").update(full_at=2)  # 3 reported
    assert next(f for f in _row(world).figures if f.measure.code == "cases_reported").points == Decimal("20.00")


def test_services_count_the_hall_requests_each_person_handled_in_the_year(world):
    staff = world.users["community"]
    item = ServiceItem.objects.order_by("pk").first()
    done = hall_services.receive_request(actor=staff, item=item, community=world.areas["K1"], applicant_name="甲")
    hall_services.complete_request(actor=staff, request=done)  # 一站办结: handled by who ended it
    hall_services.receive_request(actor=staff, item=item, community=world.areas["K1"], applicant_name="乙")  # open
    asked = [staff.pk, world.users["grid_a"].pk]
    found = measures.REGISTRY["services"].compute(asked, timezone.localdate().year)
    value, records = found[staff.pk]
    assert value == 1 and list(records) == [done]
    assert measures.REGISTRY["services"].link(records[0])[1] == reverse("hall:request", args=[done.pk])
    assert found[world.users["grid_a"].pk][0] == 0
    assert measures.REGISTRY["services"].compute([staff.pk], timezone.localdate().year - 1)[staff.pk][0] == 0


def test_refused_cases_are_not_counted(world, year_of_grid_a):
    case = year_of_grid_a[0]
    case.status = "rejected"
    case.save(update_fields=["status"])
    assert next(f for f in _row(world).figures if f.measure.code == "cases_reported").value == 2


def test_the_ranking_orders_by_total_per_community_and_street(world, year_of_grid_a, client_for):
    _scheme, rows = selectors.yearly(scope_for(world.users["street"]), YEAR)
    assert [r.worker.user_id for r in rows] == [world.users["grid_a"].pk, world.users["grid_b"].pk]
    assert [(r.rank_in_community, r.rank_in_street) for r in rows] == [(1, 1), (2, 2)]
    page = client_for(world.users["leader"]).get(reverse("appraisal:ranking")).content.decode()
    assert page.index(f"rank-{world.users['grid_a'].pk}") < page.index(f"rank-{world.users['grid_b'].pk}")


def test_equal_totals_share_a_rank(world):
    _scheme, rows = selectors.yearly(scope_for(world.users["community"]), YEAR)
    assert [r.rank_in_community for r in rows] == [1, 1]


def test_the_workers_page_lists_the_records_behind_each_figure(world, year_of_grid_a, client_for):
    page = client_for(world.users["grid_a"]).get(reverse("appraisal:worker", args=[world.users["grid_a"].pk]))
    html = page.content.decode()
    for case in year_of_grid_a:
        assert reverse("cases:detail", args=[case.pk]) in html
    assert reverse("grids:household", args=[world.households["A2"].pk]) in html
    assert "39.99" in html


def test_a_grid_worker_reads_only_their_own_year(world, year_of_grid_a, client_for):
    client = client_for(world.users["grid_a"])
    assert client.get(reverse("appraisal:worker", args=[world.users["grid_b"].pk])).status_code == 404
    _scheme, rows = selectors.yearly(scope_for(world.users["grid_a"]), YEAR)
    assert [r.worker.user_id for r in rows] == [world.users["grid_a"].pk]


def test_outside_the_scope_a_worker_is_404(world, client_for):
    # Street S2 has no grid worker of K1.

    s2 = user_with_posts("s2_staff", dict(role=Role.STREET_STAFF, area=world.areas["S2"]))
    response = client_for(s2).get(reverse("appraisal:worker", args=[world.users["grid_a"].pk]))
    assert response.status_code == 404


def test_the_communitys_assessment_has_a_line_for_grid_work(world, year_of_grid_a, client_for):
    line = selectors.assessment(scope_for(world.users["community"]), world.areas["K1"], YEAR)
    assert line.workers == 2
    assert line.average == Decimal("20.00")  # (39.99 + 0.00) ÷ 2, to the fen
    assert ("上报事件", "3") in [(str(a), b) for a, b in line.sums]
    page = client_for(world.users["community"]).get(reverse("appraisal:assessment", args=[world.areas["K1"].pk]))
    assert 'data-testid="grid-work"' in page.content.decode()


def test_the_ranking_builds_no_querysets_per_worker(world, year_of_grid_a):
    """The ranking lists no records, so more workers must not mean more querysets built in Python
    (cloning one per worker and measure was most of a street's ranking time)."""
    scope = scope_for(world.users["community"])

    def querysets_built() -> tuple[int, int]:
        with mock.patch.object(QuerySet, "_chain", autospec=True, side_effect=QuerySet._chain) as chain:
            _scheme, rows = selectors.yearly(scope, YEAR)
        return len(rows), chain.call_count

    workers, before = querysets_built()
    for n in range(3):
        user_with_posts(f"grid_extra_{n}", dict(role=Role.GRID_WORKER, area=world.areas["A"]))
    assert querysets_built() == (workers + 3, before)
