"""The seven key groups of seed 002, with the law that allows keeping each tag.

Sensitive: the groups whose tag reveals health, finances or a criminal record, which PIPL
art. 28 counts as sensitive personal information.
"""

from django.db import migrations

KEY_GROUPS = [
    ("empty-nest-elderly", "空巢老人", "resident", False, "《中华人民共和国老年人权益保障法》"),
    ("disabled", "残疾人", "resident", True, "《中华人民共和国残疾人保障法》"),
    ("subsistence-allowance", "低保家庭", "household", True, "《社会救助暂行办法》"),
    ("floating-population", "流动人口", "resident", False, "《居住证暂行条例》"),
    ("rented-housing", "出租房屋", "household", False, "《商品房屋租赁管理办法》"),
    ("released-prisoner", "刑释解教人员", "resident", True, "《中华人民共和国监狱法》第三十五至三十八条"),
    ("community-corrections", "社区矫正人员", "resident", True, "《中华人民共和国社区矫正法》"),
]


def create(apps, schema_editor):
    KeyGroup = apps.get_model("grids", "KeyGroup")
    for order, (code, name, applies_to, sensitive, basis) in enumerate(KEY_GROUPS, start=1):
        KeyGroup.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "applies_to": applies_to,
                "sensitive": sensitive,
                "default_legal_basis": basis,
                "order": order,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("grids", "KeyGroup").objects.filter(code__in=[g[0] for g in KEY_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("grids", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
