"""The category tree of seeds 002 and 003, default time limits per colour, and score weights.

Categories: the four kinds of seed 003's closed loop (矛盾纠纷, 涉稳信息, 安全隐患, 民生诉求) and
城市管理 with the 部件 / 事件 split of digital urban management. 涉稳信息 is for staff only.
Time limits (限时办结, seed 002, which names no figures): red answers in 2 hours and is resolved in
1 working day, orange 4 h / 3, yellow 12 h / 7, blue 1 working day / 15; an overdue red case is
escalated automatically. Weights of the composite score: response 0.2, resolution 0.2,
satisfaction 0.3, on-time closure 0.2, (1 − rework rate) 0.1. All of it is data, changed in admin.
"""

from django.db import migrations

H, N = "high", "normal"
# (code, name, importance, urgency, resident may pick, children)
TREE = [
    ("dispute", "矛盾纠纷", N, H, False, [
        ("dispute-neighbour", "邻里纠纷", N, H, True),
        ("dispute-family", "家庭纠纷", N, H, True),
        ("dispute-property", "物业纠纷", N, N, True),
        ("dispute-labour", "劳资纠纷", H, N, True),
    ]),
    ("stability", "涉稳信息", H, H, False, [
        ("stability-group", "群体性事件苗头", H, H, False),
        ("stability-petition", "信访隐患", H, N, False),
    ]),
    ("safety", "安全隐患", H, N, False, [
        ("safety-fire", "消防隐患", H, H, True),
        ("safety-gas", "燃气隐患", H, H, True),
        ("safety-house", "房屋安全", H, N, True),
        ("safety-lift", "电梯故障", H, H, True),
        ("safety-falling", "高空坠物", H, H, True),
    ]),
    ("livelihood", "民生诉求", N, N, False, [
        ("livelihood-sanitation", "环境卫生", N, N, True),
        ("livelihood-utilities", "供水供电供暖", N, H, True),
        ("livelihood-elderly", "养老服务", N, N, True),
        ("livelihood-relief", "困难救助", H, N, True),
        ("livelihood-jobs", "就业帮扶", N, N, True),
    ]),
    ("urban", "城市管理", N, N, False, [
        ("urban-parts", "部件", N, N, False, [
            ("urban-parts-manhole", "井盖缺失破损", H, H, True),
            ("urban-parts-streetlight", "路灯损坏", N, N, True),
            ("urban-parts-facility", "公共设施损坏", N, N, True),
        ]),
        ("urban-events", "事件", N, N, False, [
            ("urban-events-stalls", "占道经营", N, N, True),
            ("urban-events-clutter", "乱堆乱放", N, N, True),
            ("urban-events-building", "违章搭建", H, N, True),
            ("urban-events-wiring", "私拉电线充电", H, H, True),
        ]),
    ]),
]

LIMITS = [
    # colour, response, unit, resolution working days, escalate when overdue
    ("red", 2, "hours", 1, True),
    ("orange", 4, "hours", 3, False),
    ("yellow", 12, "hours", 7, False),
    ("blue", 1, "working_days", 15, False),
]

WEIGHTS = [("response", "0.20"), ("resolution", "0.20"), ("satisfaction", "0.30"), ("on_time", "0.20"), ("rework", "0.10")]


def create(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    TimeLimit = apps.get_model("cases", "TimeLimit")
    MetricWeight = apps.get_model("cases", "MetricWeight")
    # Historical models have no django-mptt methods: number the nested sets here, one tree per root.
    for tree_id, root in enumerate(sorted(TREE), start=Category.objects.values("tree_id").distinct().count() + 1):
        counter = [0]

        def add(node, parent, level):
            code, name, importance, urgency, pickable, *rest = node
            counter[0] += 1
            row = Category(
                code=code, name=name, importance=importance, urgency=urgency, resident_pickable=pickable,
                parent=parent, tree_id=tree_id, level=level, lft=counter[0], rght=0,
            )
            row.save()
            for child in sorted(rest[0] if rest else []):
                add(child, row, level + 1)
            counter[0] += 1
            row.rght = counter[0]
            row.save(update_fields=["rght"])

        add(root, None, 0)
    for colour, response, unit, days, escalate in LIMITS:
        TimeLimit.objects.create(
            colour=colour, response=response, response_unit=unit, resolution_working_days=days,
            escalate_when_overdue=escalate,
        )
    for metric, weight in WEIGHTS:
        MetricWeight.objects.create(metric=metric, weight=weight)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
