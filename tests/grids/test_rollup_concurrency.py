"""Two writers in one building, or in one community, at the same moment both count, on PostgreSQL's
row locks."""

import pytest
from django.db import connection

from grids import services
from grids.models import AreaKind, BuildingCount, CommunityCount
from orgs.models import Role
from tests.factories import AreaFactory, user_with_posts
from tests.threads import second_waits_on_first

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two connections"),
    pytest.mark.django_db(transaction=True),
]


def test_two_households_registered_at_once_in_one_building_are_both_counted():
    district = AreaFactory(kind=AreaKind.DISTRICT, name="计数区", code="980299000000")
    community = AreaFactory(kind=AreaKind.COMMUNITY, parent=AreaFactory(kind=AreaKind.STREET, parent=district))
    building = AreaFactory(kind=AreaKind.BUILDING, parent=AreaFactory(kind=AreaKind.GRID, parent=community))
    staff = user_with_posts("count_staff", dict(role=Role.COMMUNITY_STAFF, area=community))
    errors, _waited = second_waits_on_first(
        lambda: services.register_household(actor=staff, building=building, floor=1, room="101"),
        lambda: services.register_household(actor=staff, building=building, floor=1, room="102"),
    )
    assert errors == []
    assert BuildingCount.objects.get(building=building).households == 2


def test_two_households_registered_at_once_in_two_buildings_of_one_community_are_both_counted():
    """The second writer sums the community's buildings only after the first has committed: it
    waits on the audit chain's lock, and then on the community's row, which would order the two
    on its own. Summing at once, each would miss the other's household."""
    district = AreaFactory(kind=AreaKind.DISTRICT, name="计数区", code="980298000000")
    community = AreaFactory(kind=AreaKind.COMMUNITY, parent=AreaFactory(kind=AreaKind.STREET, parent=district))
    grid = AreaFactory(kind=AreaKind.GRID, parent=community)
    first, second = (AreaFactory(kind=AreaKind.BUILDING, parent=grid) for _ in range(2))
    staff = user_with_posts("count_staff_2", dict(role=Role.COMMUNITY_STAFF, area=community))
    # The community's row is there already, so neither writer waits on the other's insert of it.
    services.register_household(actor=staff, building=first, floor=1, room="100")
    errors, waited = second_waits_on_first(
        lambda: services.register_household(actor=staff, building=first, floor=1, room="101"),
        lambda: services.register_household(actor=staff, building=second, floor=1, room="101"),
    )
    assert errors == []
    assert waited
    assert CommunityCount.objects.get(community=community).households == 3
