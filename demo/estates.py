"""The demo's property service (物业服务): 滨河街道's two companies serving its two compounds since
last year — 安居物业 at 银湖社区's, 滨河物业 at 丽景社区's — with two inspections each, and one
assessment round over a half-year that ended five weeks ago (before the demo's cases, so the
score is the inspections' and the case count's under the default rule). 安居物业 falls below the
pass mark and is under rectification (整改), due in the coming weeks on the street's and 银湖社区's
workbench."""

import datetime
from decimal import Decimal

from django.utils import timezone

from core.scope import SYSTEM
from estates import services
from estates.models import ServiceTerm
from grids.models import Area, AreaKind
from orgs.models import Department, DepartmentKind

# (community of the compound, company code suffix, its two inspection scores)
SERVICE = [
    ("银湖社区", "-property-2", (Decimal(40), Decimal(35))),
    ("丽景社区", "-binhe-property", (Decimal(90), Decimal(86))),
]
ITEMS = "保洁\n绿化养护\n秩序维护\n共用设施设备维修"


def build() -> None:
    street = Area.objects.get(name="滨河街道")
    if ServiceTerm.objects.filter(compound__tree_id=street.tree_id).exists():
        return
    today = timezone.localdate()
    period_start, period_end = today - datetime.timedelta(days=218), today - datetime.timedelta(days=35)
    companies = Department.objects.filter(kind=DepartmentKind.PROPERTY, jurisdiction=street)
    for n, (community_name, suffix, scores) in enumerate(SERVICE, start=1):
        community = Area.objects.get(name=community_name)
        compound = Area.objects.get(
            kind=AreaKind.COMPOUND, tree_id=community.tree_id, lft__gt=community.lft, rght__lt=community.rght
        )
        company = next(c for c in companies if c.code.endswith(suffix))
        term = services.admit_company(
            actor=SYSTEM,
            compound=compound,
            company=company,
            starts_on=period_start - datetime.timedelta(days=180),
            admission_ref=f"滨河街准〔{period_start.year - 1}〕{n}号",
        )
        for days, score in zip((60, 150), scores, strict=True):
            services.record_inspection(
                actor=SYSTEM,
                term=term,
                inspected_on=period_start + datetime.timedelta(days=days),
                items=ITEMS,
                score=score,
            )
    services.open_round(
        actor=SYSTEM,
        street=street,
        name=f"{period_end.year}年物业服务考核",
        period_start=period_start,
        period_end=period_end,
        assessed_on=today - datetime.timedelta(days=7),
    )
