"""The catalogue of seed 004 is in every database (migration 0002), as data kept in admin."""

from django.urls import reverse

from hall.catalogue import CATALOGUE
from hall.models import ServiceCategory, ServiceItem, WindowKind


def test_the_seed_gives_eight_categories_and_thirty_five_items(db):
    assert ServiceCategory.objects.count() == 8
    assert ServiceItem.objects.count() == 35
    assert {i.window for i in ServiceItem.objects.all()} == set(WindowKind.values)


def test_the_items_the_seed_names_are_in_it(db):
    named = {item.name for category in CATALOGUE for item in category.items if item.seed}
    assert named == {"退休人员资格认证", "生育服务证登记", "老年优待卡"}
    assert set(ServiceItem.objects.filter(name__in=named).values_list("name", flat=True)) == named


def test_an_administrator_changes_an_items_time_limit_in_admin(world, client_for):
    found = ServiceItem.objects.get(code="volunteer-registration")
    url = reverse("admin:hall_serviceitem_change", args=[found.pk])
    form = {
        "category": found.category_id, "code": found.code, "name": found.name, "documents": found.documents,
        "limit_days": 7, "window": found.window, "position": found.position, "active": "on",
    }  # fmt: skip
    assert client_for(world.users["admin"]).post(url, form).status_code == 302
    found.refresh_from_db()
    assert found.limit_days == 7
