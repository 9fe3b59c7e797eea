"""Importing from Excel: start (a dry run of the uploaded file), apply (the real run of a dry run),
and the run itself, which the Celery task calls with the run's id. What is imported (residents,
buildings, posts, party members) is the run's kind, looked up in grids.imports.kinds."""

import io
import itertools
import logging
import uuid
from collections.abc import Iterable, Iterator

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core import audit
from core.after_commit import enqueue_on_commit
from core.bulk import bulk_insert
from core.scope import ADMIN, Scope, scope_for
from grids.import_models import ImportKind, ImportRow, ImportRun, ImportStatus, RowOutcome
from grids.imports import kinds, reader
from grids.imports.kinds import Kind
from grids.imports.residents import Outcome

logger = logging.getLogger(__name__)


def _capacity(scope: Scope, kind: Kind) -> str:
    # Importing needs the capability somewhere; each row is then checked at its own place.
    if scope.unrestricted:
        return ADMIN
    allowing = {role for role in scope.roles if kind.capability in scope.role_capabilities.get(role, ())}
    return ",".join(sorted(allowing))[:40]


def _require_importer(actor, kind: Kind) -> Scope:
    scope = scope_for(actor)
    if not kind.may_start(scope):
        raise PermissionDenied(kind.denied)
    return scope


def progress_key(run: ImportRun) -> str:
    return f"grids-import-progress:{run.pk}"


def progress(run: ImportRun) -> int:
    """Percent done: 100 once finished, else what the running task last reported."""
    if run.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return 100
    return int(cache.get(progress_key(run), 0))


@transaction.atomic
def start_import(*, actor, upload, kind: str = "residents") -> ImportRun:
    """A dry run of the uploaded workbook: checked here for being one with every column, then read
    row by row by the task. The stored file is named by a random id, never by what the user typed."""
    declared = kinds.get(kind)
    scope = _require_importer(actor, declared)
    reader.check_file(upload, declared.columns)
    run = ImportRun(owner=actor, kind=declared.slug, file_name=(upload.name or "")[:200], dry_run=True)
    run.source.save(f"{uuid.uuid4().hex}.xlsx", upload, save=False)
    run.save()
    audit.record(
        actor=actor,
        action="grids.start_import",
        target=run,
        fields=["kind", "file_name", "source"],
        capacity=_capacity(scope, declared),
    )
    _queue(run)
    return run


@transaction.atomic
def apply_import(*, actor, run: ImportRun, all_or_nothing: bool) -> ImportRun:
    """The real run of a finished dry run; a second request for it returns the first."""
    kind = kinds.get(run.kind)
    scope = _require_importer(actor, kind)
    run = ImportRun.objects.select_for_update().get(pk=run.pk, owner=actor)
    if hasattr(run, "applied_as"):
        return run.applied_as
    if not run.dry_run or run.status != ImportStatus.DONE or not run.source:
        raise ValidationError(_("只能在试导入完成后正式导入"), code="not_checked")
    try:
        with transaction.atomic():
            real = ImportRun.objects.create(
                owner=actor,
                kind=run.kind,
                file_name=run.file_name,
                source=run.source.name,
                dry_run=False,
                checked_by=run,
                all_or_nothing=all_or_nothing,
            )
    except IntegrityError:
        return ImportRun.objects.get(checked_by=run)
    audit.record(
        actor=actor,
        action="grids.apply_import",
        target=real,
        fields=["checked_by", "all_or_nothing"],
        capacity=_capacity(scope, kind),
    )
    _queue(real)
    return real


def _queue(run: ImportRun) -> None:
    from grids.tasks import run_import  # tasks import this module

    enqueue_on_commit(run_import, run.pk)


class _Rollback(Exception):
    """Leaves the import's transaction with nothing kept: a dry run, or all-or-nothing with refusals."""


def _batched(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def run_import(run_id: int) -> None:
    """Safe to run twice: only a pending run is claimed. Reads and writes as the run's owner, so a
    row is accepted only at a building the owner may keep people at today."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportStatus.PENDING).update(status=ImportStatus.RUNNING)
    if not claimed:
        return
    run = ImportRun.objects.select_related("owner").get(pk=run_id)
    scope = scope_for(run.owner)
    kind = kinds.get(run.kind)
    try:
        outcomes = _process(run, scope, kind)
    except (ValidationError, PermissionDenied) as exc:
        _finish_failed(run, " ".join(getattr(exc, "messages", [str(exc)])))
        return
    except Exception:
        logger.exception("import run %s failed", run_id)
        _finish_failed(run, _("导入出错,请稍后重试或联系管理员"))
        raise
    _finish(run, scope, kind, outcomes)


def _process(run: ImportRun, scope: Scope, kind: Kind) -> list[Outcome]:
    if not kind.may_start(scope):
        raise PermissionDenied(kind.denied)
    outcomes: list[Outcome] = []
    with run.source.open("rb") as stored:
        source = io.BytesIO(stored.read())
    total = reader.size_hint(source) or 1
    source.seek(0)
    engine = kind.engine(actor=run.owner, scope=scope)
    try:
        with transaction.atomic():
            for batch in _batched(reader.rows(source, kind.columns), kind.chunk):
                outcomes.extend(engine.chunk(batch))
                cache.set(progress_key(run), min(99, len(outcomes) * 100 // total), 3600)
            engine.done()
            refused = sum(outcome.outcome == RowOutcome.REFUSED for outcome in outcomes)
            if run.dry_run or not outcomes or (run.all_or_nothing and refused):
                raise _Rollback
            run.applied = True
            _count(run, outcomes)
            run.save(update_fields=["applied", "created", "updated", "unchanged", "refused"])
            audit.record(
                actor=run.owner,
                action=kind.action,
                target=run,
                fields=[*kind.written, "created", "updated", "unchanged", "refused"],
                capacity=_capacity(scope, kind),
            )
    except _Rollback:
        pass
    return outcomes


def _count(run: ImportRun, outcomes: list[Outcome]) -> None:
    counts = {value: 0 for value in RowOutcome.values}
    for outcome in outcomes:
        counts[outcome.outcome] += 1
    for value, n in counts.items():
        setattr(run, value, n)


@transaction.atomic
def _finish(run: ImportRun, scope: Scope, kind: Kind, outcomes: list[Outcome]) -> None:
    _count(run, outcomes)
    bulk_insert([ImportRow(run=run, number=o.number, outcome=o.outcome, reason=o.reason[:500]) for o in outcomes])
    if run.refused:
        run.refused_file.save(
            f"{uuid.uuid4().hex}-refused.xlsx", ContentFile(_refused_workbook(kind, outcomes)), save=False
        )
    if not outcomes:
        run.error = _("工作表中没有数据行")
    run.status = ImportStatus.DONE
    run.finished_at = timezone.now()
    # An applied run's refused rows are fixed on its page from the upload (grids.imports.fixes),
    # which keeps it until they are or the run is too old; every other real run drops it now.
    if not run.dry_run and not (run.applied and run.refused and run.kind == ImportKind.RESIDENTS):
        _drop_source(run)
    run.save()
    if not run.applied:
        action = "grids.check_import" if run.dry_run else "grids.refuse_import"
        audit.record(
            actor=run.owner,
            action=action,
            target=run,
            fields=["created", "updated", "unchanged", "refused"],
            capacity=_capacity(scope, kind),
        )


def _drop_source(run: ImportRun) -> None:
    """The uploaded file holds everyone's ID and phone: gone once the real run is over."""
    name = run.source.name
    if name:
        run.source.storage.delete(name)
    ImportRun.objects.filter(source=name).exclude(pk=run.pk).update(source="")
    run.source = ""


def _finish_failed(run: ImportRun, message: str) -> None:
    with transaction.atomic():
        run.status = ImportStatus.FAILED
        run.error = message[:300]
        run.finished_at = timezone.now()
        if not run.dry_run:
            _drop_source(run)
        run.save()
        audit.record(actor=run.owner, action="grids.fail_import", target=run, fields=["error"])


def _refused_workbook(kind: Kind, outcomes: list[Outcome]) -> bytes:
    """The refused rows as they were, with their row number and reason: fix them and import this file.
    A column the kind keeps to itself (a party member's ID) comes back empty."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("拒绝行"))
    sheet.append([*kind.headings, "原行号", "拒绝原因"])
    for outcome in outcomes:
        if outcome.outcome == RowOutcome.REFUSED:
            cells = [outcome.cells[column.key] if column.echo else "" for column in kind.columns]
            sheet.append([*cells, outcome.number, outcome.reason])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
