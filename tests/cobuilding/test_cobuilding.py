import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from stdnum.cn import uscc

from cobuilding import selectors, services
from cobuilding.models import CoBuildingUnit, JointMeeting, Need, NeedStatus, Rating
from core.scope import SYSTEM
from demo.cobuilding import credit_code

DAY = datetime.date(2026, 10, 1)
VALID_CODE = "91110108MA01BXK00F"


@pytest.mark.parametrize(
    ("total", "codes"),
    [(0, ["loses-sharing"]), (59, ["loses-sharing"]), (60, []), (100, []), (101, ["honour"])],
)
def test_points_thresholds_read_below_and_above_as_excluding_the_number(db, total, codes):
    assert [rule.code for rule in selectors.standing(total, selectors.points_rules())] == codes


def test_a_units_standing_follows_its_points_ledger(units):
    hospital = units["hospital"]
    for points in (40, 19):
        services.award_unit_points(actor=SYSTEM, unit=hospital, on=DAY, points=points, reason="志愿服务")
    unit = selectors.units(_everything()).get(pk=hospital.pk)
    assert unit.point_total == 59
    assert [r.code for r in selectors.standing(unit.point_total, selectors.points_rules())] == ["loses-sharing"]
    services.award_unit_points(actor=SYSTEM, unit=hospital, on=DAY, points=1, reason="参加联席会议")
    assert (
        selectors.standing(selectors.units(_everything()).get(pk=hospital.pk).point_total, selectors.points_rules())
        == []
    )


def _everything():
    from core.scope import Scope

    return Scope(unrestricted=True)


def test_a_pilot_era_credit_code_is_kept_and_flagged(world):
    bad = VALID_CODE[:-1] + "0"
    unit = services.register_unit(
        actor=SYSTEM, unit=CoBuildingUnit(name="老单位", kind="agency", credit_code=bad, community=world.areas["K1"])
    )
    assert (unit.credit_code, unit.credit_code_valid) == (bad, False)
    good = services.register_unit(
        actor=SYSTEM,
        unit=CoBuildingUnit(name="新单位", kind="agency", credit_code=VALID_CODE.lower(), community=world.areas["K1"]),
    )
    assert (good.credit_code, good.credit_code_valid) == (VALID_CODE, True)


def test_a_credit_code_of_the_wrong_length_is_refused(world):
    with pytest.raises(ValidationError, match="18位"):
        services.register_unit(
            actor=SYSTEM, unit=CoBuildingUnit(name="x", kind="agency", credit_code="123", community=world.areas["K1"])
        )


def test_the_demo_makes_valid_and_invalid_codes_as_it_says():
    import random

    rng = random.Random(1)
    assert uscc.is_valid(credit_code(rng, valid=True))
    assert not uscc.is_valid(credit_code(rng, valid=False))


def test_a_unit_must_co_build_with_a_community(world):
    with pytest.raises(ValidationError, match="须为社区"):
        services.register_unit(actor=SYSTEM, unit=CoBuildingUnit(name="x", kind="agency", community=world.areas["A"]))


def test_each_side_rates_once_a_year(units):
    services.rate(
        actor=SYSTEM, rating=Rating(unit=units["hospital"], year=2025, direction="community_rates_unit", score=90)
    )
    services.rate(
        actor=SYSTEM, rating=Rating(unit=units["hospital"], year=2025, direction="unit_rates_community", score=85)
    )
    with pytest.raises(ValidationError, match="该年度已评价"):
        services.rate(
            actor=SYSTEM, rating=Rating(unit=units["hospital"], year=2025, direction="community_rates_unit", score=70)
        )


def test_a_need_is_claimed_once_then_done(units):
    need = Need.objects.get(title="加装电梯")
    with pytest.raises(ValidationError, match="只有已认领"):
        services.complete_need(actor=SYSTEM, need=need, on=DAY, result="完成")
    services.claim_need(actor=SYSTEM, need=need, unit=units["hospital"], on=DAY)
    with pytest.raises(ValidationError, match="已被认领"):
        services.claim_need(actor=SYSTEM, need=need, unit=units["shop"], on=DAY)
    with pytest.raises(ValidationError, match="请填写完成情况"):
        services.complete_need(actor=SYSTEM, need=need, on=DAY, result="  ")
    services.complete_need(actor=SYSTEM, need=need, on=DAY, result="电梯已装")
    need.refresh_from_db()
    assert (need.status, need.claimed_by, need.result) == (NeedStatus.DONE, units["hospital"], "电梯已装")


VISIBLE_UNITS = {
    "grid_a": set(),
    "community": {"hospital", "shop"},
    "street": {"hospital", "shop", "school"},
    "officer": set(),
    "admin": {"hospital", "shop", "school"},
}


@pytest.mark.parametrize("persona", sorted(VISIBLE_UNITS))
def test_unit_pages_are_404_outside_scope(units, world, client_for, persona):
    client = client_for(world.users[persona])
    for key, unit in units.items():
        status = client.get(reverse("cobuilding:unit", args=[unit.pk])).status_code
        assert status == (200 if key in VISIBLE_UNITS[persona] else 404), key


@pytest.mark.parametrize(
    ("persona", "meetings"), [("community", ["联席会"]), ("street", ["联席会", "二社区联席会"]), ("grid_a", [])]
)
def test_meetings_are_listed_within_scope(units, world, client_for, persona, meetings):
    response = client_for(world.users[persona]).get(reverse("cobuilding:meeting_list"))
    assert sorted(m.title for m, *_ in response.context["rows"]) == sorted(meetings)


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("community", {"联席会"}),
        ("street", {"联席会", "二社区联席会"}),
        ("leader", {"联席会", "二社区联席会"}),
        ("grid_a", set()),
        ("officer", set()),
        ("sunk", set()),
    ],
)
def test_a_meeting_outside_scope_is_a_404(units, world, client_for, persona, visible):
    client = client_for(world.users[persona])
    for meeting in JointMeeting.objects.filter(title__in=["联席会", "二社区联席会"]):
        response = client.get(reverse("cobuilding:meeting", args=[meeting.pk]))
        assert response.status_code == (200 if meeting.title in visible else 404), meeting.title
        if meeting.title in visible:
            assert meeting.minutes in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"), [("community", 302), ("street", 302), ("admin", 302), ("grid_a", 404), ("grid_b", 404)]
)
def test_only_community_and_street_staff_record_a_claim(units, world, client_for, persona, status):
    need = Need.objects.get(title="加装电梯")
    response = client_for(world.users[persona]).post(
        reverse("cobuilding:need_claim", args=[need.pk]), {"unit": units["shop"].pk}
    )
    assert response.status_code == status
    need.refresh_from_db()
    assert (need.status == NeedStatus.CLAIMED) is (status == 302)


def test_a_claim_by_a_unit_of_another_community_is_refused(units, world, client_for):
    need = Need.objects.get(title="加装电梯")
    client = client_for(world.users["street"])
    client.post(reverse("cobuilding:need_claim", args=[need.pk]), {"unit": units["school"].pk})
    need.refresh_from_db()
    assert need.status == NeedStatus.OPEN
    page = client.get(reverse("cobuilding:community_lists", args=[world.areas["K1"].pk])).content.decode()
    assert "选择一个有效的选项" in page or "Select a valid choice" in page


def test_the_lists_page_shows_claim_and_completion(units, world, client_for):
    client = client_for(world.users["community"])
    need = Need.objects.get(title="加装电梯")
    client.post(reverse("cobuilding:need_claim", args=[need.pk]), {"unit": units["hospital"].pk})
    client.post(reverse("cobuilding:need_complete", args=[need.pk]), {"result": "电梯已装"})
    page = client.get(reverse("cobuilding:community_lists", args=[world.areas["K1"].pk])).content.decode()
    assert "已完成" in page and "电梯已装" in page
    unit_page = client.get(reverse("cobuilding:unit", args=[units["hospital"].pk])).content.decode()
    assert "加装电梯" in unit_page.split('data-testid="claimed"')[1]


@pytest.mark.parametrize(
    ("url_name", "key", "queries"),
    [
        # each page also reads the header's unread-notification count
        ("cobuilding:unit_list", None, 5),
        ("cobuilding:community_lists", "K1", 10),
        ("cobuilding:unit", "hospital", 13),
    ],
)
def test_query_counts_are_pinned(units, world, client_for, django_assert_num_queries, url_name, key, queries):
    client = client_for(world.users["street"])
    args = [] if key is None else [world.areas[key].pk] if key in world.areas else [units[key].pk]
    with django_assert_num_queries(queries):
        client.get(reverse(url_name, args=args))
    for n in range(4):
        unit = services.register_unit(
            actor=SYSTEM, unit=CoBuildingUnit(name=f"新单位{n}", kind="enterprise", community=world.areas["K1"])
        )
        services.award_unit_points(actor=SYSTEM, unit=unit, on=DAY, points=10, reason="志愿服务")
        services.award_unit_points(actor=SYSTEM, unit=units["hospital"], on=DAY, points=5, reason="志愿服务")
        services.raise_need(actor=SYSTEM, need=Need(community=world.areas["K1"], title=f"需求{n}", raised_on=DAY))
    with django_assert_num_queries(queries):
        client.get(reverse(url_name, args=args))


def test_the_unit_list_keeps_each_districts_units_together(world, units, client_for):
    county_unit = services.register_unit(
        actor=SYSTEM, unit=CoBuildingUnit(name="县医院", kind="institution", community=world.areas["K4"])
    )
    names = [u.name for u, *_ in client_for(world.users["admin"]).get(reverse("cobuilding:unit_list")).context["rows"]]
    # K4's tree numbers from 1 like the district's: sorting by lft alone would mix them.
    assert names.index("县医院") in (0, len(names) - 1)
    assert county_unit.community.tree_id != units["hospital"].community.tree_id
