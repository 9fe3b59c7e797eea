import datetime

import pytest
from django.utils import timezone

from appraisal import services
from cases.models import Rating
from core.scope import SYSTEM
from orgs import services as org_services
from orgs.models import Post, Role

TODAY = timezone.localdate


def station_post(world) -> Post:
    return org_services.appoint(
        actor=SYSTEM,
        post=Post(
            holder_name="站长甲", role=Role.STATION_HEAD, area=world.areas["K1"], start=datetime.date(2024, 1, 1)
        ),
    )


def worker_post(world, persona: str) -> Post:
    return Post.objects.unscoped("the test's own worker").get(user=world.users[persona], role=Role.GRID_WORKER)


@pytest.fixture
def evaluation_round(world):
    """An open round of community K1 naming its station head and grid worker A."""
    people = [station_post(world), worker_post(world, "grid_a")]
    return services.open_round(
        actor=world.users["community"],
        community=world.areas["K1"],
        title="2026年度居民评议",
        period_start=datetime.date(TODAY().year, 1, 1),
        period_end=datetime.date(TODAY().year, 12, 31),
        opens_on=TODAY(),
        closes_on=TODAY() + datetime.timedelta(days=14),
        evaluated=people,
    )


def all_say(round, rating=Rating.SATISFIED) -> dict[int, str]:
    return {post.pk: rating for post in round.evaluated.all()}
