"""A small district built in a transactional test (the persona world is not: a flush would take it
away from the tests after), with what a report needs: categories, a building, staff."""

from importlib import import_module

from django.apps import apps

from cases.models import Category
from orgs.models import Role
from tests.factories import AreaFactory, department, user_with_posts


def small_district(code: str) -> dict:
    if not Category.objects.exists():
        import_module("cases.migrations.0002_categories_and_limits").create(apps, None)
    district = AreaFactory(kind="district", name=f"故障区{code}", code=code)
    street = AreaFactory(kind="street", parent=district)
    community = AreaFactory(kind="community", parent=street)
    grid = AreaFactory(kind="grid", parent=community)
    building = AreaFactory(kind="building", parent=grid)
    dept = department("城管局", district)
    return {
        "building": building,
        "department": dept,
        "grid_worker": user_with_posts(f"f{code}_grid", dict(role=Role.GRID_WORKER, area=grid, slot="A")),
        "community": user_with_posts(f"f{code}_staff", dict(role=Role.COMMUNITY_STAFF, area=community)),
        "street": user_with_posts(f"f{code}_street", dict(role=Role.STREET_STAFF, area=street)),
        "officer": user_with_posts(f"f{code}_officer", dict(role=Role.DEPARTMENT_OFFICER, department=dept)),
    }
