"""The buildings import, and what every kind shares: a hand-made workbook of good rows and bad
rows, each bad in its own way, gives exactly those outcomes in the dry run and the real run, and
a refused row writes nothing. (Posts and party members: tests/orgs/test_imports.py.)"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry
from grids.imports.buildings import COLUMNS
from grids.models import Area, AreaKind
from tests.grids.workbooks import apply_kind, import_kind, outcomes, reasons, xlsx

HEADINGS = [column.heading for column in COLUMNS]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


ROWS = [
    ["一社区", "网格A", "新楼一", "幸福路1号", 2, 6],  # 2 created
    ["一社区", "网格B", "新楼二", "", "", ""],  # 3 created
    ["一社区", "网格A", "A1楼", "和平路8号", 3, 18],  # 4 updated
    ["一社区", "网格A", "A2楼", "", "", ""],  # 5 unchanged
    ["一社区", "网格Z", "无网格楼", "", "", ""],  # 6
    ["二社区", "网格C", "别社区楼", "", "", ""],  # 7: a grid of K2
    ["一社区", "网格A", "新楼一", "", "", ""],  # 8: the same as row 2
    ["一社区", "网格A", "单元错楼", "", "两", 6],  # 9
    ["一社区", "网格A", "层数错楼", "", 1, 500],  # 10
    ["一社区", "网格A", "", "无名路", 1, 1],  # 11
]
EXPECTED = {2: "created", 3: "created", 4: "updated", 5: "unchanged", **{n: "refused" for n in range(6, 12)}}
REASONS = {
    6: "网格:社区下没有这个网格",
    7: "网格:该网格不在您的社区内",
    8: "楼栋名称:与第2行是同一网格的同名楼栋",
    9: "单元数:应为1到99之间的整数",
    10: "层数:应为1到200之间的整数",
    11: "楼栋名称:不能为空",
}
REFUSED_NAMES = ["无网格楼", "别社区楼", "单元错楼", "层数错楼"]


def _buildings():
    return Area.objects.filter(kind=AreaKind.BUILDING).count()


def test_the_dry_run_gives_each_building_its_outcome_and_writes_nothing(world, client_for, run_tasks_here):
    before = _buildings()
    client = client_for(world.users["community"])
    response, run = import_kind(client, "buildings", xlsx(ROWS, headings=HEADINGS), run_tasks_here)
    assert response.status_code == 302 and response.url == reverse("grids:kind_import_run", args=["buildings", run.pk])
    assert run.status == "done" and not run.applied
    assert outcomes(run) == EXPECTED and reasons(run) == REASONS
    assert _buildings() == before
    world.areas["A1"].refresh_from_db()
    assert (world.areas["A1"].address, world.areas["A1"].units) == ("", None)
    page = client.get(reverse("grids:kind_import_run", args=["buildings", run.pk])).content.decode()
    assert REASONS[7] in page and 'data-count="refused">6<' in page


def test_the_real_run_creates_and_updates_through_the_services(world, client_for, run_tasks_here):
    before = _buildings()
    client = client_for(world.users["community"])
    _response, run = import_kind(client, "buildings", xlsx(ROWS, headings=HEADINGS), run_tasks_here)
    real = apply_kind(client, run, run_tasks_here)
    assert real.applied and outcomes(real) == EXPECTED
    assert _buildings() == before + 2
    made = Area.objects.get(name="新楼一")
    grid = world.areas["A"]
    assert (made.parent_id, made.address, made.units, made.floors) == (grid.pk, "幸福路1号", 2, 6)
    assert made.code == grid.code + "001"
    assert Area.objects.get(name="新楼二").code == world.areas["B"].code + "001"
    world.areas["A1"].refresh_from_db()
    assert (world.areas["A1"].address, world.areas["A1"].units, world.areas["A1"].floors) == ("和平路8号", 3, 18)
    assert not Area.objects.filter(name__in=REFUSED_NAMES).exists()  # a refused row writes nothing
    assert AuditEntry.objects.filter(action="grids.create_area", target_id=str(made.pk)).exists()
    entry = AuditEntry.objects.get(action="grids.import_buildings")
    assert entry.target_id == str(real.pk) and entry.capacity == "community_staff"


def test_all_or_nothing_creates_no_building(world, client_for, run_tasks_here):
    before = _buildings()
    client = client_for(world.users["community"])
    _response, run = import_kind(client, "buildings", xlsx(ROWS, headings=HEADINGS), run_tasks_here)
    real = apply_kind(client, run, run_tasks_here, all_or_nothing="on")
    assert not real.applied and real.refused == 6 and _buildings() == before


def test_the_refused_buildings_come_back_with_their_reasons(world, client_for, run_tasks_here):
    client = client_for(world.users["community"])
    _response, run = import_kind(client, "buildings", xlsx(ROWS, headings=HEADINGS), run_tasks_here)
    response = client.get(reverse("grids:kind_import_refused", args=["buildings", run.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]] == [*HEADINGS, "原行号", "拒绝原因"]
    assert [(r[-2], r[-1]) for r in sheet.iter_rows(min_row=2, values_only=True)] == sorted(REASONS.items())


def test_the_template_has_chinese_headings_a_sample_and_the_users_grids(world, client_for):
    response = client_for(world.users["community"]).get(reverse("grids:kind_import_template", args=["buildings"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["楼栋", "说明", "网格"]
    header, sample = list(workbook["楼栋"].iter_rows(max_row=2, values_only=True))
    assert list(header) == ["社区", "网格", "楼栋名称", "地址", "单元数", "层数"]
    assert sample[:2] == ("一社区", "网格A")
    assert [r[1] for r in workbook["网格"].iter_rows(min_row=2, values_only=True)] == ["网格A", "网格B"]


def test_only_who_keeps_buildings_may_import_them(world, client_for):
    for persona in ["grid_a", "street", "officer", "leader"]:
        client = client_for(world.users[persona])
        assert client.get(reverse("grids:kind_import_start", args=["buildings"])).status_code == 404, persona


def test_a_kind_nobody_declared_is_a_404(world, client_for):
    client = client_for(world.users["community"])
    assert client.get(reverse("grids:kind_import_start", args=["nonesuch"])).status_code == 404
    assert client.get(reverse("grids:kind_import_template", args=["nonesuch"])).status_code == 404


def test_a_run_of_one_kind_is_not_found_under_another(world, client_for, run_tasks_here):
    client = client_for(world.users["community"])
    _response, run = import_kind(client, "buildings", xlsx(ROWS[:1], headings=HEADINGS), run_tasks_here)
    assert client.get(reverse("grids:kind_import_run", args=["buildings", run.pk])).status_code == 200
    assert client.get(reverse("grids:import_run", args=[run.pk])).status_code == 404
    assert client.get(reverse("grids:kind_import_run", args=["posts", run.pk])).status_code == 404


def test_the_start_page_offers_the_kinds_the_user_may_import(world, client_for):
    page = client_for(world.users["community"]).get(reverse("grids:import_start")).content.decode()
    for kind in ["residents", "buildings", "posts", "members"]:
        assert reverse("grids:kind_import_start", args=[kind]) in page, kind
    page = client_for(world.users["grid_a"]).get(reverse("grids:import_start")).content.decode()
    assert reverse("grids:kind_import_start", args=["buildings"]) not in page


def test_a_residents_workbook_is_not_a_buildings_one(world, client_for, run_tasks_here):
    from grids.imports.columns import HEADINGS as RESIDENT_HEADINGS

    client = client_for(world.users["community"])
    response, run = import_kind(client, "buildings", xlsx([], headings=RESIDENT_HEADINGS), run_tasks_here)
    assert response.status_code == 400 and run is None
    assert "工作表缺少以下列:社区、网格、楼栋名称、地址、单元数、层数" in response.content.decode()


def test_a_code_taken_between_the_check_and_the_write_refuses_that_row_only(
    world, client_for, run_tasks_here, monkeypatch
):
    """Another import (or a page) in the same grid took the code this row was given: the row is
    refused with the reason and the rest of the run goes on. (Taken before the row's check, the
    service's own check names it; taken between check and write, the import's IntegrityError
    branch does, which only two writers at once reach.)"""
    from grids.imports import buildings

    taken = world.areas["A1"].code
    given = iter([taken])
    real = buildings.BuildingImport._next_code
    monkeypatch.setattr(
        buildings.BuildingImport, "_next_code", lambda self, grid: next(given, None) or real(self, grid)
    )
    rows = [["一社区", "网格A", "撞码楼", "", "", ""], ["一社区", "网格A", "后来楼", "", "", ""]]
    client = client_for(world.users["community"])
    _response, run = import_kind(client, "buildings", xlsx(rows, headings=HEADINGS), run_tasks_here)
    assert outcomes(run) == {2: "refused", 3: "created"}
    assert reasons(run) == {2: "楼栋名称:具有 编码 的 区域 已存在。"}
