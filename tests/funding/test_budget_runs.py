"""Budget runs on the persona world, with figures computed by hand.

K1 一社区: 党总支, 3,000 declared households, grid A's branch has a secretary in post.
K2 二社区: 党支部, 5,000 households, no grid branch; adds 2 staff at 36,000 and a venue of 250,000.01.
K3 三社区: no community party organisation, so it is left out with a warning.
"""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.scope import SYSTEM
from funding import services
from funding.models import BudgetLine, BudgetRun, MonthlySubsidy, NewUnitCost, PartyBuildingRate, RunStatus
from grids import services as grid_services
from orgs import services as org_services
from orgs.models import Post, Role
from tests.factories import AreaFactory, user_with_posts

D = Decimal


@pytest.fixture
def finance(world):
    org_services.appoint(
        actor=SYSTEM,
        post=Post(
            holder_name="网格A书记", role=Role.SECRETARY, organization=world.orgs["A"], start=datetime.date(2024, 1, 1)
        ),
    )
    NewUnitCost.objects.create(
        year=2026,
        community=world.areas["K2"],
        new_staff=2,
        new_staff_annual_salary=D("36000"),
        new_venue_cost=D("250000.01"),
    )
    return user_with_posts("finance", dict(role=Role.FINANCE_OFFICER, area=world.areas["district"]))


@pytest.fixture
def start(world, run_tasks_here):
    """Start a run from the page; the task it queues after commit runs here, as a worker would."""

    def post(client, year=2026, scope=None) -> BudgetRun:
        with run_tasks_here() as callbacks:
            response = client.post(
                reverse("funding:runs"), {"year": year, "scope": scope or f"area:{world.areas['district'].pk}"}
            )
        assert response.status_code == 302
        assert len(callbacks) == 1
        return BudgetRun.objects.latest("pk")

    return post


def _lines(run: BudgetRun) -> dict:
    return {
        (line.community.name, line.item): (line.amount, line.city, line.local)
        for line in BudgetLine.objects.filter(community__run=run).select_related("community")
    }


def test_a_district_run_by_hand(world, finance, start, client_for):
    run = start(client_for(finance))
    run.refresh_from_db()
    assert (run.status, run.progress) == (RunStatus.DONE, 100)
    lines = _lines(run)
    assert lines[("一社区", "party_building")] == (D("60000.00"), D("30000.00"), D("30000.00"))
    assert lines[("一社区", "service_fund")] == (D("170000.00"), D("102000.00"), D("68000.00"))
    assert lines[("一社区", "grid_leader_subsidy")] == (D("3600.00"), D("0.00"), D("3600.00"))
    assert lines[("二社区", "party_building")] == (D("40000.00"), D("20000.00"), D("20000.00"))
    assert lines[("二社区", "service_fund")] == (D("200000.00"), D("120000.00"), D("80000.00"))
    assert lines[("二社区", "grid_leader_subsidy")] == (D("0.00"), D("0.00"), D("0.00"))
    assert lines[("二社区", "new_staff_salaries")] == (D("72000.00"), D("36000.00"), D("36000.00"))
    assert lines[("二社区", "new_venue")] == (D("250000.01"), D("125000.01"), D("125000.00"))
    assert (run.amount, run.city, run.local) == (D("795600.01"), D("433000.01"), D("362600.00"))
    assert run.warnings == ["三社区未建立社区党组织,未纳入测算"]


def test_a_stored_run_never_changes_when_the_data_or_the_policy_does(world, finance, start, client_for):
    client = client_for(finance)
    first = start(client)
    before = _lines(first)
    grid_services.update_area(actor=SYSTEM, area=world.areas["K1"], name="一社区", declared_households=6000)
    PartyBuildingRate.objects.filter(org_kind="community_general_branch").update(annual_amount=D("70000"))
    assert _lines(first) == before
    second = start(client)
    assert _lines(second)[("一社区", "service_fund")][0] == D("200000.00")
    assert _lines(second)[("一社区", "party_building")][0] == D("70000.00")
    rows = client.get(reverse("funding:run_compare", args=[second.pk, first.pk])).context["rows"]
    changed = {(r["community"], r["item"]): r["change"] for r in rows if r["change"]}
    assert changed == {("一社区", "社区党建经费"): D("10000.00"), ("一社区", "为民服务和发展专项资金"): D("30000.00")}


def test_computing_a_run_twice_writes_nothing_more(world, finance, start, client_for):
    run = start(client_for(finance))
    count = BudgetLine.objects.filter(community__run=run).count()
    services.compute_budget_run(run.pk, actor=SYSTEM)
    assert BudgetLine.objects.filter(community__run=run).count() == count == 10


@pytest.mark.parametrize(
    ("persona", "status"), [("community", 404), ("street", 404), ("officer", 404), ("grid_a", 404)]
)
def test_only_the_finance_office_starts_a_run(world, finance, start, client_for, persona, status):
    response = client_for(world.users[persona]).post(
        reverse("funding:runs"), {"year": 2026, "scope": f"area:{world.areas['district'].pk}"}
    )
    assert response.status_code == status
    assert not BudgetRun.objects.exists()


def test_a_year_without_a_policy_is_refused_with_the_reason(world, finance, start, client_for):
    response = client_for(finance).post(
        reverse("funding:runs"), {"year": 2019, "scope": f"area:{world.areas['district'].pk}"}
    )
    assert response.status_code == 200
    assert "2019年没有适用的经费政策" in response.content.decode()


def test_community_staff_see_their_communitys_lines_only(world, finance, start, client_for):
    run = start(client_for(finance))
    response = client_for(world.users["community"]).get(reverse("funding:run", args=[run.pk]))
    assert [c.name for c in response.context["communities"]] == ["一社区"]
    assert response.context["totals"]["amount"] == D("233600.00")
    assert client_for(world.users["officer"]).get(reverse("funding:run", args=[run.pk])).status_code == 404


def test_excel_export_holds_the_visible_lines_and_totals(world, finance, start, client_for):
    run = start(client_for(finance))
    response = client_for(finance).get(reverse("funding:run_export", args=[run.pk]))
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("社区", "经费项目", "金额")
    assert len(rows) == 1 + 10 + 1
    assert rows[-1][0] == "合计"
    # Excel stores numbers as doubles; to the fen they are exact at these sizes.
    assert [D(str(v)).quantize(D("0.01")) for v in rows[-1][2:5]] == [D("795600.01"), D("433000.01"), D("362600.00")]


def test_print_page_and_status_endpoint(world, finance, start, client_for):
    client = client_for(finance)
    run = start(client)
    assert "795,600.01" in client.get(reverse("funding:run_print", args=[run.pk])).content.decode()
    assert client.get(reverse("funding:run_status", args=[run.pk])).json() == {"status": "done", "progress": 100}


def test_run_detail_query_count_is_pinned(world, finance, start, client_for, django_assert_num_queries):
    client = client_for(finance)
    run = start(client)
    with django_assert_num_queries(8):
        client.get(reverse("funding:run", args=[run.pk]))
    for n in range(4):
        # Under S1, where the street committee that is their parent sits.
        community = AreaFactory(kind="community", name=f"新社区{n}", parent=world.areas["S1"], declared_households=900)
        org_services.create_organization(
            actor=SYSTEM, kind="community_branch", name=f"新社区{n}党支部", area=community, parent=world.orgs["S1"]
        )
    bigger = start(client)
    assert bigger.communities.count() == 6
    with django_assert_num_queries(8):
        client.get(reverse("funding:run", args=[bigger.pk]))


def test_a_city_wide_run_costs_each_community_with_its_own_fiscal_class(world, finance, start, client_for):
    """The county's 四社区 (党支部, 800 households) is paid in full by the county."""
    root = org_services.create_organization(
        actor=SYSTEM, kind="street_committee", name="一镇党委", area=world.areas["T"]
    )
    org_services.create_organization(
        actor=SYSTEM, kind="community_branch", name="四社区党支部", area=world.areas["K4"], parent=root
    )
    org_services.appoint(
        actor=SYSTEM,
        post=Post(user=finance, role=Role.FINANCE_OFFICER, area=world.areas["county"], start=datetime.date(2024, 1, 1)),
    )
    client = client_for(finance)
    choices = dict(client.get(reverse("funding:runs")).context["form"].fields["scope"].choices)
    city = world.areas["district"].city
    assert f"city:{city.pk}" in choices
    run = start(client, scope=f"city:{city.pk}")
    run.refresh_from_db()
    lines = _lines(run)
    assert lines[("四社区", "party_building")] == (D("40000.00"), D("0.00"), D("40000.00"))
    assert lines[("四社区", "service_fund")] == (D("170000.00"), D("0.00"), D("170000.00"))
    assert lines[("一社区", "service_fund")] == (D("170000.00"), D("102000.00"), D("68000.00"))
    assert (run.amount, run.city, run.local) == (D("1005600.01"), D("433000.01"), D("572600.00"))
    assert run.scope_name == f"{city.name}(全市)"
    # Communities are listed district by district, not interleaved across the two trees.
    names = [c.name for c in client.get(reverse("funding:run", args=[run.pk])).context["communities"]]
    assert names == ["一社区", "二社区", "四社区"]


def test_the_city_is_offered_only_to_someone_covering_all_of_it(world, finance, client_for):
    choices = dict(client_for(finance).get(reverse("funding:runs")).context["form"].fields["scope"].choices)
    assert list(choices) == [f"area:{world.areas['district'].pk}"]


@pytest.mark.parametrize(
    "persona", ["grid_a", "grid_b", "community", "street", "officer", "sunk", "leader", "admin", None]
)
@pytest.mark.parametrize("url_name", ["funding:runs", "funding:pay", "funding:scenarios"])
def test_funding_list_pages_per_persona(world, client_for, persona, url_name):
    response = client_for(world.users[persona] if persona else None).get(reverse(url_name))
    if persona is None:
        assert response.status_code == 302
    else:
        assert response.status_code == (404 if persona == "officer" else 200)


@pytest.mark.parametrize("url_name", ["funding:run", "funding:run_print", "funding:run_export", "funding:run_status"])
def test_a_run_of_another_district_is_404(world, finance, start, client_for, url_name):
    run = start(client_for(finance))
    county_staff = user_with_posts("county_staff", dict(role=Role.COMMUNITY_STAFF, area=world.areas["K4"]))
    assert client_for(county_staff).get(reverse(url_name, args=[run.pk])).status_code == 404


def test_a_district_subsidy_set_above_zero_adds_its_line(world, finance, start, client_for):
    MonthlySubsidy.objects.filter(role="building_head").update(monthly_amount=D("50"))
    org_services.appoint(
        actor=SYSTEM,
        post=Post(
            holder_name="楼栋长甲", role=Role.BUILDING_HEAD, area=world.areas["A1"], start=datetime.date(2024, 1, 1)
        ),
    )
    run = start(client_for(finance))
    line = BudgetLine.objects.get(community__run=run, community__name="一社区", item="building_head_subsidy")
    assert (line.amount, line.city, line.local, line.assumption) == (D("600.00"), D("0.00"), D("600.00"), True)
    assert not BudgetLine.objects.filter(
        community__run=run, community__name="二社区", item="building_head_subsidy", amount__gt=0
    )
    assert not BudgetLine.objects.filter(community__run=run, item="branch_committee_subsidy").exists()


def test_the_run_page_narrows_to_one_community(world, finance, start, client_for):
    client = client_for(finance)
    run = start(client)
    response = client.get(reverse("funding:run", args=[run.pk]), {"community": world.areas["K2"].pk})
    assert [c.name for c in response.context["communities"]] == ["二社区"]
    assert response.context["totals"]["amount"] == D("562000.01")


def test_finance_staff_enter_new_unit_costs_and_a_second_entry_corrects_the_first(world, finance, client_for):
    client = client_for(finance)
    data = {
        "year": 2026,
        "community": world.areas["K1"].pk,
        "new_staff": 1,
        "new_staff_annual_salary": "30000",
        "new_venue_cost": "0",
    }
    assert client.post(reverse("funding:new_costs"), data).status_code == 302
    assert client.post(reverse("funding:new_costs"), {**data, "new_staff": 2}).status_code == 302
    assert list(NewUnitCost.objects.filter(community=world.areas["K1"]).values_list("new_staff", flat=True)) == [2]
    bad = client.post(reverse("funding:new_costs"), {**data, "new_staff": -1})
    assert bad.status_code == 200 and "new_staff" in bad.context["form"].errors


@pytest.mark.parametrize("persona", ["community", "street", "officer", "grid_a"])
def test_only_finance_staff_enter_new_unit_costs(world, client_for, persona):
    assert client_for(world.users[persona]).get(reverse("funding:new_costs")).status_code == 404


def test_a_run_whose_task_was_never_queued_is_computed_by_beats_pass(
    world, finance, client_for, django_capture_on_commit_callbacks
):
    """The broker down at the commit: the run is recorded pending, and beat's pass computes it once."""
    from funding.tasks import resume_pending_budget_runs

    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(finance).post(
            reverse("funding:runs"), {"year": 2026, "scope": f"area:{world.areas['district'].pk}"}
        )
    assert response.status_code == 302
    run = BudgetRun.objects.latest("pk")
    assert run.status == RunStatus.PENDING
    assert resume_pending_budget_runs() == 0  # just started: its own task may still be on the way
    later = timezone.now() + services.PENDING_AFTER + datetime.timedelta(seconds=1)
    assert services.resume_pending_runs(actor=SYSTEM, now=later) == 1
    assert services.resume_pending_runs(actor=SYSTEM, now=later) == 0
    run.refresh_from_db()
    assert (run.status, run.amount) == (RunStatus.DONE, D("795600.01"))  # the figures of the run from the page
