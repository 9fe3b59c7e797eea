"""The annual assessment's lines as Excel workbooks: a community's 网格工作 and a department's
部门报到, each figure beside the clause it answers to. What leaves is what the page shows, counts
and rates, no case and no person; still a copy that leaves, so each one is audited (who, in which
capacity, which columns, never the values), as every export is."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from appraisal.selectors import AssessmentLine, DepartmentLine
from core import audit
from core.scope import Scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The columns, as the audit log names them.
COLUMNS = ["figure", "value", "clause"]


def _workbook(title: str, clause: str, rows: list[tuple[str, object, str, bool]]) -> bytes:
    """`rows` are (label, value, clause, is a rate): a rate is written as a share shown as a percentage."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("年度绩效考核")
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("依据"), clause])
    sheet.append([_("导出时间"), timezone.localtime().replace(tzinfo=None)])
    sheet.append([])
    sheet.append([_("考核指标"), _("数值"), _("依据条款")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for label, value, cited, rate in rows:
        sheet.append([label, value, cited])
        if rate and value is not None:
            sheet.cell(row=sheet.max_row, column=2).number_format = "0.0%"
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["C"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def community_file_name(line: AssessmentLine, year: int) -> str:
    return f"assessment-community-{line.community.pk}-{year}.xlsx"


def department_file_name(line: DepartmentLine) -> str:
    return f"assessment-department-{line.department.pk}-{line.year}.xlsx"


def export_community_line(*, actor, scope: Scope, line: AssessmentLine, year: int) -> bytes:
    """The community's 网格工作 line: its workers, their average and grades, each measure's figure."""
    clause = line.clause
    rows = [(_("网格员人数"), line.workers, clause, False), (_("平均分"), float(line.average), clause, False)]
    rows += [(_("等次:%(grade)s") % {"grade": grade}, n, clause, False) for grade, n in line.grades.items()]
    rows += [(str(label), shown, clause, False) for label, shown in line.sums]
    title = _("%(community)s %(year)s年度绩效考核·网格工作") % {"community": line.community.name, "year": year}
    book = _workbook(title, str(_("种子文件002:将网格化工作纳入年度绩效考核体系")), rows)
    audit.record(
        actor=actor,
        action="appraisal.export_community_assessment",
        target=line.community,
        fields=COLUMNS,
        capacity=audit.reader_capacity(scope),
    )
    return book


def export_department_line(*, actor, scope: Scope, line: DepartmentLine) -> bytes:
    """The department's 街道吹哨、部门报到 line: each figure (a rate as a share, formatted as one)."""
    rows = [
        (str(f.label), float(f.value) if f.rate and f.value is not None else f.value, str(f.clause), f.rate)
        for f in line.figures
    ]
    title = _("%(department)s %(year)s年度绩效考核·部门报到") % {"department": line.department.name, "year": line.year}
    book = _workbook(title, str(line.clause), rows)
    audit.record(
        actor=actor,
        action="appraisal.export_department_assessment",
        target=line.department,
        fields=COLUMNS,
        capacity=audit.reader_capacity(scope),
    )
    return book
