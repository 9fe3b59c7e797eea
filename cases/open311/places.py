"""Where an Open311 request is, within its key's district: by `lat`/`long` (the covering grid
and its nearest building, grids.locate), by `address_id` (a building's code), or by
`address_string` (a building's name, with its community's or grid's name where one name is
not enough). The address string is kept as the case's location note whichever way it was found."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.scope import scope_for
from grids.locate import locate
from grids.models import Area, AreaKind
from orgs.models import ClientKey


def _number(data, name: str) -> float:
    try:
        return float(data[name])
    except (TypeError, ValueError):
        raise ValidationError({name: [_("须为数字")]}) from None


def _by_name(buildings, text: str) -> Area:
    # The building's name ends the string ("一社区 A1楼"): every ending is a candidate name.
    squeezed = "".join(text.split())
    endings = [squeezed[i:] for i in range(len(squeezed))]
    found = list(buildings.filter(name__in=endings).select_related("parent__parent"))
    if len(found) > 1:  # the same name in two places: the one whose grid or community is named too
        found = [b for b in found if any(a and a.name in squeezed for a in (b.parent, b.parent.parent))]
    if len(found) != 1:
        raise ValidationError({"address_string": [_("未找到该地址的楼栋,请写明社区和楼栋名称,或提供坐标、楼栋编码")]})
    return found[0]


def place_of(key: ClientKey, data) -> tuple[Area, str]:
    scope = scope_for(key.account)
    address = (data.get("address_string") or "").strip()
    buildings = Area.objects.within(scope).filter(kind=AreaKind.BUILDING)
    if data.get("lat") or data.get("long"):
        located = locate(scope, lng=_number(data, "long"), lat=_number(data, "lat"))
        return located.building or located.grid, address
    if code := (data.get("address_id") or "").strip():
        building = buildings.filter(code=code).first()
        if building is None:
            raise ValidationError({"address_id": [_("本区县没有该编码的楼栋")]})
        return building, address
    if address:
        return _by_name(buildings, address), address
    raise ValidationError(_("请提供位置:lat 和 long、address_string 或 address_id 之一"), code="required")
