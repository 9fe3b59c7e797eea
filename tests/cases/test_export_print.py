"""The Excel export holds exactly the filtered list (within scope, in its order, the filter stated)
and is audited; the printable 办理单 carries the case and its timeline with each actor's capacity."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases import services
from core.models import AuditEntry
from tests.cases.conftest import RED, at


@pytest.fixture
def listed(world, report):
    u = world.users
    made = [report(description=f"楼道杂物{i}", at=at(2026, 11, 20 + i, 9)) for i in range(4)]
    made.append(report(description="<b>井盖</b>", at=at(2026, 11, 2, 9), **RED))
    services.whistle_case(case=made[1], actor=u["community"], note="执法")
    report(building="C1", by="admin", description="楼道杂物在别的街道")  # outside the community's scope
    return made


def _list_numbers(html: str) -> list[str]:
    rows = html.split('data-testid="cases"')[1].split("</table>")[0]
    return [part.split("<")[0] for part in rows.split('/">')[1:]]


def _sheet(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    "query", [{}, {"q": "楼道"}, {"colour": "blue", "sort": "due"}, {"status": "whistled"}, {"q": "<b>"}]
)
def test_the_export_matches_the_list(world, listed, client_for, query):
    client = client_for(world.users["community"])
    shown = _list_numbers(client.get(reverse("cases:list"), query).content.decode())
    response = client.get(reverse("cases:export"), query)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(response)
    header = rows.index(next(r for r in rows if r and r[0] == "编号"))
    assert [r[0] for r in rows[header + 1 :]] == shown
    stated = rows[1][1]
    for value in query.values():
        if value not in ("blue", "due", "whistled"):
            assert value in stated
    assert ("蓝色" in stated) == ("colour" in query)


@pytest.mark.parametrize("query", [{}, {"sort": "due"}, {"q": "楼道"}])
def test_a_queue_exports_in_the_queues_own_order(world, listed, client_for, query):
    """待受理 runs oldest report first, unlike the whole list; its export keeps that order."""
    client = client_for(world.users["community"])
    shown = _list_numbers(client.get(reverse("cases:queue", args=["triage"]), query).content.decode())
    rows = _sheet(client.get(reverse("cases:export"), {"queue": "triage", **query}))
    header = rows.index(next(r for r in rows if r and r[0] == "编号"))
    assert [r[0] for r in rows[header + 1 :]] == shown and len(shown) == (3 if "q" in query else 4)
    if not query:
        assert shown[0] == listed[4].number  # the oldest report leads


def test_a_queue_exports_its_own_cases_and_every_export_is_audited(world, listed, client_for):
    client = client_for(world.users["community"])
    rows = _sheet(client.get(reverse("cases:export"), {"queue": "triage"}))
    assert rows[0][0] == "待受理"
    numbers = [r[0] for r in rows[5:]]
    assert listed[1].number not in numbers and listed[0].number in numbers
    assert client.get(reverse("cases:export"), {"queue": "nope"}).status_code == 404
    entry = AuditEntry.objects.filter(action="cases.export_list").latest("pk")
    assert entry.capacity == "community_staff" and "description" in entry.fields


def test_the_print_sheet_has_the_timeline_and_escapes_what_was_typed(world, listed, client_for):
    case = listed[4]
    html = client_for(world.users["community"]).get(reverse("cases:print", args=[case.pk])).content.decode()
    assert case.number in html and "@media print" in html
    assert "&lt;b&gt;井盖&lt;/b&gt;" in html and "<b>井盖</b>" not in html
    assert "专职网格员 · 网格A" in html.split('data-testid="timeline"')[1]
    assert client_for(world.users["officer_mz"]).get(reverse("cases:print", args=[case.pk])).status_code == 404
