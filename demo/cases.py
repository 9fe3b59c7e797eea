"""The demo's cases: routing rules for 金川区, door plates for 银湖社区, and cases at every step of
the loop over the last four weeks, through the same services as the pages.

Times are relative to when the demo is loaded, so some cases are fresh, some close to their
deadline and some overdue. 银湖社区's cases are worked by the demo log-ins (grid_a reports,
community triages, street dispatches, officer signs), so each persona finds work waiting.
"""

import datetime
import random

from django.contrib.auth.models import User
from django.utils import timezone

from cases import selectors, services
from cases.models import Case, Category, RoutingRule
from core.scope import SYSTEM
from grids.models import Area, AreaKind
from orgs.models import Department

ROUTES = [
    ("urban", "chengguan"),
    ("livelihood", "minzheng"),
    ("safety", "yingji"),
    ("dispute", "zongzhi"),
    ("stability", "xinfang"),
    ("livelihood-sanitation", "chengguan"),
]
DESCRIPTIONS = {
    "dispute": ["楼上漏水导致邻里争吵", "因停车位发生争执", "物业费收取引发矛盾"],
    "safety": ["楼道堆放纸箱,阻塞消防通道", "电动车在楼道内充电", "燃气管道有异味", "外墙瓷砖松动"],
    "livelihood": ["小区垃圾清运不及时", "独居老人需要助餐服务", "冬季暖气不热"],
    "urban": ["路灯不亮", "井盖缺失", "商户占道经营", "绿地被私自圈占种菜"],
    "stability": ["多名业主计划集体上访"],
}
# How far each case gets: weights over the number of steps taken after reporting.
STAGES = ["reported", "accepted", "whistled", "dispatched", "in_progress", "resolved", "closed", "rated"]
WEIGHTS = [3, 2, 2, 3, 4, 2, 3, 5]


def build(root: Area, *, count: int = 80, seed: int = 4) -> None:
    if Case.objects.filter(district=root).exists():
        return
    rng = random.Random(seed)
    departments = {d.code.split("-", 1)[1]: d for d in Department.objects.filter(code__startswith="jc-")}
    for code, dept in ROUTES:
        RoutingRule.objects.get_or_create(
            category=Category.objects.get(code=code), area=root, defaults={"department": departments[dept]}
        )
    yinhu = Area.objects.get(name="银湖社区")
    services.issue_door_plates(actor=SYSTEM, community=yinhu)
    people = {u.username: u for u in User.objects.filter(username__in=["grid_a", "community", "street", "officer"])}
    admin = User.objects.get(username="admin")
    leaves = list(Category.objects.filter(children__isnull=True).order_by("code"))
    buildings = list(Area.objects.filter(tree_id=root.tree_id, kind=AreaKind.BUILDING).order_by("code"))
    grid_1 = yinhu.get_children().first()
    own = [b for b in buildings if b.lft > grid_1.lft and b.rght < grid_1.rght]
    now = timezone.now()
    for n in range(count):
        building = rng.choice(own) if n % 3 == 0 else rng.choice(buildings)
        category = rng.choice(leaves)
        in_yinhu = building in own
        by = {k: (people[k] if in_yinhu else admin) for k in people}
        if category.get_root().code != "urban":
            by["officer"] = admin  # the demo officer works for 城管局 only
        at = now - datetime.timedelta(days=rng.uniform(0.05, 27))
        stage = rng.choices(STAGES, WEIGHTS)[0]
        _work(rng, building, category, by, at, stage, now)


def _work(rng, building, category, by, at, stage, now) -> None:
    texts = DESCRIPTIONS[category.get_root().code]
    case = services.report_case(
        actor=by["grid_a"], category=category, area=building, description=rng.choice(texts), at=at
    )

    def later(hours: float) -> datetime.datetime:
        nonlocal at
        at = min(at + datetime.timedelta(hours=hours), now)
        return at

    if stage == "reported":
        return
    if stage == "accepted" or (stage in ("resolved", "closed", "rated") and rng.random() < 0.3):
        case = services.accept_case(case=case, actor=by["community"], at=later(rng.uniform(0.2, 3)))
        if stage == "accepted":
            return
    else:
        case = services.whistle_case(case=case, actor=by["community"], note="需职能部门处置", at=later(1))
        if stage == "whistled":
            return
        suggestion = selectors.suggest_department(case)
        department = suggestion.department or Department.objects.get(code="jc-zongzhi")
        case = services.dispatch_case(case=case, actor=by["street"], department=department, at=later(1))
        if stage == "dispatched":
            return
        case = services.sign_case(case=case, actor=by["officer"], at=later(rng.uniform(0.5, 30)))
        if stage == "in_progress":
            return
    handler = by["officer"] if case.department_id else by["community"]
    case = services.resolve_case(case=case, actor=handler, feedback="已到现场处置完毕", at=later(rng.uniform(4, 120)))
    if stage == "resolved":
        return
    passed = rng.random() > 0.15
    note = "" if passed else "仍未整改到位"
    case = services.verify_case(case=case, actor=by["grid_a"], passed=passed, note=note, at=later(4))
    if not passed:
        case = services.resolve_case(case=case, actor=handler, feedback="已返工", at=later(24))
        case = services.verify_case(case=case, actor=by["grid_a"], passed=True, at=later(4))
    if stage == "rated":
        rating = rng.choices(["satisfied", "basic", "dissatisfied"], [7, 2, 1])[0]
        services.rate_case(case=case, rating=rating, at=later(12))
