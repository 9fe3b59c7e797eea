"""Seed 000: Yinchuan's 《关于推行“四优四提”城市党建引领社区治理现代化实施意见》 as policy rows.

The article gives no date; the policy is taken as in force from 2021-01-01, the first budget
year after its publication, with no end. The service-fund bands overlap at 3,000 and 5,000
("3000户以下 … 3000~5000户 … 5000户以上"); read as Chinese law reads 以上/以下 (Civil Code
art. 1259: the number itself is included): ≤3,000 → 170,000; 3,001–4,999 → 180,000;
≥5,000 → 200,000. The 300 元 grid-leader subsidy names no payer: the budget puts it on the
district or county and marks it as an assumption.
"""

import datetime
from decimal import Decimal

from django.db import migrations

CODE = "yinchuan-4you4ti"
PARTY = (
    "加强社区经费保障,社区党建经费按照党委、党总支、党支部分别为10万元、6万元、4万元的标准列支,"
    "所需资金按照市级、市辖三区财政5:5的比例承担,两县一市由同级财政全额予以保障。"
)
SERVICE = (
    "加大对社区为民服务和发展专项资金投入,按照常住人口数量以3000户以下每年17万元、3000~5000户每年18万元、"
    "5000户以上每年20万元的标准执行,所需资金按照市级、市辖三区财政6:4的比例承担,两县一市由同级财政全额予以保障。"
)
SUBSIDY = (
    "每月给予网格(居民区)党组织负责人300元工作补助;区(市、县)可以根据实际情况给予网格(居民区)支部委员、"
    "楼栋党小组组长、楼栋长等一定工作补助。"
)
STAFF = (
    "对于因增设社区或增加网格而新增的社区“两委”成员及网格员工资,按照市、区两级5:5的标准予以保障,"
    "两县一市由同级财政全额予以保障。"
)
VENUE = "对现有社区重新划分的,新增社区党组织阵地通过划拨、购买等方式解决,所需资金由市、县(市)区财政按照5:5承担。"
READING_LOW = "“3000户以下”含3000户(《民法典》第一千二百五十九条:以上、以下含本数)"
READING_MID = "3000~5000户与两端重叠,按以上、以下含本数解释为3001至4999户"
READING_HIGH = "“5000户以上”含5000户(《民法典》第一千二百五十九条)"


def create(apps, schema_editor):
    Policy = apps.get_model("funding", "Policy")
    policy, _ = Policy.objects.update_or_create(
        code=CODE,
        defaults={
            "issuing_body": "中共银川市委",
            "title": "关于推行“四优四提”城市党建引领社区治理现代化实施意见",
            "issued_on": None,
            "jurisdiction": "银川市(市辖三区及两县一市)",
            "effective_from": datetime.date(2021, 1, 1),
            "effective_to": None,
            "note": "原文未载明发文日期;自2021年度起测算。",
        },
    )
    rates = apps.get_model("funding", "PartyBuildingRate")
    for kind, amount in [
        ("community_committee", "100000"),
        ("community_general_branch", "60000"),
        ("community_branch", "40000"),
    ]:
        rates.objects.update_or_create(
            policy=policy, org_kind=kind, defaults={"annual_amount": Decimal(amount), "clause": PARTY}
        )
    bands = apps.get_model("funding", "HouseholdBand")
    bands.objects.filter(policy=policy).delete()
    for low, low_incl, high, high_incl, amount, reading in [
        (None, True, 3000, True, "170000", READING_LOW),
        (3000, False, 5000, False, "180000", READING_MID),
        (5000, True, None, True, "200000", READING_HIGH),
    ]:
        bands.objects.create(
            policy=policy,
            min_households=low,
            min_inclusive=low_incl,
            max_households=high,
            max_inclusive=high_incl,
            annual_amount=Decimal(amount),
            reading=reading,
            clause=SERVICE,
        )
    subsidies = apps.get_model("funding", "MonthlySubsidy")
    for role, amount in [
        ("grid_leader", "300"),
        ("branch_committee_member", "0"),
        ("building_group_leader", "0"),
        ("building_head", "0"),
    ]:
        subsidies.objects.update_or_create(
            policy=policy, role=role, defaults={"monthly_amount": Decimal(amount), "clause": SUBSIDY}
        )
    splits = apps.get_model("funding", "CostSplit")
    for item, fiscal_class, city, local, stated, clause in [
        ("party_building", "city_district", 5, 5, True, PARTY),
        ("party_building", "county", 0, 1, True, PARTY),
        ("service_fund", "city_district", 6, 4, True, SERVICE),
        ("service_fund", "county", 0, 1, True, SERVICE),
        ("new_staff_salaries", "city_district", 5, 5, True, STAFF),
        ("new_staff_salaries", "county", 0, 1, True, STAFF),
        ("new_venue", "city_district", 5, 5, True, VENUE),
        ("new_venue", "county", 5, 5, True, VENUE),
        ("grid_leader_subsidy", "city_district", 0, 1, False, SUBSIDY),
        ("grid_leader_subsidy", "county", 0, 1, False, SUBSIDY),
    ]:
        splits.objects.update_or_create(
            policy=policy,
            item=item,
            fiscal_class=fiscal_class,
            defaults={"city_parts": city, "local_parts": local, "stated": stated, "clause": clause},
        )


def remove(apps, schema_editor):
    apps.get_model("funding", "Policy").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
