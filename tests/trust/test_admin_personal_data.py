"""Finding 8: admin shows residents masked, reveals them only with a recorded reason, and a key group's
`sensitive` flag is changed on its own form, through a service that records who turned it which way."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.masking import mask_citizen_id, mask_phone
from core.models import AuditEntry, Result
from core.scope import SYSTEM
from grids import services
from grids.models import KeyGroup, Resident, SensitiveAccess
from tests.factories import key_group

PHONE = "13812345678"


@pytest.fixture
def resident(world):
    resident = world.residents["A2"]
    return services.update_resident(
        actor=SYSTEM,
        resident=resident,
        name=resident.name,
        phone=PHONE,
        residence_status=resident.residence_status,
        relation=resident.relation,
    )


@pytest.fixture
def admin_client(world, client_for):
    return client_for(world.users["admin"])


def _change_form(resident: Resident, **changes) -> dict:
    return {
        "household": resident.household_id,
        "name": resident.name,
        "residence_status": resident.residence_status,
        "relation": resident.relation,
        "new_citizen_id": "",
        "new_phone": "",
        "tags-TOTAL_FORMS": 0,
        "tags-INITIAL_FORMS": 0,
        **changes,
    }


def test_the_change_form_shows_the_id_and_phone_masked_only(resident, admin_client):
    page = admin_client.get(reverse("admin:grids_resident_change", args=[resident.pk])).content.decode()
    assert mask_citizen_id(resident.citizen_id) in page and mask_phone(resident.phone) in page
    assert resident.citizen_id not in page
    assert PHONE not in page
    assert not SensitiveAccess.objects.exists()


def test_the_change_list_shows_them_masked_only(resident, admin_client):
    page = admin_client.get(reverse("admin:grids_resident_changelist")).content.decode()
    assert mask_citizen_id(resident.citizen_id) in page
    assert resident.citizen_id not in page and PHONE not in page


def test_the_admin_reveal_is_recorded_like_the_pages(world, resident, admin_client):
    url = reverse("admin:grids_resident_reveal", args=[resident.pk])
    assert resident.citizen_id not in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"reason": "核对户籍登记信息"})
    page = response.content.decode()
    assert resident.citizen_id in page and PHONE in page
    assert "no-store" in response["Cache-Control"]
    access = SensitiveAccess.objects.get()
    assert (access.user, access.resident, access.reason) == (world.users["admin"], resident, "核对户籍登记信息")
    entry = AuditEntry.objects.get(action="grids.reveal_resident")
    assert (entry.actor, entry.target_id) == (world.users["admin"], str(resident.pk))


def test_the_admin_reveal_needs_a_reason_and_shows_nothing_without_one(resident, admin_client):
    response = admin_client.post(reverse("admin:grids_resident_reveal", args=[resident.pk]), {"reason": "看"})
    assert response.status_code == 400
    assert resident.citizen_id not in response.content.decode()
    assert not SensitiveAccess.objects.exists()


def test_the_admin_reveal_of_a_resident_that_does_not_exist_is_404(admin_client):
    response = admin_client.post(reverse("admin:grids_resident_reveal", args=[999999]), {"reason": "核对信息"})
    assert response.status_code == 404


def test_staff_without_the_permission_see_nothing_in_full(world, resident, client_for):
    staff = User.objects.create_user("viewer", password="pw", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_resident"))
    response = client_for(staff).post(
        reverse("admin:grids_resident_reveal", args=[resident.pk]), {"reason": "核对户籍登记信息"}
    )
    assert resident.citizen_id not in response.content.decode()
    assert not SensitiveAccess.objects.exists()


def test_a_phone_typed_on_the_change_form_replaces_it_and_blank_keeps_it(resident, admin_client):
    url = reverse("admin:grids_resident_change", args=[resident.pk])
    assert admin_client.post(url, _change_form(resident, name="改名")).status_code == 302
    kept = Resident.objects.unscoped("test").get(pk=resident.pk)
    assert (kept.name, kept.phone, kept.citizen_id) == ("改名", "+86" + PHONE, resident.citizen_id)
    assert admin_client.post(url, _change_form(resident, new_phone="13912345678")).status_code == 302
    assert Resident.objects.unscoped("test").get(pk=resident.pk).phone == "+8613912345678"
    assert admin_client.post(url, _change_form(resident, clear_phone="on")).status_code == 302
    assert not Resident.objects.unscoped("test").get(pk=resident.pk).phone


def test_an_id_typed_on_the_change_form_corrects_it_through_the_service(resident, admin_client):
    url = reverse("admin:grids_resident_change", args=[resident.pk])
    assert admin_client.post(url, _change_form(resident, new_citizen_id="11010519491231002X")).status_code == 302
    corrected = Resident.objects.unscoped("test").get(pk=resident.pk)
    assert (corrected.citizen_id, corrected.sex, str(corrected.birth_date)) == ("11010519491231002X", "F", "1949-12-31")
    assert AuditEntry.objects.filter(action="grids.correct_citizen_id", target_id=str(resident.pk)).exists()


def test_the_sensitive_flag_is_not_editable_on_the_key_group_list(world, admin_client):
    page = admin_client.get(reverse("admin:grids_keygroup_changelist")).content.decode()
    assert 'name="form-0-sensitive"' not in page
    group = key_group("empty-nest-elderly")
    # What list editing would post: the list takes no edits.
    admin_client.post(
        reverse("admin:grids_keygroup_changelist"),
        {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-0-id": group.pk, "form-0-sensitive": "on", "_save": "1"},
    )
    assert not KeyGroup.objects.get(pk=group.pk).sensitive


def _key_group_form(group: KeyGroup, **changes) -> dict:
    fields = ["code", "name", "applies_to", "default_legal_basis", "order"]
    return {**{name: getattr(group, name) for name in fields}, "sensitive": "on" if group.sensitive else "", **changes}


def test_turning_a_group_sensitive_in_admin_records_who_and_which_way(world, admin_client):
    group = key_group("empty-nest-elderly")
    url = reverse("admin:grids_keygroup_change", args=[group.pk])
    assert admin_client.post(url, _key_group_form(group, sensitive="on")).status_code == 302
    assert admin_client.post(url, _key_group_form(group, sensitive="")).status_code == 302
    entries = AuditEntry.objects.filter(target_id=str(group.pk), action__contains="key_group").order_by("pk")
    assert [(e.action, e.actor, e.fields, e.result) for e in entries] == [
        ("grids.mark_key_group_sensitive", world.users["admin"], ["sensitive"], Result.OK),
        ("grids.unmark_key_group_sensitive", world.users["admin"], ["sensitive"], Result.OK),
    ]


def test_only_an_unrestricted_admin_may_change_a_group_and_a_refusal_is_recorded(world):
    group = key_group("disabled")
    staff = User.objects.create_user("configurer", password="pw", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="change_keygroup"))
    group.sensitive = False
    with pytest.raises(PermissionDenied):
        services.save_key_group(actor=staff, group=group)
    assert KeyGroup.objects.get(pk=group.pk).sensitive
    entry = AuditEntry.objects.get(action="grids.unmark_key_group_sensitive")
    assert (entry.actor, entry.result, entry.fields) == (staff, Result.REFUSED, ["sensitive"])


def test_a_staff_member_with_the_model_permission_gets_no_key_group_form(world, client_for):
    staff = User.objects.create_user("configurer", password="pw", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_keygroup", "view_keygroup"]))
    group = key_group("disabled")
    client = client_for(staff)
    client.post(reverse("admin:grids_keygroup_change", args=[group.pk]), _key_group_form(group, sensitive=""))
    assert KeyGroup.objects.get(pk=group.pk).sensitive
