import datetime

import pytest
from django.utils import timezone

from cases import services as case_services
from core.scope import SYSTEM
from hall import services
from hall.models import ServiceItem


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def item():
    """A catalogue item from migration 0002, its limit set for the test."""

    def make(days: int, code: str = "elderly-preferential-card") -> ServiceItem:
        found = ServiceItem.objects.get(code=code)
        found.limit_days = days
        found.save(update_fields=["limit_days"])
        return found

    return make


@pytest.fixture
def receive(world, item):
    def make(*, days=5, received_at=None, persona="community", community="K1", **kwargs):
        return services.receive_request(
            actor=world.users[persona],
            item=kwargs.pop("service_item", None) or item(days),
            community=world.areas[community],
            applicant_name="张阿姨",
            applicant_phone="13812345678",
            received_at=received_at,
            **kwargs,
        )

    return make


@pytest.fixture
def plate(world):
    plates = case_services.issue_door_plates(actor=SYSTEM, community=world.areas["K1"])
    return next(p for p in plates if p.building_id == world.areas["A1"].pk)
