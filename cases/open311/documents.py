"""What the Open311 reads say, and to whom.

Reads are public in GeoReport v2. Without a key a request shows what a passer-by could see: the
category, the status, who handles it, the dates and the community it is in; only requests of the
categories residents may pick (never 涉稳信息 and the other staff-only ones). With the client key
of the request's own district the caller sees what its district staff post sees: every category,
the description, the building (code, name and point). Nobody is ever shown the reporter's phone,
the reporter or any resident, and no photo (media_url is always empty: photos are served only
through a case's scope)."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from cases.models import ENDED, OPEN, Case, Category, Level
from core.scope import scope_for
from grids.models import ROOT_KINDS, Area
from orgs.models import ClientKey

# The specification's defaults for a list without dates: the last 90 days, at most 1000 requests.
WINDOW = datetime.timedelta(days=90)
PAGE_SIZE = 1000
STATUSES = {"open": OPEN, "closed": ENDED}


def _iso(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def jurisdictions() -> QuerySet[Area]:
    return Area.objects.unscoped("Open311's jurisdictions: the districts, public by the specification").filter(
        kind__in=sorted(ROOT_KINDS)
    )


def services() -> list[dict]:
    """The categories a resident may pick on the QR form, each with its path as description and
    its top-level category as group. The whole tree is one small configuration table: read once."""
    every = {c.pk: c for c in Category.objects.order_by("tree_id", "lft")}

    def path(category: Category) -> list[Category]:
        chain = [category]
        while chain[-1].parent_id:
            chain.append(every[chain[-1].parent_id])
        return chain[::-1]

    rows = []
    for category in every.values():
        if not category.resident_pickable:
            continue
        chain = path(category)
        rows.append(
            {
                "service_code": category.code,
                "service_name": category.label,
                "description": " / ".join(c.label for c in chain),
                "metadata": False,  # no category asks for more than the QR form's fields
                "type": "realtime",  # a POST answers with the case's number at once
                "keywords": ", ".join(filter(None, [category.name, category.name_en])),
                "group": chain[0].label,
            }
        )
    return rows


def service(code: str) -> Category | None:
    return Category.objects.filter(code=code, resident_pickable=True).first()


@dataclass(frozen=True)
class Reader:
    """Who reads requests: anyone, or the client key of the district read. `district` None reads
    every district's (a request asked for by its number or token, which names its district)."""

    district: Area | None
    key: ClientKey | None = None

    @property
    def full(self) -> bool:
        return self.key is not None and self.district is not None and self.key.district_id == self.district.pk

    def cases(self) -> QuerySet[Case]:
        if self.full:
            cases = Case.objects.within(scope_for(self.key.account)).filter(district=self.district)
        else:
            cases = Case.objects.unscoped("Open311's public feed: resident categories, no personal data").filter(
                category__resident_pickable=True
            )
            if self.district is not None:
                cases = cases.filter(district=self.district)
        return cases.select_related("category", "department", "area__shape", "street", "community", "district")


def _agency(case: Case) -> str:
    if case.department_id:
        return case.department.name
    place = {Level.STREET: case.street, Level.DISTRICT: case.district}.get(case.level) or case.community
    return (place or case.district).name


def request_document(case: Case, *, full: bool) -> dict:
    shape = getattr(case.area, "shape", None) if full else None
    public_address = " ".join(a.name for a in (case.street, case.community) if a is not None)
    address = " ".join(filter(None, [public_address, case.area.name, case.location_note])) if full else public_address
    return {
        "service_request_id": case.number,
        "status": "open" if case.status in OPEN else "closed",
        "status_notes": case.get_status_display(),
        "service_name": case.category.label,
        "service_code": case.category.code,
        "description": case.description if full else None,
        "agency_responsible": _agency(case),
        "service_notice": None,
        "requested_datetime": _iso(case.created_at),
        "updated_datetime": _iso(case.updated_at),
        "expected_datetime": _iso(case.current_due),
        "address": address,
        "address_id": case.area.code if full else None,
        "zipcode": None,
        "lat": shape.lat if shape is not None and shape.lat is not None else None,
        "long": shape.lng if shape is not None and shape.lng is not None else None,
        "media_url": None,
    }
