"""双报告 as an Excel workbook: a unit's in-service members and their half-year of service, the
summary on the first sheet and each activity on the second. What leaves is what the unit page
shows: names, organisations, dates, what was done, hours; no phone, no ID number."""

import datetime
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The columns, as the audit log names them.
COLUMNS = ["member", "organization", "activities", "hours", "on", "activity"]


def file_name(unit, start: datetime.date) -> str:
    return f"dual-report-{unit.pk}-{start:%Y}-{'h1' if start.month == 1 else 'h2'}.xlsx"


def unit_workbook(unit, start: datetime.date, end: datetime.date, rows, details: dict) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _("汇总")
    summary.append([_("%(unit)s在职党员双报告") % {"unit": unit.name}])
    summary["A1"].font = Font(bold=True)
    summary.append([_("报到社区"), unit.community.name, _("期间"), f"{start:%Y-%m-%d} — {end:%Y-%m-%d}"])
    summary.append([])
    summary.append([_("姓名"), _("所在党组织"), _("服务次数"), _("服务时长(小时)")])
    for row in rows:
        summary.append([row.member.name, row.member.organization.name, row.activities, float(row.hours)])
    detail = book.create_sheet(_("明细"))
    detail.append([_("姓名"), _("服务日期"), _("服务内容"), _("服务时长(小时)")])
    for row in rows:
        for activity in details.get(row.member.pk, ()):
            detail.append([row.member.name, activity.on, activity.activity, float(activity.hours)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
