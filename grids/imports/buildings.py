"""Buildings (楼栋) from a workbook: one row a building, found by its community, grid and name.
A new name is created under its grid (grids.services.create_area, numbered after the grid's last
building); a name already there is updated (update_area) or left unchanged. Only community staff
keep buildings, in their own community (the services say so, row by row)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.capabilities import Capability
from core.scope import Scope
from grids import services
from grids.imports.columns import Column
from grids.imports.rowwise import Refused, RowByRow, parse_int
from grids.models import Area, AreaKind

COLUMNS = [
    Column("community", "社区", True, "一社区", "社区名称,见“网格”表"),
    Column("grid", "网格", True, "网格A", "该社区内的网格名称,见“网格”表"),
    Column("name", "楼栋名称", True, "3号楼", "同一网格内不重名;已有的楼栋按本表更新地址、单元数和层数"),
    Column("address", "地址", False, "幸福路3号", "不超过200字"),
    Column("units", "单元数", False, "2", "1到99的整数,可留空"),
    Column("floors", "层数", False, "6", "1到200的整数,可留空"),
]
BUILDING_DIGITS = 3


def _grids(scope: Scope):
    """The grids this user may keep buildings in, with their community's name."""
    found = Area.objects.within(scope).filter(kind=AreaKind.GRID).select_related("parent").order_by("code")
    return [grid for grid in found if scope.capacity(Capability.KEEP_GRIDS, at=grid) is not None]


class BuildingImport(RowByRow):
    columns = COLUMNS
    fields = {"name": "name", "address": "address", "units": "units", "floors": "floors", "code": "name"}
    place_key = "grid"
    max_length = {"name": 100, "address": 200}

    def __init__(self, *, actor, scope):
        super().__init__(actor=actor, scope=scope)
        self.grids = {(grid.parent.name if grid.parent else "", grid.name): grid for grid in _grids(scope)}
        self.seen: dict[tuple[int, str], int] = {}

    def _grid(self, cells) -> Area:
        grid = self.grids.get((cells["community"], cells["grid"]))
        if grid is not None:
            return grid
        elsewhere = (
            Area.objects.unscoped("a grid outside the importer's community is refused as such, and nothing of it shown")
            .filter(kind=AreaKind.GRID, name=cells["grid"], parent__name=cells["community"])
            .exists()
        )
        raise Refused("grid", _("该网格不在您的社区内") if elsewhere else _("社区下没有这个网格"))

    def row(self, number: int, cells: dict[str, str]) -> str:
        grid = self._grid(cells)
        units = parse_int("units", cells["units"], 1, 99)
        floors = parse_int("floors", cells["floors"], 1, 200)
        key = (grid.pk, cells["name"])
        if key in self.seen:
            raise Refused("name", _("与第%(n)d行是同一网格的同名楼栋") % {"n": self.seen[key]})
        self.seen[key] = number
        same = list(Area.objects.within(self.scope).filter(parent=grid, kind=AreaKind.BUILDING, name=cells["name"]))
        if len(same) > 1:
            raise Refused("name", _("该网格已有多个同名楼栋,请在楼栋页面维护"))
        if same:
            building = same[0]
            wanted = {
                "address": cells["address"],
                "units": units if units is not None else building.units,
                "floors": floors if floors is not None else building.floors,
            }
            if all(getattr(building, name) == value for name, value in wanted.items()):
                return "unchanged"
            services.update_area(
                actor=self.actor,
                area=building,
                name=building.name,
                address=cells["address"],
                units=units,
                floors=floors,
            )
            return "updated"
        services.create_area(
            actor=self.actor,
            kind=AreaKind.BUILDING,
            name=cells["name"],
            code=self._next_code(grid),
            parent=grid,
            address=cells["address"],
            units=units,
            floors=floors,
        )
        return "created"

    def _next_code(self, grid: Area) -> str:
        """The grid's code and the next free three-digit number after its children's."""
        width = len(grid.code) + BUILDING_DIGITS
        taken = (
            Area.objects.unscoped("codes are unique across every tree; the next free one is computed from all")
            .filter(code__startswith=grid.code)
            .values_list("code", flat=True)
        )
        numbers = [
            int(code[len(grid.code) :]) for code in taken if len(code) == width and code[len(grid.code) :].isdigit()
        ]
        following = max(numbers, default=0) + 1
        if following >= 10**BUILDING_DIGITS:
            raise Refused("name", _("该网格的楼栋编号已用完"))
        return grid.code + str(following).zfill(BUILDING_DIGITS)


def template_workbook(scope: Scope) -> bytes:
    grids = _grids(scope)[:5000]
    sample = {column.key: column.sample for column in COLUMNS}
    if grids:
        sample["community"], sample["grid"] = (grids[0].parent.name if grids[0].parent else ""), grids[0].name
    listed = [["社区", "网格", "网格编码"], *([g.parent.name if g.parent else "", g.name, g.code] for g in grids)]
    notes = [
        _("第2行是示例,导入前请删除或改为真实数据。"),
        _("每行一栋楼;同一网格内已有同名楼栋的,按本表更新地址、单元数和层数。"),
        _("先试导入查看每行结果,再正式导入。"),
    ]
    return simple_workbook("楼栋", COLUMNS, sample, notes, {"网格": listed})


def simple_workbook(title: str, columns: list[Column], sample: dict, notes: list, listed: dict[str, list]) -> bytes:
    """A sheet with the columns' headings (bold, as text so Excel keeps what is typed) and a sample
    row, the notes on each column, and sheets listing what the columns may name."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append([column.heading for column in columns])
    sheet.append([sample[column.key] for column in columns])
    for index, _column in enumerate(columns, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 16
        for row in range(2, 1002):
            sheet.cell(row=row, column=index).number_format = "@"
    explained = workbook.create_sheet("说明")
    explained.append(["列", "必填", "说明"])
    for column in columns:
        explained.append([column.heading, "是" if column.required else "否", column.note])
    explained.append([])
    for line in notes:
        explained.append([line])
    for cell in explained[1]:
        cell.font = Font(bold=True)
    for name, rows in listed.items():
        extra = workbook.create_sheet(name)
        for row in rows:
            extra.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
