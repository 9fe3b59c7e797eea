"""Who pays the district's optional subsidies: the document says the district may grant them and
names no other payer, so the district or county pays in full (marked as an assumption, as for
the 300 元 grid-leader subsidy)."""

from django.db import migrations

ITEMS = ["branch_committee_subsidy", "building_group_leader_subsidy", "building_head_subsidy"]


def create(apps, schema_editor):
    Policy = apps.get_model("funding", "Policy")
    CostSplit = apps.get_model("funding", "CostSplit")
    policy = Policy.objects.filter(code="yinchuan-4you4ti").first()
    if policy is None:
        return
    clause = policy.monthlysubsidy_set.get(role="grid_leader").clause
    for item in ITEMS:
        for fiscal_class in ("city_district", "county"):
            CostSplit.objects.update_or_create(
                policy=policy,
                item=item,
                fiscal_class=fiscal_class,
                defaults={"city_parts": 0, "local_parts": 1, "stated": False, "clause": clause},
            )


def remove(apps, schema_editor):
    apps.get_model("funding", "CostSplit").objects.filter(item__in=ITEMS).delete()


class Migration(migrations.Migration):
    dependencies = [("funding", "0008_optional_subsidies")]
    operations = [migrations.RunPython(create, remove)]
