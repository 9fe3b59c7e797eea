"""Fixing a refused row of an applied import on the run's page: read back from the upload, checked
as the import checks a row, written once, by the run's owner only; the upload kept only as long
as there is something to fix."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEntry
from grids.import_models import ImportRow, ImportRun
from grids.imports import fixes
from grids.models import Household, Resident
from tests.factories import HouseholdFactory, ResidentFactory, citizen_id
from tests.grids.workbooks import row, xlsx


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _rows(world):
    a = world.areas
    return [
        row(a["A1"].code, "701", "户主甲", citizen_id()),  # 2
        row(a["A1"].code, "701", "配偶乙", citizen_id(), "配偶"),  # 3
        row(a["A1"].code, "702", "电话错", citizen_id(), phone="1234"),  # 4: refused
        row(a["A1"].code, "701", "第二户主", citizen_id()),  # 5: refused, a second 户主
    ]


def _applied(world, client_for, run_tasks_here, rows, **apply):
    client = client_for(world.users["community"])
    with run_tasks_here():
        client.post(reverse("grids:import_start"), {"workbook": SimpleUploadedFile("居民.xlsx", xlsx(rows))})
    dry = ImportRun.objects.filter(owner=world.users["community"], dry_run=True).first()  # the newest
    with run_tasks_here():
        client.post(reverse("grids:import_apply", args=[dry.pk]), apply)
    return client, ImportRun.objects.get(checked_by=dry)


def _fix_url(run, number):
    return reverse("grids:import_fix", args=[run.pk, number])


def _values(world, name, cid, relation="户主", room="702", phone="13812345678", building=None):
    return {
        "building": building or world.areas["A1"].code,
        "unit": "1",
        "floor": "5",
        "room": room,
        "occupancy": "自住",
        "name": name,
        "citizen_id": cid,
        "phone": phone,
        "residence_status": "户籍人口",
        "relation": relation,
    }


def _written():
    return (
        Resident.objects.count(),
        Household.objects.count(),
        AuditEntry.objects.filter(action__contains="import").count(),
    )


def test_the_form_shows_the_row_as_uploaded_with_the_reason_beside_its_field(world, client_for, run_tasks_here):
    client, run = _applied(world, client_for, run_tasks_here, _rows(world))
    assert (run.created, run.refused) == (2, 2) and run.source  # kept: there are rows to fix
    page = client.get(reverse("grids:import_run", args=[run.pk])).content.decode()
    assert f'href="{_fix_url(run, 4)}"' in page and f'href="{_fix_url(run, 5)}"' in page
    assert f'href="{_fix_url(run, 2)}"' not in page  # a created row has nothing to fix
    response = client.get(_fix_url(run, 4))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["name"].value() == "电话错" and form["phone"].value() == "1234"
    assert form.errors == {"phone": ["手机号无效,请核对位数和号段"]}
    assert 'data-testid="error-phone">手机号无效,请核对位数和号段<' in response.content.decode()


def test_a_fix_that_passes_writes_the_resident_and_moves_the_counts(world, client_for, run_tasks_here):
    client, run = _applied(world, client_for, run_tasks_here, _rows(world))
    cid = citizen_id()
    response = client.post(_fix_url(run, 4), _values(world, "电话改", cid))
    assert response.status_code == 302 and response.url == reverse("grids:import_run", args=[run.pk])
    resident = Resident.objects.get(name="电话改")
    assert resident.phone == "+8613812345678" and resident.household.room == "702"
    run.refresh_from_db()
    assert (run.created, run.updated, run.unchanged, run.refused) == (3, 0, 0, 1)
    fixed = ImportRow.objects.get(run=run, number=4)
    assert fixed.outcome == "created" and fixed.fixed_at is not None
    entry = AuditEntry.objects.get(action="grids.fix_import_row")
    assert entry.actor == world.users["community"] and entry.target_id == str(run.pk)
    assert "citizen_id" in entry.fields and entry.capacity == "community_staff"
    page = client.get(reverse("grids:import_run", args=[run.pk])).content.decode()
    assert 'data-testid="fixed-4"' in page and 'data-count="refused">1<' in page
    assert run.source  # row 5 is still to fix
    # The refused-rows workbook now holds row 5 alone: importing it as it says brings nothing back twice.
    download = client.get(reverse("grids:import_refused", args=[run.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert [r[-2] for r in sheet.active.iter_rows(min_row=2, values_only=True)] == [5]


def test_fixing_the_last_refused_row_drops_the_upload(
    world, client_for, run_tasks_here, django_capture_on_commit_callbacks
):
    client, run = _applied(world, client_for, run_tasks_here, _rows(world)[:3])
    name, refused_name = run.source.name, run.refused_file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_fix_url(run, 4), _values(world, "电话改", citizen_id()))
    run.refresh_from_db()
    assert run.refused == 0 and not run.source and not run.source.storage.exists(name)
    assert not run.source.storage.exists(refused_name)
    assert not ImportRun.objects.get(pk=run.checked_by_id).source
    assert not run.refused_file  # nothing refused is left to download
    page = client.get(reverse("grids:import_run", args=[run.pk])).content.decode()
    assert 'data-testid="refused-file"' not in page and 'data-testid="fix-note"' not in page


def test_a_fix_that_fails_shows_the_new_reason_on_its_field_and_writes_nothing(world, client_for, run_tasks_here):
    client, run = _applied(world, client_for, run_tasks_here, _rows(world))
    before = _written()
    response = client.post(_fix_url(run, 5), _values(world, "第二户主", citizen_id(), room="701", phone=""))
    assert response.status_code == 400
    assert response.context["form"].errors == {"relation": ["该住户已有户主,每户只能有一位户主"]}
    response = client.post(_fix_url(run, 4), _values(world, "", "110105198005170010", building="NO-SUCH"))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "building": ["楼栋不存在或不在您的辖区内"],
        "name": ["不能为空"],
        "citizen_id": ["身份证号校验位不正确,请核对最后一位"],
    }
    assert 'data-testid="error-building">楼栋不存在或不在您的辖区内<' in response.content.decode()
    assert _written() == before
    run.refresh_from_db()
    assert run.refused == 2 and set(
        ImportRow.objects.filter(run=run, outcome="refused").values_list("number", flat=True)
    ) == {4, 5}


def test_a_row_is_fixed_once(world, client_for, run_tasks_here):
    client, run = _applied(world, client_for, run_tasks_here, _rows(world))
    client.post(_fix_url(run, 5), _values(world, "第二户主", citizen_id(), "子女", room="701"))
    before = _written()
    response = client.post(_fix_url(run, 5), _values(world, "又一人", citizen_id(), "子女", room="701"))
    assert response.status_code == 400 and "这一行已经修改过或并未被拒绝,不能再修改" in response.content.decode()
    assert _written() == before and not Resident.objects.filter(name="又一人").exists()
    page = client.get(_fix_url(run, 5)).content.decode()
    assert 'data-testid="already-fixed"' in page and '<form method="post" class="card' not in page
    run.refresh_from_db()
    assert (run.created, run.refused) == (3, 1)


def test_only_the_runs_owner_may_fix_it(world, client_for, run_tasks_here):
    _client, run = _applied(world, client_for, run_tasks_here, _rows(world))
    before = _written()
    for persona in ["grid_a", "street", "admin"]:
        client = client_for(world.users[persona])
        assert client.get(_fix_url(run, 4)).status_code == 404, persona
        assert client.post(_fix_url(run, 4), _values(world, "他人", citizen_id())).status_code == 404, persona
    assert _written() == before
    with pytest.raises(PermissionDenied):
        fixes.fix_row(actor=world.users["grid_a"], run=run, number=4, values=_values(world, "他人", citizen_id()))
    assert ImportRow.objects.get(run=run, number=4).outcome == "refused"


def test_rows_that_cannot_be_fixed_are_404(world, client_for, run_tasks_here):
    client, run = _applied(world, client_for, run_tasks_here, _rows(world))
    assert client.get(_fix_url(run, 2)).status_code == 404  # created by the import
    assert client.get(_fix_url(run, 99)).status_code == 404  # no such row
    assert client.get(_fix_url(run.checked_by, 4)).status_code == 404  # the dry run writes nothing
    ImportRun.objects.filter(pk=run.pk).update(kind="buildings")
    assert client.get(_fix_url(run, 4)).status_code == 404  # another kind's rows are fixed in the file


def test_once_the_upload_is_gone_the_pages_say_so_and_nothing_is_fixed(world, client_for, run_tasks_here):
    client, run = _applied(world, client_for, run_tasks_here, _rows(world))
    name = run.source.name
    ImportRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - fixes.KEEP_SOURCE)
    page = client.get(reverse("grids:import_run", args=[run.pk])).content.decode()
    assert 'data-testid="source-gone"' in page and _fix_url(run, 4) not in page
    response = client.get(_fix_url(run, 4))
    assert response.status_code == 200 and "上传的文件已删除" in response.content.decode()
    assert response.context["form"]["name"].value() is None  # nothing read back
    before = _written()
    response = client.post(_fix_url(run, 4), _values(world, "电话改", citizen_id()))
    assert response.status_code == 400 and "上传的文件已删除,被拒绝的行不能再在页面上修改" in response.content.decode()
    assert _written() == before
    # The hourly task deletes what the pages already refuse to use.
    assert fixes.drop_stale_sources() == 1 and fixes.drop_stale_sources() == 0
    run.refresh_from_db()
    assert not run.source and not run.source.storage.exists(name)


def test_a_real_run_with_nothing_to_fix_drops_the_upload_at_once(world, client_for, run_tasks_here):
    _client, clean = _applied(world, client_for, run_tasks_here, _rows(world)[:2])
    assert clean.refused == 0 and not clean.source
    _client, refused = _applied(world, client_for, run_tasks_here, _rows(world), all_or_nothing="on")
    assert not refused.applied and not refused.source  # nothing was written, so nothing to fix into it


def test_the_fix_page_reads_as_many_queries_in_a_larger_community(world, client_for, run_tasks_here):
    client, run = _applied(world, client_for, run_tasks_here, _rows(world))
    counts = []
    for more in [0, 20]:
        for n in range(more):
            ResidentFactory(household=HouseholdFactory(building=world.areas["A2"], room=f"q{n}"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_fix_url(run, 4)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_upload_is_kept_a_week_from_the_runs_end(world, client_for, run_tasks_here):
    _client, run = _applied(world, client_for, run_tasks_here, _rows(world))
    assert fixes.keep_until(run) == run.finished_at + datetime.timedelta(days=7) and fixes.fixable(run)
