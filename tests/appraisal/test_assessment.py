"""A department's line in the annual assessment (seed 002: 将网格化工作纳入年度绩效考核体系), its
figures counted by hand from the cases 城管局 was sent in November 2026, the year's bounds in local
time, who may read it, its cost, and the two lines' workbooks.

Red cases respond in 2 hours and resolve in 1 working day: dispatched Monday 2026-11-02 10:00,
due to be signed by 12:00 and resolved by Tuesday 23:59:59.

    1  signed 11:00, resolved Tue, closed Tue, satisfied        on time
    2  signed 13:00, resolved Wed, closed Wed, basically satisfied   late
    3  never signed                                              overdue, open
    4  returned to the street 11:00 (no longer 城管局's)           returned
    5  signed 11:00, two more working days asked, not resolved    overdue, open, an extension
"""

import datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from appraisal import exports, selectors
from cases import services
from cases.models import Category
from core.models import AuditEntry
from core.scope import scope_for
from orgs.models import Department, Role
from tests.appraisal.test_yearly import year_of_grid_a  # noqa: F401 - the community line's year
from tests.factories import department, user_with_posts

TZ = ZoneInfo("Asia/Shanghai")
YEAR = 2026
RED = {"importance": "high", "urgency": "high"}


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TZ)


@pytest.fixture
def chengguan(world) -> Department:
    return Department.objects.get(name="城管局")


def _dispatched(world, chengguan, reported: datetime.datetime, dispatched: datetime.datetime | None = None):
    admin = world.users["admin"]
    dispatched = dispatched or reported + datetime.timedelta(hours=1)
    case = services.report_case(
        actor=world.users["grid_a"],
        category=Category.objects.get(code="urban-events-clutter"),
        area=world.areas["A1"],
        description="楼道堆放杂物",
        at=reported,
        **RED,
    )
    whistled = dispatched - datetime.timedelta(minutes=30)
    case = services.whistle_case(case=case, actor=admin, note="需部门处置", at=whistled)
    return services.dispatch_case(case=case, actor=admin, department=chengguan, at=dispatched)


def _close(world, case, day: int, hour: int, rating: str):
    case = services.verify_case(case=case, actor=world.users["grid_a"], passed=True, at=at(YEAR, 11, day, hour))
    return services.rate_case(case=case, rating=rating, at=at(YEAR, 11, day, hour + 1))


@pytest.fixture
def november(world, chengguan):
    officer = world.users["officer"]
    monday = at(YEAR, 11, 2, 9)
    made = [_dispatched(world, chengguan, monday) for _ in range(5)]
    services.sign_case(case=made[0], actor=officer, at=at(YEAR, 11, 2, 11))
    services.resolve_case(case=made[0], actor=officer, feedback="已清理", at=at(YEAR, 11, 3, 15))
    _close(world, made[0], 3, 16, "satisfied")

    services.sign_case(case=made[1], actor=officer, at=at(YEAR, 11, 2, 13))
    services.resolve_case(case=made[1], actor=officer, feedback="已清理", at=at(YEAR, 11, 4, 10))
    _close(world, made[1], 4, 11, "basic")

    services.return_case(case=made[3], actor=officer, reason="不属本部门职责", at=at(YEAR, 11, 2, 11))

    services.sign_case(case=made[4], actor=officer, at=at(YEAR, 11, 2, 11))
    services.request_extension(case=made[4], actor=officer, days=2, reason="需协调", at=at(YEAR, 11, 3, 9))
    return made


def _line(world, chengguan, who="officer", year=YEAR):
    return selectors.department_assessment(scope_for(world.users[who]), chengguan, year)


def _values(line) -> dict:
    return {f.key: f.value for f in line.figures}


HAND_COUNTED = {
    "assigned": 4,  # 1, 2, 3, 5: case 4 went back to the street
    "due": 4,
    "closed": 2,
    "on_time": 1,
    "on_time_rate": Decimal("0.2500"),  # 1 of the 4 due
    "closed_late": 1,
    "overdue_open": 2,  # 3 and 5
    "returned": 1,
    "extensions": 1,
    "rated": 2,
    "satisfaction": Decimal("0.9500"),  # (1 + 0.9 × 1) ÷ 2
}


def test_the_departments_figures_are_the_hand_counted_ones(world, chengguan, november):
    line = _line(world, chengguan)
    assert _values(line) == HAND_COUNTED
    assert line.figure("on_time_rate").shown == "25.0%"
    assert line.figure("satisfaction").shown == "95.0%"
    assert all(str(f.clause).startswith("种子文件") for f in line.figures)
    assert "限时办结" in str(line.figure("on_time").clause)


def test_every_reader_it_opens_to_reads_the_same_figures(world, chengguan, november):
    # The officer reads through the department (and its returned case through its own step), the
    # district and its leader through the place: the line is the same line.
    for who in ("district", "leader", "admin"):
        assert _values(_line(world, chengguan, who)) == HAND_COUNTED, who


def test_a_department_with_nothing_to_count_shows_dashes(world):
    minzheng = Department.objects.get(name="民政局")
    line = _line(world, minzheng, "officer_mz")
    assert line.figure("assigned").value == 0
    assert line.figure("on_time_rate").value is None and line.figure("on_time_rate").shown == "—"


def test_the_year_is_the_local_calendar_year_the_case_was_reported_in(world, chengguan, november):
    # 2025-12-31 23:30 in Beijing is 2025's; 2026-01-01 00:10 in Beijing is 2026's, though it is
    # still 2025-12-31 in UTC.
    _dispatched(world, chengguan, at(2025, 12, 31, 23, 30), at(2026, 1, 5, 10))
    _dispatched(world, chengguan, at(2026, 1, 1, 0, 10), at(2026, 1, 5, 10))
    assert _line(world, chengguan, year=2025).figure("assigned").value == 1
    assert _line(world, chengguan, year=YEAR).figure("assigned").value == HAND_COUNTED["assigned"] + 1
    assert _line(world, chengguan, year=2027).figure("assigned").value == 0


def test_the_page_shows_each_figure_with_its_clause(world, chengguan, november, client_for):
    url = reverse("appraisal:department_assessment", args=[chengguan.pk])
    page = client_for(world.users["officer"]).get(url, {"year": YEAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="figure-on_time_rate"><th>按期办结率</th><td>25.0%</td>' in html
    assert 'data-testid="figure-returned"><th>退回街道</th><td>1</td>' in html
    assert "街道吹哨、部门报到" in html


@pytest.mark.parametrize("who", ["community", "grid_a", "street", "officer_mz", "sunk"])
def test_who_has_no_say_in_the_departments_work_gets_404(world, chengguan, client_for, who):
    # 城管局 is a district department: a community's staff, a grid worker, the street (whose place
    # does not cover the district) and another department's staff have no say in it.
    client = client_for(world.users[who])
    assert client.get(reverse("appraisal:department_assessment", args=[chengguan.pk])).status_code == 404
    assert client.get(reverse("appraisal:department_assessment_export", args=[chengguan.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="appraisal.export_department_assessment").exists()


def test_another_districts_department_is_404_even_to_the_district(world, client_for):
    county = department("测试县民政局", world.areas["county"])
    for who in ("district", "leader", "officer"):
        response = client_for(world.users[who]).get(reverse("appraisal:department_assessment", args=[county.pk]))
        assert response.status_code == 404, who
    county_leader = user_with_posts("county_leader", dict(role=Role.LEADER, area=world.areas["county"]))
    response = client_for(county_leader).get(reverse("appraisal:department_assessment", args=[county.pk]))
    assert response.status_code == 200


def test_a_street_department_is_its_streets_to_read(world, client_for):
    section = department("一街道城管科", world.areas["S1"])
    response = client_for(world.users["street"]).get(reverse("appraisal:department_assessment", args=[section.pk]))
    assert response.status_code == 200
    s2 = user_with_posts("s2_dispatcher", dict(role=Role.STREET_STAFF, area=world.areas["S2"]))
    assert client_for(s2).get(reverse("appraisal:department_assessment", args=[section.pk])).status_code == 404


def _queries(client, url) -> int:
    client.get(url)  # per-process caches filled once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["officer", "district"])
def test_the_line_costs_the_same_with_more_cases(world, chengguan, november, client_for, who):
    client = client_for(world.users[who])
    url = reverse("appraisal:department_assessment", args=[chengguan.pk]) + f"?year={YEAR}"
    before = _queries(client, url)
    for _ in range(6):
        case = _dispatched(world, chengguan, at(YEAR, 11, 9, 9))
        services.return_case(case=case, actor=world.users["officer"], reason="不属本部门", at=at(YEAR, 11, 9, 11))
        _dispatched(world, chengguan, at(YEAR, 11, 9, 9))
    assert _line(world, chengguan, who).figure("returned").value == 7
    assert _queries(client, url) == before


def _sheet(response):
    assert response["Content-Type"] == exports.XLSX
    book = load_workbook(BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    return rows, {row[0]: row[1:] for row in rows[5:]}


def test_the_departments_workbook_carries_the_same_figures_and_is_audited(world, chengguan, november, client_for):
    url = reverse("appraisal:department_assessment_export", args=[chengguan.pk])
    response = client_for(world.users["district"]).get(url, {"year": YEAR})
    assert response.status_code == 200
    assert f"assessment-department-{chengguan.pk}-{YEAR}.xlsx" in response["Content-Disposition"]
    rows, figures = _sheet(response)
    assert rows[0][0] == f"城管局 {YEAR}年度绩效考核·部门报到"
    line = _line(world, chengguan)
    for f in line.figures:
        value, clause = figures[str(f.label)]
        assert value == (float(f.value) if f.rate else f.value), f.key
        assert clause == str(f.clause)
    [entry] = AuditEntry.objects.filter(action="appraisal.export_department_assessment")
    assert (entry.actor, entry.capacity) == (world.users["district"], Role.DISTRICT_STAFF)
    assert (entry.target_type, entry.target_id) == (ContentType.objects.get_for_model(Department), str(chengguan.pk))
    assert entry.fields == sorted(exports.COLUMNS)


def test_the_communitys_workbook_carries_its_line(world, year_of_grid_a, client_for):  # noqa: F811
    community = world.areas["K1"]
    line = selectors.assessment(scope_for(world.users["community"]), community, datetime.date.today().year)
    response = client_for(world.users["community"]).get(reverse("appraisal:assessment_export", args=[community.pk]))
    assert response.status_code == 200
    _rows, figures = _sheet(response)
    assert figures["网格员人数"][0] == line.workers == 2
    assert figures["平均分"][0] == float(line.average)
    for label, shown in line.sums:
        assert figures[str(label)][0] == shown
    assert figures["上报事件"][0] == "3"
    assert all(clause == line.clause for _value, clause in figures.values())
    [entry] = AuditEntry.objects.filter(action="appraisal.export_community_assessment")
    assert (entry.actor, entry.capacity) == (world.users["community"], Role.COMMUNITY_STAFF)
    assert (
        client_for(world.users["grid_a"]).get(reverse("appraisal:assessment_export", args=[community.pk])).status_code
        == 404
    )


def test_the_ranking_and_the_officers_workbench_link_to_the_line(world, chengguan, client_for):
    url = reverse("appraisal:department_assessment", args=[chengguan.pk])
    ranking = client_for(world.users["district"]).get(reverse("appraisal:ranking")).content.decode()
    assert url in ranking
    home = client_for(world.users["officer"]).get(reverse("home")).content.decode()
    assert url in home
    # The street reads no district department: its ranking names none.
    street = client_for(world.users["street"]).get(reverse("appraisal:ranking")).content.decode()
    assert url not in street
