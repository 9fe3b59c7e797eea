"""Fixing a refused row of an applied import on the run's page: the row is read back from the
uploaded workbook, corrected by its owner, checked exactly as the import checks a row (the same
ResidentImport) and, when it passes, written.

How long the upload stays: it holds every row's ID and phone, so a real run drops it as soon as it
is over, except an applied run with refused rows, which keeps it until the last of them is fixed or
KEEP_SOURCE has passed since the run finished (a daily task then deletes it, and past that time no
fix is offered whether or not the task has run). A week is enough for the person who imported to
sort out the few rows the import refused; after that the refused-rows workbook is the way."""

import datetime
import io
import uuid
from contextlib import closing

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from core import audit
from grids.import_models import ImportKind, ImportRow, ImportRun, ImportStatus, RowOutcome
from grids.imports import kinds, reader
from grids.imports.columns import COLUMNS
from grids.imports.residents import ResidentImport
from grids.imports.services import _capacity, _drop_source, _require_importer

KEEP_SOURCE = datetime.timedelta(days=7)


def keep_until(run: ImportRun) -> datetime.datetime | None:
    """Until when the run's refused rows may be fixed on its page, or None if they may not."""
    if run.kind != ImportKind.RESIDENTS:  # the other kinds are hundreds of rows: fixed in the file
        return None
    if run.dry_run or not run.applied or run.status != ImportStatus.DONE or not run.refused or not run.finished_at:
        return None
    return run.finished_at + KEEP_SOURCE


def fixable(run: ImportRun) -> bool:
    until = keep_until(run)
    return bool(until and run.source and timezone.now() < until)


def source_cells(run: ImportRun, number: int) -> dict[str, str] | None:
    """The row as the upload has it ({column key: text}), or None once the upload is gone or unreadable.
    Read the way the import read it, so the numbers agree."""
    if not fixable(run):
        return None
    try:
        with run.source.open("rb") as stored:
            data = io.BytesIO(stored.read())
    except OSError:
        return None
    try:
        with closing(reader.rows(data)) as rows:
            for found, cells in rows:
                if found == number:
                    return cells
                if found > number:
                    break
    except ValidationError:
        return None
    return None


def errors_by_field(reason: str) -> dict[str, list[str]]:
    """A row's reason ("楼栋编码:…;手机号:…", as the import writes it) back into its fields' errors."""
    by_heading = {column.heading: column.key for column in COLUMNS}
    errors: dict[str, list[str]] = {}
    for part in filter(None, reason.split(";")):
        heading, _sep, message = part.partition(":")
        key = by_heading.get(heading)
        errors.setdefault(key or NON_FIELD_ERRORS, []).append(message if key else part)
    return errors


@transaction.atomic
def fix_row(*, actor, run: ImportRun, number: int, values: dict[str, str]) -> ImportRow:
    """Check one refused row again with the owner's corrections and, if it passes, write it.

    Once only: the row is locked and must still be refused. A failing check raises a
    ValidationError keyed by the columns it names, and nothing is written."""
    residents = kinds.get(ImportKind.RESIDENTS)
    scope = _require_importer(actor, residents)
    run = ImportRun.objects.select_for_update().filter(pk=run.pk, owner=actor).first()
    if run is None:
        raise PermissionDenied(_("只能修改自己的导入"))
    row = ImportRow.objects.select_for_update().filter(run=run, number=number).first()
    if row is None or row.outcome != RowOutcome.REFUSED:
        raise ValidationError(_("这一行已经修改过或并未被拒绝,不能再修改"), code="not_refused")
    if not fixable(run):
        raise ValidationError(_("上传的文件已删除,被拒绝的行不能再在页面上修改"), code="source_gone")
    cells = {column.key: str(values.get(column.key) or "").strip() for column in COLUMNS}
    engine = ResidentImport(actor=actor, scope=scope)
    [outcome] = engine.chunk([(number, cells)])
    engine.done()
    if outcome.outcome == RowOutcome.REFUSED:
        raise ValidationError(errors_by_field(outcome.reason))
    row.outcome = outcome.outcome
    row.fixed_at = timezone.now()
    row.save(update_fields=["outcome", "fixed_at"])
    run.refused -= 1
    setattr(run, outcome.outcome, getattr(run, outcome.outcome) + 1)
    _forget_in_refused_file(run, number)
    run.save(update_fields=["created", "updated", "unchanged", "refused", "refused_file"])
    if not run.refused:
        _drop_source(run)  # nothing left to fix: the upload goes, as it would have at the run's end
        run.save(update_fields=["source"])
    audit.record(
        actor=actor,
        action="grids.fix_import_row",
        target=run,
        fields=[*residents.written, "outcome", "fixed_at"],
        capacity=_capacity(scope, residents),
    )
    return row


def _forget_in_refused_file(run: ImportRun, number: int) -> None:
    """The refused-rows workbook without the fixed row, so that importing it as it says does not
    bring that row back; none at all once nothing is refused. The old file goes after commit."""
    old = run.refused_file.name
    if not old:
        return
    with run.refused_file.open("rb") as stored:
        source = load_workbook(io.BytesIO(stored.read()), read_only=True)
    try:
        title = source.worksheets[0].title
        heading, *rows = source.worksheets[0].iter_rows(values_only=True)
    finally:
        source.close()
    rows = [values for values in rows if values[len(COLUMNS)] != number]  # the column after: 原行号
    if rows:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title)
        for values in [heading, *rows]:
            sheet.append(values)
        buffer = io.BytesIO()
        workbook.save(buffer)
        run.refused_file.save(f"{uuid.uuid4().hex}-refused.xlsx", ContentFile(buffer.getvalue()), save=False)
    else:
        run.refused_file = ""
    storage = run.refused_file.storage
    transaction.on_commit(lambda: storage.delete(old))


def drop_stale_sources() -> int:
    """Delete the uploads kept for fixing past KEEP_SOURCE; safe to run twice. Returns how many."""
    stale = ImportRun.objects.filter(
        dry_run=False, finished_at__lt=timezone.now() - KEEP_SOURCE, status=ImportStatus.DONE
    ).exclude(source="")
    dropped = 0
    for run in stale.only("pk", "source"):
        with transaction.atomic():
            _drop_source(run)
            run.save(update_fields=["source"])
        dropped += 1
    return dropped
