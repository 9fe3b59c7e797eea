"""The default 物业考核办法. Seed 000 orders the system (健全物业服务企业准入退出、考核评估等制度)
but sets no figures: the weights, the pass mark and the period below are this platform's defaults
for a street to replace by a new rule from its own date, and the clause says so."""

import datetime
from decimal import Decimal

from django.db import migrations

CLAUSE = (
    "《关于推行“四优四提”城市党建引领社区治理现代化实施意见(试行)》(银川市,种子文件000)"
    "“优化治理机制提升多元共治力”:改进物业服务机制,建立物业服务企业市场竞争机制,"
    "健全物业服务企业准入退出、考核评估等制度,促进物业服务质量提升。"
    "文件未规定分值;以下权重、合格分和整改期限为本平台默认值,由街道以新办法替换。"
)


def seed(apps, schema_editor):
    apps.get_model("estates", "AssessmentRule").objects.get_or_create(
        starts_on=datetime.date(2020, 1, 1),
        defaults={
            "name": "物业服务企业考核评估办法(默认)",
            "satisfaction_weight": Decimal(40),
            "timeliness_weight": Decimal(30),
            "volume_weight": Decimal(10),
            "inspection_weight": Decimal(20),
            "points_per_case": Decimal(2),
            "pass_score": Decimal(60),
            "rectify_working_days": 15,
            "clause": CLAUSE,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("estates", "0001_property")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
