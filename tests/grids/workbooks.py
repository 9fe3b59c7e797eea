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


def import_kind(client, kind: str, content: bytes, run_tasks_here, name="导入.xlsx"):
    """Upload a workbook of `kind` as the signed-in user and run the dry run here: (response, run)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from grids.import_models import ImportRun

    with run_tasks_here():
        response = client.post(
            reverse("grids:kind_import_start", args=[kind]), {"workbook": SimpleUploadedFile(name, content)}
        )
    return response, ImportRun.objects.filter(kind=kind).first()


def apply_kind(client, run, run_tasks_here, **data):
    """The real run of a dry run, run here: the real run."""
    from django.urls import reverse

    from grids.import_models import ImportRun

    with run_tasks_here():
        client.post(reverse("grids:kind_import_apply", args=[run.kind, run.pk]), data)
    return ImportRun.objects.get(checked_by=run)


def outcomes(run) -> dict[int, str]:
    return {r.number: r.outcome for r in run.outcomes.all()}


def reasons(run) -> dict[int, str]:
    return {r.number: r.reason for r in run.outcomes.filter(outcome="refused")}
