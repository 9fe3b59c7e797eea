import datetime

import pytest

from alliances import services
from alliances.models import Alliance, CommitteeMember

FOUNDED = datetime.date(2025, 1, 1)


@pytest.fixture
def alliance(world, units):
    """一街道's alliance: a director on its committee, 医院 and 超市 (K1) and 学校 (K2) in the
    rotation in that order, the street's party committee a member outside it; terms of 12 months."""
    street = world.users["street"]
    made = services.create_alliance(
        actor=street,
        alliance=Alliance(
            name="一街道区域化党建联盟",
            area=world.areas["S1"],
            founded_on=FOUNDED,
            chair_term_months=12,
            clause="seed 001: 全面建立街道区域化党建工作指导委员会",
        ),
    )
    services.appoint_to_committee(
        actor=street,
        member=CommitteeMember(
            alliance=made, name="主任甲", role="director", affiliation="一街道党工委", start=FOUNDED
        ),
    )
    for order, key in enumerate(["hospital", "shop", "school"], start=1):
        services.admit_member(actor=street, alliance=made, unit=units[key], joined_on=FOUNDED, rotation_order=order)
    services.admit_member(actor=street, alliance=made, organization=world.orgs["S1"], joined_on=FOUNDED)
    return made
