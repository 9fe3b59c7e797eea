"""A filtered case list leaving the system as an Excel file. Like a budget run's export, a read but
a copy that leaves: each one is audited (who, in which capacity, which columns, never the values).
The workbook is write-only and the cases are read with an iterator, so a long list costs the
memory of one row; the filter the list was made with is stated above the table."""

import tempfile

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cases.models import Case, Colour, Level, Status
from core import audit
from core.scope import Scope

# The columns, as the audit log names them. No phone, no reporter: what the list shows.
COLUMNS = ["number", "created_at", "category", "colour", "status", "level", "place", "department", "due", "description"]
CHUNK = 500


def _headings() -> list[str]:
    return [
        _("编号"),
        _("上报时间"),
        _("类别"),
        _("颜色"),
        _("状态"),
        _("层级"),
        _("地点"),
        _("承办"),
        _("期限"),
        _("问题描述"),
    ]


def _row(case: Case, now) -> list:
    due = case.current_due
    overdue = case.overdue_at(now)
    place = " · ".join(
        p for p in (case.community.name if case.community else "", case.area.name, case.location_note) if p
    )
    return [
        case.number,
        timezone.localtime(case.created_at).replace(tzinfo=None),
        case.category.name,
        str(Colour(case.colour).label),
        str(Status(case.status).label) + (f" · {_('已超期')}" if overdue else ""),
        str(Level(case.level).label),
        place,
        case.department.name if case.department else "",
        timezone.localtime(due).replace(tzinfo=None) if due else None,
        case.description,
    ]


def export_cases(*, actor, scope: Scope, cases: QuerySet[Case], title: str, criteria: list[tuple[str, str]]):
    """The cases (already filtered through the caller's scope, in the list's order) as an .xlsx in a
    temporary file, rewound; `criteria` is the filter as (label, value) pairs, stated in the sheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("案件"))
    bold = Font(bold=True)

    def strong(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    now = timezone.now()
    sheet.append([strong(title)])
    sheet.append([_("筛选条件"), "; ".join(f"{label}: {value}" for label, value in criteria) or _("全部")])
    sheet.append([_("导出时间"), timezone.localtime(now).replace(tzinfo=None)])
    sheet.append([])
    sheet.append([strong(h) for h in _headings()])
    for case in cases.iterator(chunk_size=CHUNK):
        sheet.append(_row(case, now))
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook.save(out)
    out.seek(0)
    audit.record(actor=actor, action="cases.export_list", fields=COLUMNS, capacity=audit.reader_capacity(scope))
    return out
