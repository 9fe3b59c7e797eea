"""Budget runs leaving the system as Excel files. An export is a read, but a copy that leaves:
each one is recorded in the audit log (who, which run, in which capacity, which columns)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core import audit
from core.scope import Scope
from funding import selectors
from funding.models import BudgetRun

# The columns, as the audit log names them; the rows are the run's communities the actor may see.
COLUMNS = ["community", "item", "amount", "city", "local", "clause"]


def export_budget_run(*, actor, scope: Scope, run: BudgetRun) -> bytes:
    """The run as an .xlsx workbook, one row per budget line the scope may see, and a total."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(run.year)
    sheet.append([_("社区"), _("经费项目"), _("金额"), _("市级承担"), _("区县承担"), _("依据")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    communities = list(selectors.visible_communities(scope, run))
    for community in communities:
        for line in community.lines.all():
            sheet.append([community.name, line.get_item_display(), line.amount, line.city, line.local, line.clause])
    total = selectors.totals(communities)
    sheet.append([_("合计"), "", total["amount"], total["city"], total["local"], ""])
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=5):
        for cell in row:
            cell.number_format = "#,##0.00"
    buffer = BytesIO()
    workbook.save(buffer)
    audit.record(
        actor=actor,
        action="funding.export_budget_run",
        target=run,
        fields=COLUMNS,
        capacity=audit.reader_capacity(scope),
    )
    return buffer.getvalue()
