"""The workbook to fill in: the residents sheet with its headings and one sample row, the notes,
and the buildings the user may import into (their codes are what the first column wants)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.capabilities import Capability
from core.scope import Scope
from grids.imports.columns import COLUMNS, HEADINGS
from grids.imports.reader import EMPTY_RUN, MAX_ROWS
from grids.models import Area, AreaKind

MAX_LISTED = 5000


def template_workbook(scope: Scope) -> bytes:
    buildings = [
        building
        for building in Area.objects.within(scope).filter(kind=AreaKind.BUILDING).select_related("parent")[:MAX_LISTED]
        if scope.capacity(Capability.EDIT_PEOPLE, at=building) is not None
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "居民"
    sheet.append(HEADINGS)
    sample = {column.key: column.sample for column in COLUMNS}
    sample["building"] = buildings[0].code if buildings else "(楼栋编码)"
    sheet.append([sample[column.key] for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=index).font = Font(bold=True)
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 22 if column.key == "citizen_id" else 14
        if column.key in ("citizen_id", "phone", "building", "room", "unit"):
            # Text, so Excel neither rounds an 18-digit number nor drops a leading zero.
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    notes = workbook.create_sheet("说明")
    notes.append(["列", "必填", "说明"])
    for column in COLUMNS:
        notes.append([column.heading, "是" if column.required else "否", column.note])
    notes.append([])
    for line in (
        _("第2行是示例,导入前请删除或改为真实数据。"),
        _("每行一位居民;同一住户(楼栋、单元、房号相同)的各行楼层和居住状态须一致。"),
        _("身份证号已登记的居民会按本表更新姓名、手机号、居住类型和与户主关系;迁入迁出请在住户页面办理。"),
        _("先试导入查看每行结果,再正式导入;最多%(rows)d行,连续%(empty)d个空行视为表格结束。")
        % {"rows": MAX_ROWS, "empty": EMPTY_RUN},
    ):
        notes.append([line])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    listed = workbook.create_sheet("楼栋")
    listed.append(["楼栋编码", "楼栋", "所属"])
    for building in buildings:
        listed.append([building.code, building.name, building.parent.name if building.parent else ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
