"""Two writers in one building at the same moment both count, on PostgreSQL's row locks."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from grids import services
from grids.models import AreaKind, BuildingCount
from orgs.models import Role
from tests.factories import AreaFactory, user_with_posts

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two connections"),
    pytest.mark.django_db(transaction=True),
]


def test_two_households_registered_at_once_in_one_building_are_both_counted():
    district = AreaFactory(kind=AreaKind.DISTRICT, name="计数区", code="980299000000")
    community = AreaFactory(kind=AreaKind.COMMUNITY, parent=AreaFactory(kind=AreaKind.STREET, parent=district))
    building = AreaFactory(kind=AreaKind.BUILDING, parent=AreaFactory(kind=AreaKind.GRID, parent=community))
    staff = user_with_posts("count_staff", dict(role=Role.COMMUNITY_STAFF, area=community))
    holding, release = threading.Event(), threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                services.register_household(actor=staff, building=building, floor=1, room="101")
                holding.set()  # counted, not yet committed
                release.wait(30)
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connections.close_all()

    def second():
        try:
            holding.wait(30)
            services.register_household(actor=staff, building=building, floor=1, room="102")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    holding.wait(30)
    time.sleep(0.5)  # the second is now waiting on the building's count row
    release.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert BuildingCount.objects.get(building=building).households == 2
