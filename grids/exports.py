"""Residents and their households leaving the system as an Excel file. Written row by row in
openpyxl's write-only mode to a temporary file, so a district's roll costs no more memory than a
grid's; IDs and phones are masked unless the user may see them and gives a reason. Every export is
recorded (who, when, which area, how many rows, in full or not) and carries its watermark line."""

import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core import audit
from core.capabilities import Capability
from core.masking import mask_citizen_id, mask_phone
from core.scope import Scope, scope_for
from grids.import_models import PeopleExport
from grids.imports.columns import HEADINGS, label_of
from grids.models import Area, AreaKind, Occupancy, Relation, ResidenceStatus, Resident

# The columns, as the audit log names them; the same as the import's, so a file reads alike.
COLUMNS = [
    "building",
    "unit",
    "floor",
    "room",
    "occupancy",
    "name",
    "citizen_id",
    "phone",
    "residence_status",
    "relation",
]
EXPORTED_KINDS = (AreaKind.STREET, AreaKind.TOWN, AreaKind.COMMUNITY, AreaKind.GRID)


def exportable_areas(scope: Scope):
    """The streets, communities and grids the user may export, in tree order."""
    areas = Area.objects.within(scope).filter(kind__in=EXPORTED_KINDS)
    return [area for area in areas if scope.capacity(Capability.EXPORT_PEOPLE, at=area) is not None]


def export_residents(*, actor, area: Area, reveal: bool = False, reason: str = ""):
    """An open temporary file holding the .xlsx of everyone living under `area`; the caller streams it."""
    scope = scope_for(actor)
    capacity = scope.capacity(Capability.EXPORT_PEOPLE, at=area)
    if capacity is None:
        raise PermissionDenied(_("您的岗位不能导出这里的居民"))
    reason = (reason or "").strip()
    if reveal:
        if not actor.has_perm("grids.view_sensitive"):
            raise ValidationError(_("您没有查看完整身份证号和手机号的权限"), code="forbidden")
        if len(reason) < 4:
            raise ValidationError({"reason": [_("请写明导出完整信息的事由(至少4个字)")]})
    now = timezone.localtime()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("居民"))
    sheet.append(
        [
            _("导出人:%(user)s 导出时间:%(at)s 仅限工作使用,不得外传")
            % {"user": actor.get_username(), "at": now.strftime("%Y-%m-%d %H:%M")}
        ]
    )
    sheet.append(HEADINGS)
    rows = 0
    labels = {
        "occupancy": {value: label_of(Occupancy, value) for value in Occupancy.values},
        "residence_status": {value: label_of(ResidenceStatus, value) for value in ResidenceStatus.values},
        "relation": {value: label_of(Relation, value) for value in Relation.values},
    }
    under = Q(
        household__building__tree_id=area.tree_id,
        household__building__lft__gte=area.lft,
        household__building__lft__lte=area.rght,
    )
    residents = (
        Resident.objects.within(scope)
        .living()
        .filter(under)
        .order_by("household__building__code", "household__unit", "household__room", "pk")
        .values_list(
            "household__building__code",
            "household__unit",
            "household__floor",
            "household__room",
            "household__occupancy",
            "name",
            "citizen_id",
            "phone",
            "residence_status",
            "relation",
        )
    )
    for code, unit, floor, room, occupancy, name, citizen_id, phone, status, relation in residents.iterator(2000):
        if not reveal:
            citizen_id, phone = mask_citizen_id(citizen_id), mask_phone(phone or "")
        sheet.append(
            [
                code,
                unit,
                floor,
                room,
                labels["occupancy"][occupancy],
                name,
                citizen_id,
                phone or "",
                labels["residence_status"][status],
                labels["relation"][relation],
            ]
        )
        rows += 1
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the response streams and closes it
    workbook.save(out)
    out.seek(0)
    with transaction.atomic():
        record = PeopleExport.objects.create(user=actor, area=area, rows=rows, revealed=reveal, reason=reason)
        action = "grids.export_residents_in_full" if reveal else "grids.export_residents"
        audit.record(actor=actor, action=action, target=record, fields=COLUMNS, capacity=capacity)
    return out
