"""Workbooks for the import tests, made the way a user's Excel would make them."""

import io

from openpyxl import Workbook

from grids.imports.columns import HEADINGS


def xlsx(rows, headings=HEADINGS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(
    building,
    room,
    name,
    citizen_id,
    relation="户主",
    *,
    unit="1",
    floor=5,
    occupancy="自住",
    phone="",
    status="户籍人口",
):
    return [building, unit, floor, room, occupancy, name, citizen_id, phone, status, relation]
