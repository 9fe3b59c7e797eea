"""Every model is in admin, its pages open, and admin writes go through the services."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services as case_services
from cases.models import Category
from core.scope import SYSTEM
from grids.models import Area, Resident
from tests.grids.test_tree import assert_tree_valid

APP_LABELS = {
    "grids",
    "orgs",
    "cobuilding",
    "funding",
    "cases",
    "gridwork",
    "hall",
    "appraisal",
    "estates",
    "alliances",
}


def _registered():
    return [model for model in admin.site._registry if model._meta.app_label in APP_LABELS]


def test_every_model_of_the_apps_is_registered():
    from django.apps import apps

    models = {m for label in APP_LABELS for m in apps.get_app_config(label).get_models()}
    assert models == set(_registered())


@pytest.mark.parametrize("model", _registered(), ids=lambda m: m._meta.label)
def test_changelist_search_and_add_pages_open(world, client_for, model):
    client = client_for(world.users["admin"])
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "1"}).status_code == 200
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code in (200, 403)  # the audit log is read-only


def test_admin_finds_a_resident_by_exact_id(world, client_for):
    resident = world.residents["C1"]
    response = client_for(world.users["admin"]).post(
        reverse("admin:grids_resident_changelist"), {"number": resident.citizen_id}
    )
    assert list(response.context["cl"].result_list) == [resident]


def test_adding_an_area_in_admin_keeps_the_tree_valid_and_is_logged(world, client_for):
    client = client_for(world.users["admin"])
    response = client.post(
        reverse("admin:grids_area_add"),
        {"kind": "building", "name": "后台新楼", "code": "ADMIN-B1", "parent": world.areas["A"].pk, "address": ""},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    building = Area.objects.get(code="ADMIN-B1")
    assert building.parent_id == world.areas["A"].pk
    assert_tree_valid(building.tree_id)
    assert LogEntry.objects.filter(object_id=str(building.pk)).exists()


def test_admin_refuses_a_bad_id_with_the_reason(world, client_for):
    response = client_for(world.users["admin"]).post(
        reverse("admin:grids_resident_add"),
        {
            "household": world.households["A2"].pk,
            "name": "后台录入",
            "citizen_id": "110105194912310021",
            "phone": "",
            "residence_status": "registered",
            "relation": "spouse",
            "tags-TOTAL_FORMS": 0,
            "tags-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "校验位不正确" in response.content.decode()
    assert not Resident.objects.filter(name="后台录入").exists()


def test_admin_adds_a_resident_through_the_service(world, client_for):
    response = client_for(world.users["admin"]).post(
        reverse("admin:grids_resident_add"),
        {
            "household": world.households["A2"].pk,
            "name": "后台录入",
            "citizen_id": "11010519491231002X",
            "phone": "13812345678",
            "residence_status": "registered",
            "relation": "spouse",
            "tags-TOTAL_FORMS": 0,
            "tags-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    resident = Resident.objects.get(name="后台录入")
    assert (resident.sex, resident.phone) == ("F", "+8613812345678")
    assert resident.citizen_id_hash


def test_the_unmasked_view_log_is_read_only_in_admin(world, client_for):
    client = client_for(world.users["admin"])
    assert client.get(reverse("admin:grids_sensitiveaccess_add")).status_code == 403


def test_admin_refuses_service_points_for_a_member_who_is_not_in_service(world, client_for):
    from orgs.models import PartyMember, ServicePoints

    resident_member = PartyMember.objects.get(name="党员乙")  # a floating member
    response = client_for(world.users["admin"]).post(
        reverse("admin:orgs_servicepoints_add"),
        {"member": resident_member.pk, "on": "2026-10-01", "points": 5, "reason": "志愿服务"},
    )
    assert response.status_code == 200
    assert "服务积分只记在职党员" in response.content.decode()
    assert not ServicePoints.objects.exists()


def test_admin_registers_a_household_through_the_service_and_only_on_a_building(world, client_for):
    from grids.models import Household

    client = client_for(world.users["admin"])
    form = {
        "unit": "1",
        "floor": 5,
        "room": "501",
        "occupancy": "owner",
        "tags-TOTAL_FORMS": 0,
        "tags-INITIAL_FORMS": 0,
    }
    refused = client.post(reverse("admin:grids_household_add"), {**form, "building": world.areas["A"].pk})
    assert refused.status_code == 200
    assert "building" in refused.context["adminform"].form.errors  # only buildings are offered
    added = client.post(reverse("admin:grids_household_add"), {**form, "building": world.areas["A2"].pk})
    assert added.status_code == 302
    assert Household.objects.filter(building=world.areas["A2"], room="501").exists()


def test_new_unit_costs_and_owners_committees_belong_to_the_right_kind_of_area(world):
    from django.core.exceptions import ValidationError

    from core.scope import SYSTEM
    from funding.services import record_new_unit_cost
    from grids.services import register_household
    from orgs.models import OwnersCommittee

    with pytest.raises(ValidationError, match="须为社区"):
        record_new_unit_cost(
            actor=SYSTEM,
            year=2026,
            community=world.areas["A"],
            new_staff=1,
            new_staff_annual_salary=1,
            new_venue_cost=0,
        )
    with pytest.raises(ValidationError, match="住户只能登记在楼栋下"):
        register_household(actor=SYSTEM, building=world.areas["A"], floor=1, room="101")
    with pytest.raises(ValidationError, match="业主委员会须设在小区"):
        OwnersCommittee(compound=world.areas["A1"], name="x").full_clean()


def test_adding_a_case_category_in_admin_goes_through_the_service_and_keeps_the_tree_valid(world, client_for):
    parent = Category.objects.get(code="dispute")
    response = client_for(world.users["admin"]).post(
        reverse("admin:cases_category_add"),
        {"name": "噪音纠纷", "code": "dispute-noise", "parent": parent.pk, "importance": "normal", "urgency": "normal"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    noise = Category.objects.get(code="dispute-noise")
    assert noise.is_descendant_of(parent)
    nodes = list(Category.objects.filter(tree_id=parent.tree_id).values_list("lft", "rght"))
    assert sorted(edge for node in nodes for edge in node) == list(range(1, 2 * len(nodes) + 1))


def test_a_saved_case_category_keeps_its_parent(world):
    clutter = Category.objects.get(code="urban-events-clutter")
    clutter.parent = Category.objects.get(code="dispute")
    with pytest.raises(ValidationError, match="已有类别不能调整上级"):
        case_services.save_category(actor=SYSTEM, category=clutter)


def test_an_admin_resident_is_recorded_as_the_admins_write_by_field_names(world, client_for):
    from core.models import AuditEntry

    admin_user = world.users["admin"]
    client_for(admin_user).post(
        reverse("admin:grids_resident_add"),
        {
            "household": world.households["A2"].pk,
            "name": "后台审计",
            "citizen_id": "11010519491231002X",
            "phone": "",
            "residence_status": "registered",
            "relation": "spouse",
            "tags-TOTAL_FORMS": 0,
            "tags-INITIAL_FORMS": 0,
        },
    )
    resident = Resident.objects.get(name="后台审计")
    entry = AuditEntry.objects.get(action="grids.register_resident", target_id=str(resident.pk))
    assert (entry.actor, entry.capacity) == (admin_user, "admin")
    assert "citizen_id" in entry.fields and "11010519491231002X" not in str(entry.fields)


def test_admin_service_points_go_through_the_service_and_are_recorded(world, client_for):
    from core.models import AuditEntry
    from orgs.models import PartyMember, ServicePoints

    member = PartyMember.objects.get(name="在职党员丁")
    response = client_for(world.users["admin"]).post(
        reverse("admin:orgs_servicepoints_add"),
        {"member": member.pk, "on": "2026-10-01", "points": 5, "reason": "志愿服务"},
    )
    assert response.status_code == 302
    entry = ServicePoints.objects.get(member=member)
    assert AuditEntry.objects.filter(action="orgs.award_points", target_id=str(entry.pk)).exists()


def test_a_group_robot_changed_or_removed_in_admin_is_recorded_with_who_did_it(world, client_for):
    from cases.models import WorkChatHook
    from core.models import AuditEntry

    client = client_for(world.users["admin"])
    add = {"provider": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1", "active": "on"}
    response = client.post(reverse("admin:cases_workchathook_add"), {**add, "area": world.areas["K1"].pk})
    assert response.status_code == 302, response.context["adminform"].form.errors
    hook = WorkChatHook.objects.get()
    client.post(reverse("admin:cases_workchathook_delete", args=[hook.pk]), {"post": "yes"})
    assert not WorkChatHook.objects.exists()
    entries = AuditEntry.objects.filter(action__startswith="work_chat_hook.").order_by("pk")
    assert [(e.action, e.actor_id, e.target_id) for e in entries] == [
        ("work_chat_hook.create", world.users["admin"].pk, str(hook.pk)),
        ("work_chat_hook.delete", world.users["admin"].pk, str(hook.pk)),
    ]


def test_reply_templates_removed_in_admin_in_bulk_are_each_recorded(world, client_for):
    from cases.models import ReplyTemplate
    from core.models import AuditEntry

    made = [ReplyTemplate.objects.create(title=f"常用语{i}", text="已受理", step="accept") for i in range(2)]
    client = client_for(world.users["admin"])
    response = client.post(
        reverse("admin:cases_replytemplate_changelist"),
        {"action": "delete_selected", "_selected_action": [t.pk for t in made], "post": "yes"},
    )
    assert response.status_code == 302 and not ReplyTemplate.objects.exists()
    assert sorted(
        AuditEntry.objects.filter(action="reply_template.delete").values_list("target_id", flat=True)
    ) == sorted(str(t.pk) for t in made)


def test_admin_changes_co_building_and_roll_records_through_their_update_steps(world, units, client_for):
    """A change in admin is the update service's (recorded as such), the fields that change by a
    step of their own are read only, and nothing kept on the pages is deleted in admin."""
    from cobuilding.models import CoBuildingUnit
    from core.models import AuditEntry
    from orgs.models import PartyMember

    client = client_for(world.users["admin"])
    hospital = units["hospital"]
    change = client.get(reverse("admin:cobuilding_cobuildingunit_change", args=[hospital.pk]))
    assert {"community", "ended_on", "end_reason"} <= set(change.context["adminform"].readonly_fields)
    data = {
        "name": "区人民医院", "kind": hospital.kind, "credit_code": hospital.credit_code, "address": "", "contact": "",
        "phone": "", "points-TOTAL_FORMS": "0", "points-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(reverse("admin:cobuilding_cobuildingunit_change", args=[hospital.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    hospital.refresh_from_db()
    assert (hospital.name, hospital.community) == ("区人民医院", world.areas["K1"])
    assert AuditEntry.objects.filter(action="cobuilding.update_unit", target_id=str(hospital.pk)).exists()
    delete = reverse("admin:cobuilding_cobuildingunit_delete", args=[hospital.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert CoBuildingUnit.objects.filter(pk=hospital.pk).exists()

    member = PartyMember.objects.get(name="在职党员丁")
    page = client.get(reverse("admin:orgs_partymember_change", args=[member.pk]))
    assert "households" in page.context["adminform"].readonly_fields
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(name="在职党员丁(改)", **{"points-TOTAL_FORMS": "0", "points-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:orgs_partymember_change", args=[member.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.filter(action="orgs.update_member", target_id=str(member.pk)).get()
    assert entry.fields == ["name"]
    assert client.post(reverse("admin:orgs_partymember_delete", args=[member.pk]), {"post": "yes"}).status_code == 403
