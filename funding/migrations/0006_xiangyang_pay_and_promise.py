"""Seed 003's pay rules as a second policy, and seed 000's pay-rise promise as a row of the first.

Seed 003 (汉江网, 2019-12-04) cites 鄂发〔2017〕30号 for the allowance and the Xiangyang pay
structure 基本工资+工作年限+等级工资+绩效工资+年度奖励工资.
"""

import datetime
from decimal import Decimal

from django.db import migrations

ALLOWANCE = (
    "省委、省政府发文明确规定(鄂发【2017】30号),对获得初、中、高级的社会工作职业资格的在岗社区工作者,"
    "按规定享受初级200元/每月、中级300元/每月、高级500元/每月的职业津贴"
)
STRUCTURE = "参照社区网格员“基本工资+工作年限+等级工资+绩效工资+年度奖励工资”的结构体系标准"
PROMISE = "加强人员工资保障,按照有关标准,整体社区工作者薪酬逐年予以递增,三年内平均月增资不少于500元。"


def create(apps, schema_editor):
    Policy = apps.get_model("funding", "Policy")
    policy, _ = Policy.objects.update_or_create(
        code="xiangyang-worker-pay",
        defaults={
            "subject": "worker_pay",
            "issuing_body": "中共湖北省委、湖北省人民政府(鄂发〔2017〕30号),襄阳市执行",
            "title": "社区工作者工资结构体系与职业津贴",
            "issued_on": datetime.date(2017, 1, 1),
            "jurisdiction": "湖北省襄阳市",
            "effective_from": datetime.date(2018, 1, 1),
            "effective_to": None,
            "note": f"工资结构:{STRUCTURE}。发文日期按文号年份记为2017年。",
        },
    )
    allowances = apps.get_model("funding", "ProfessionalAllowance")
    for qualification, amount in [("none", "0"), ("junior", "200"), ("intermediate", "300"), ("senior", "500")]:
        allowances.objects.update_or_create(
            policy=policy,
            qualification=qualification,
            defaults={"monthly_amount": Decimal(amount), "clause": ALLOWANCE},
        )
    funds = Policy.objects.get(code="yinchuan-4you4ti")
    apps.get_model("funding", "PayRisePromise").objects.update_or_create(
        policy=funds, defaults={"years": 3, "minimum_monthly_rise": Decimal("500"), "clause": PROMISE}
    )


def remove(apps, schema_editor):
    apps.get_model("funding", "Policy").objects.filter(code="xiangyang-worker-pay").delete()
    apps.get_model("funding", "PayRisePromise").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("funding", "0005_pay")]
    operations = [migrations.RunPython(create, remove)]
