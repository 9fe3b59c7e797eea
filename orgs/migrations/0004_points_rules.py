"""The co-building points thresholds of seed 001, as policy data.

"对低于60分的驻区单位不再享受区域资源共享,对高于100分的单位进行社区荣誉奖励": 低于 and 高于,
like 不满 and 超过, exclude the number itself (unlike 以上 and 以下, Civil Code art. 1259), so
59 loses sharing and 60 keeps it, 101 earns the honour and 100 does not.
"""

from django.db import migrations

CLAUSE = "乐山市城市基层党建:对低于60分的驻区单位不再享受区域资源共享,对高于100分的单位进行社区荣誉奖励"
RULES = [
    ("loses-sharing", "below", 60, "不再享受区域资源共享"),
    ("honour", "above", 100, "授予社区荣誉奖励"),
]


def create(apps, schema_editor):
    PointsRule = apps.get_model("orgs", "PointsRule")
    for code, comparison, threshold, consequence in RULES:
        PointsRule.objects.update_or_create(
            code=code,
            defaults={
                "comparison": comparison,
                "threshold": threshold,
                "inclusive": False,
                "consequence": consequence,
                "clause": CLAUSE,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("orgs", "PointsRule").objects.filter(code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0003_cobuilding")]
    operations = [migrations.RunPython(create, remove)]
