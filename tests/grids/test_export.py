"""The residents export: masked unless revealed with a reason, recorded, watermarked."""

import datetime
import io
import zipfile

from django.urls import reverse
from openpyxl import load_workbook

from core.capabilities import Capability
from core.models import AuditEntry
from core.scope import scope_for
from grids import moves, services
from grids.import_models import PeopleExport
from grids.models import ResidentEnd


def _export(client, area, **more):
    response = client.post(reverse("grids:export_residents"), {"area": area.pk, **more})
    assert response.status_code == 200, response.content.decode()[:1000]
    return b"".join(response.streaming_content)


def _unzipped(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_an_export_without_reveal_has_no_full_id_or_phone(world, client_for):
    resident = world.residents["A1"]
    services.update_resident(
        actor=world.users["community"],
        resident=resident,
        name=resident.name,
        phone="13912345678",
        residence_status=resident.residence_status,
        relation=resident.relation,
    )
    content = _export(client_for(world.users["street"]), world.areas["K1"])
    text = _unzipped(content)
    assert resident.citizen_id not in text and "13912345678" not in text and "3912345678" not in text
    assert resident.citizen_id[-4:] in text and "139****5678" in text
    record = PeopleExport.objects.get()
    assert (record.user, record.area, record.rows, record.revealed) == (
        world.users["street"],
        world.areas["K1"],
        5,
        False,
    )
    assert AuditEntry.objects.filter(action="grids.export_residents", target_id=str(record.pk)).exists()


def test_the_sheet_opens_with_a_watermark_line(world, client_for):
    sheet = load_workbook(io.BytesIO(_export(client_for(world.users["community"]), world.areas["A"]))).active
    first = sheet.cell(row=1, column=1).value
    assert "world_community" in first and "导出时间" in first
    assert sheet.cell(row=2, column=1).value == "楼栋编码"
    # Grid A only: its three households' four residents, no one of grid B.
    names = {r[5] for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert names == {"A1住户", "A1独居老人", "A1矫正对象", "A2住户"}


def test_a_full_export_needs_a_reason_and_is_recorded_as_one(world, client_for):
    client = client_for(world.users["community"])
    response = client.post(reverse("grids:export_residents"), {"area": world.areas["A"].pk, "reveal": "on"})
    assert response.status_code == 400 and not PeopleExport.objects.exists()
    text = _unzipped(_export(client, world.areas["A"], reveal="on", reason="民政核对低保名单"))
    assert world.residents["A1"].citizen_id in text
    assert PeopleExport.objects.get().revealed
    assert AuditEntry.objects.filter(action="grids.export_residents_in_full").exists()


def test_a_user_without_reveal_cannot_ask_for_full_values(world, client_for):
    client = client_for(world.users["street"])
    text = _unzipped(_export(client, world.areas["A"], reveal="on", reason="想看完整号码"))
    assert world.residents["A1"].citizen_id not in text
    assert not PeopleExport.objects.get().revealed


def test_a_neighbours_area_is_not_offered(world, client_for):
    client = client_for(world.users["community"])
    response = client.post(reverse("grids:export_residents"), {"area": world.areas["K2"].pk})
    assert response.status_code == 400 and not PeopleExport.objects.exists()
    assert client_for(world.users["grid_a"]).get(reverse("grids:export_residents")).status_code == 404


def test_export_is_the_community_and_the_offices_above_it(world):
    may = {name for name, user in world.users.items() if scope_for(user).may(Capability.EXPORT_PEOPLE)}
    assert may == {"community", "street", "district", "admin"}


def test_who_has_left_is_not_exported_as_living_there(world, client_for):
    left = world.residents["A1c"]
    moves.end_resident(
        actor=world.users["community"], resident=left, on=datetime.date(2026, 11, 1), reason=ResidentEnd.MOVED_OUT
    )
    text = _unzipped(_export(client_for(world.users["street"]), world.areas["K1"]))
    assert left.name not in text
    assert PeopleExport.objects.get().rows == 4  # the five of K1, less the one who moved out
