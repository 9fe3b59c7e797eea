"""The demo's visits: 银湖社区's visit plan (空巢老人 every 30 days, every household every 180) and
a few visits by grid_a in the last weeks, through the same services as the pages. The households'
last visits are spread over four months by the builder, so grid_a's workbench has visits due."""

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from cases import services
from cases.models import VisitRule
from core.scope import SYSTEM
from grids.models import Area, Household, KeyGroup

FINDINGS = [
    ("老人独居,身体尚可,子女每周探望", False, ""),
    ("燃气软管老化,已提醒更换", True, "一周后回访确认是否更换"),
    ("家中无异常,留下网格员联系方式", False, ""),
]


def build() -> None:
    yinhu = Area.objects.get(name="银湖社区")
    if VisitRule.objects.filter(area=yinhu).exists():
        return
    elderly = KeyGroup.objects.get(code="empty-nest-elderly")
    services.add_visit_rule(actor=SYSTEM, area=yinhu, group=elderly, every_days=30)
    services.add_visit_rule(actor=SYSTEM, area=yinhu, group=None, every_days=180)
    grid_a = User.objects.get(username="grid_a")
    grid = yinhu.get_children()[0]
    households = Household.objects.filter(
        building__tree_id=grid.tree_id,
        building__lft__gte=grid.lft,
        building__lft__lte=grid.rght,
        residents__tags__group=elderly,
    )
    today = timezone.localdate()
    for days_ago, household, (findings, follow_up, note) in zip(
        (2, 5, 9), households.distinct().order_by("pk")[: len(FINDINGS)], FINDINGS, strict=False
    ):
        services.record_visit(
            actor=grid_a,
            household=household,
            on=today - datetime.timedelta(days=days_ago),
            findings=findings,
            follow_up=follow_up,
            follow_up_note=note,
        )
