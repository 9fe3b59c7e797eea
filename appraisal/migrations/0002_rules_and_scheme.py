"""The training rule and the first scheme of the yearly evaluation, both of seed 003 (Xiangyang).

Training: 以城区街道为单位,每年组织开展不少于两次的专题培训,培训不合格不得上岗 → at least 2 a year.
The scheme: 重点考核事件办理、便民服务、群众评价和重大维稳信息、安全隐患的排查化解等情况 names the
five measures; the seed gives no figures, so the weights (100 points in all) and the figures that
earn them are this district's first cut, changed in admin: cases reported 20 (24 a year, two a
month), cases verified 10 (12), visits against the plan 20 (all of it), services 10 (50),
residents' satisfaction 20 (100 %), stability reports 10 (4), hazards 10 (12). The scale: 优秀
from 90, 良好 75, 合格 60; below 合格 the seed's 评估不达标下岗接受培训."""

from decimal import Decimal

from django.db import migrations

TRAINING_CLAUSE = "健全常态化的教育培训机制,以城区街道为单位,每年组织开展不少于两次的专题培训,培训不合格不得上岗"
SCHEME_CLAUSE = (
    "每年年底,对网格员履职尽责的情况,进行综合评估,评估不达标下岗接受培训,培训合格方可上岗;"
    "健全信息化的绩效考核机制,重点考核事件办理、便民服务、群众评价和重大维稳信息、安全隐患的排查化解等情况"
)
SOURCE = "襄阳市《关于加强城市基层治理的建议》(种子文件003)"
# (measure, weight, full at)
MEASURES = [
    ("cases_reported", 20, 24),
    ("cases_verified", 10, 12),
    ("visits", 20, 1),
    ("services", 10, 50),
    ("residents", 20, 1),
    ("stability", 10, 4),
    ("hazards", 10, 12),
]


def seed(apps, schema_editor):
    TrainingRule = apps.get_model("appraisal", "TrainingRule")
    Scheme = apps.get_model("appraisal", "Scheme")
    SchemeMeasure = apps.get_model("appraisal", "SchemeMeasure")
    TrainingRule.objects.create(min_sessions=2, clause=TRAINING_CLAUSE, source=SOURCE, starts_on="2020-01-01")
    scheme = Scheme.objects.create(
        name="网格员年度综合评估方案",
        year_from=2020,
        clause=f"{SCHEME_CLAUSE}({SOURCE})",
        excellent_from=Decimal(90),
        good_from=Decimal(75),
        pass_from=Decimal(60),
    )
    for order, (measure, weight, full_at) in enumerate(MEASURES):
        SchemeMeasure.objects.create(
            scheme=scheme, measure=measure, weight=Decimal(weight), full_at=Decimal(full_at), order=order
        )


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
