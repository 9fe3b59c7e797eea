"""The demo's cases: routing rules for 金川区, door plates for 银湖社区, and cases at every step of
the loop over the last four weeks, through the same services as the pages.

Times are relative to when the demo is loaded, so some cases are fresh, some close to their
deadline and some overdue. 银湖社区's cases are worked by the demo log-ins (grid_a and grid_b
report and verify, community triages, street dispatches, officer signs), and WAITING leaves each
of them work to do. Descriptions and feedback fit their categories; some cases are callers'
(12345, walk-in) with a phone, rated on a call-back.
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
# What a case of each kind says: written for its own category, so a 电梯故障 is about a lift.
DESCRIPTIONS = {
    "dispute-neighbour": ["楼上卫生间漏水渗到楼下,两户多次争吵", "邻居深夜装修噪音扰民,双方发生争执"],
    "dispute-family": ["夫妻因子女抚养问题激烈争吵,需社区调解", "兄妹三人因老人赡养费分摊产生矛盾"],
    "dispute-property": ["业主对物业费上涨有异议,多户拒交物业费", "地面停车位分配方案引发业主与物业争执"],
    "dispute-labour": ["装修工人反映被包工头拖欠工资三个月", "小区保洁员反映加班费两个月未发放"],
    "stability-group": ["二十余户业主计划集体到区政府反映房产证办理问题"],
    "stability-petition": ["居民因拆迁补偿问题多次上访未果,近日情绪激动"],
    "safety-fire": ["楼道堆放纸箱和旧家具,阻塞消防通道", "消防栓箱内没有水带,箱门玻璃破损"],
    "safety-gas": ["单元楼道内闻到明显燃气异味", "住户厨房燃气软管老化开裂"],
    "safety-house": ["外墙瓷砖松动,下雨后有脱落危险", "阳台楼板出现明显裂缝,住户担心安全"],
    "safety-lift": ["电梯运行中有异响并突然停顿", "电梯困人,物业已解救,需尽快检修"],
    "safety-falling": ["高层住户把花盆摆在阳台外沿,有坠落危险", "有住户从楼上往下扔垃圾,险些砸到行人"],
    "livelihood-sanitation": ["小区垃圾清运不及时,垃圾桶满溢有异味", "单元门口化粪池污水外溢"],
    "livelihood-utilities": ["冬季暖气不热,室温不足16度", "单元停水两天仍未恢复", "楼道照明线路故障,夜间漆黑"],
    "livelihood-elderly": ["独居老人行动不便,希望有人送餐上门", "高龄老人子女在外地,申请居家养老上门服务"],
    "livelihood-relief": ["低保家庭因病致困,申请临时救助", "重度残疾人家庭申请轮椅等康复辅具"],
    "livelihood-jobs": ["失业人员希望参加社区组织的技能培训", "高校毕业生咨询社区公益性岗位"],
    "urban-parts-manhole": ["人行道井盖缺失,已临时放置锥桶", "雨水井盖破损下沉,车辆经过有响声"],
    "urban-parts-streetlight": ["小区门口路灯连续一周不亮", "路灯杆被车撞歪,向人行道倾斜"],
    "urban-parts-facility": ["广场健身器材损坏,存在安全隐患", "公交站候车座椅破损"],
    "urban-events-stalls": ["商户在人行道上摆摊占道经营", "早市摊贩占用小区消防通道"],
    "urban-events-clutter": ["楼道乱堆乱放杂物", "小区空地堆放建筑垃圾"],
    "urban-events-building": ["顶层住户在楼顶违章搭建阳光房", "一楼住户私自扩建院墙占用绿地"],
    "urban-events-wiring": ["住户从楼上私拉电线给电动车充电", "飞线充电,电线垂挂在人行道上方"],
}
# What whoever resolved it reports back, by kind.
FEEDBACK = {
    "dispute": "已组织双方调解,达成一致意见",
    "stability": "已上门做好解释疏导,情绪稳定",
    "safety": "已到现场排除隐患,并告知住户注意事项",
    "livelihood": "已协调相关单位解决,并回访当事人",
    "urban": "已到现场整改完毕",
}
# Some cases come in by phone (12345) or in person, with the caller's number: they get a 查询码 by
# text message and are rated on a call-back (回访).
CALLER_SOURCES = ["hotline", "walk_in"]
# How far each case gets: weights over the number of steps taken after reporting.
STAGES = ["reported", "accepted", "whistled", "dispatched", "in_progress", "resolved", "closed", "rated"]
WEIGHTS = [3, 2, 2, 3, 4, 2, 3, 5]
# Work waiting for each demo log-in in 银湖社区, whatever the draw above gave them: (how far it
# got, category, grid 1 or 2 of 银湖, hours ago). Some are fresh, some close to or past their
# deadline; what the department holds is 城管局's, the demo officer's.
WAITING = [
    ("reported", "livelihood-utilities", 1, 2),
    ("reported", "safety-lift", 1, 30),
    ("reported", "dispute-neighbour", 2, 5),
    ("reported", "urban-events-stalls", 1, 0.5),
    ("whistled", "urban-parts-manhole", 1, 6),
    ("whistled", "safety-fire", 2, 20),
    ("whistled", "urban-events-building", 1, 50),
    ("dispatched", "urban-parts-streetlight", 1, 10),
    ("dispatched", "urban-events-clutter", 1, 3),
    ("dispatched", "urban-events-wiring", 2, 30),
    ("in_progress", "urban-events-stalls", 1, 72),
    ("in_progress", "urban-parts-facility", 2, 120),
    ("in_progress", "urban-parts-manhole", 1, 300),
    ("resolved", "urban-events-clutter", 1, 48),
    ("resolved", "livelihood-sanitation", 1, 80),
    ("resolved", "urban-parts-streetlight", 2, 60),
]


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
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["grid_a", "grid_b", "community", "street", "officer", "admin"])
    }
    leaves = list(Category.objects.filter(children__isnull=True).order_by("code"))
    buildings = list(Area.objects.filter(tree_id=root.tree_id, kind=AreaKind.BUILDING).order_by("code"))
    grid_1, grid_2 = yinhu.get_children()[:2]
    own = {1: _inside(buildings, grid_1), 2: _inside(buildings, grid_2)}
    now = timezone.now()
    for n in range(count):
        building = rng.choice(own[1]) if n % 3 == 0 else rng.choice(buildings)
        grid = 1 if building in own[1] else 2 if building in own[2] else None
        at = now - datetime.timedelta(days=rng.uniform(0.05, 27))
        stage = rng.choices(STAGES, WEIGHTS)[0]
        _work(rng, building, rng.choice(leaves), _people(users, grid), at, stage, now, caller=n % 5 == 1)
    categories = {c.code: c for c in leaves}
    for stage, code, grid, hours in WAITING:
        at = now - datetime.timedelta(hours=hours)
        _work(rng, rng.choice(own[grid]), categories[code], _people(users, grid), at, stage, now, caller=False)


def _inside(buildings: list[Area], grid: Area) -> list[Area]:
    return [b for b in buildings if grid.lft < b.lft and b.rght < grid.rght]


def _people(users: dict, grid: int | None) -> dict:
    """Who takes each step: in 银湖's first two grids the demo log-ins, elsewhere the admin."""
    if grid is None:
        return {role: users["admin"] for role in ("grid", "community", "street", "officer", "admin")}
    return {
        "grid": users["grid_a" if grid == 1 else "grid_b"],
        "community": users["community"],
        "street": users["street"],
        "officer": users["officer"],  # 城管局's; another department's cases are worked by the admin
        "admin": users["admin"],
    }


def _phone(rng) -> str:
    return rng.choice(["138", "139", "151", "186"]) + f"{rng.randrange(10**8):08d}"


def _work(rng, building, category, by, at, stage, now, *, caller: bool) -> None:
    texts = DESCRIPTIONS[category.code]
    if caller:
        case = services.report_case(
            actor=by["community"],
            category=category,
            area=building,
            description=rng.choice(texts),
            source=rng.choice(CALLER_SOURCES),
            reporter_phone=_phone(rng),
            at=at,
        )
    else:
        case = services.report_case(
            actor=by["grid"], category=category, area=building, description=rng.choice(texts), at=at
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
        handler = by["community"]
    else:
        case = services.whistle_case(case=case, actor=by["community"], note="需职能部门处置", at=later(1))
        if stage == "whistled":
            return
        suggestion = selectors.suggest_department(case)
        department = suggestion.department or Department.objects.get(code="jc-zongzhi")
        case = services.dispatch_case(case=case, actor=by["street"], department=department, at=later(1))
        handler = by["officer"] if department.code == "jc-chengguan" else by["admin"]
        if stage == "dispatched":
            return
        case = services.sign_case(case=case, actor=handler, at=later(rng.uniform(0.5, 30)))
        if stage == "in_progress":
            return
    feedback = FEEDBACK[category.get_root().code]
    case = services.resolve_case(case=case, actor=handler, feedback=feedback, at=later(rng.uniform(4, 120)))
    if stage == "resolved":
        return
    passed = rng.random() > 0.15
    note = "" if passed else "仍未整改到位"
    case = services.verify_case(case=case, actor=by["grid"], passed=passed, note=note, at=later(4))
    if not passed:
        case = services.resolve_case(case=case, actor=handler, feedback="已返工:" + feedback, at=later(24))
        case = services.verify_case(case=case, actor=by["grid"], passed=True, at=later(4))
    if stage == "rated":
        rating = rng.choices(["satisfied", "basic", "dissatisfied"], [7, 2, 1])[0]
        if case.source in CALLER_SOURCES:
            services.rate_by_callback(actor=by["community"], case=case, rating=rating, note="电话回访", at=later(12))
        else:
            services.rate_case(case=case, rating=rating, at=later(12))
