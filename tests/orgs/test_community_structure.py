"""一委一站一居 (seed 004): the community's structure page. Moved here from the co-building tests
when co-building became an app of its own; the page is orgs'."""

import datetime

from django.urls import reverse

from cobuilding import services as cobuilding_services
from cobuilding.models import CoBuildingUnit, Need
from core.scope import SYSTEM
from orgs import services as org_services
from orgs.models import Function, Post, Role

DAY = datetime.date(2026, 10, 1)


def test_one_committee_one_station_one_residents_committee(world, client_for):
    community = world.areas["K1"]
    start = datetime.date(2024, 1, 1)
    org_services.appoint(
        actor=SYSTEM, post=Post(holder_name="站长甲", role=Role.STATION_HEAD, area=community, start=start)
    )
    org_services.appoint(
        actor=SYSTEM,
        post=Post(
            holder_name="窗口乙",
            role=Role.WINDOW_STAFF,
            function=Function.PARTY_MEMBER_WINDOW,
            area=community,
            start=start,
        ),
    )
    org_services.appoint(
        actor=SYSTEM,
        post=Post(holder_name="调解丙", role=Role.RC_MEMBER, function=Function.MEDIATION, area=community, start=start),
    )
    response = client_for(world.users["community"]).get(reverse("orgs:community_structure", args=[community.pk]))
    assert response.context["party"] == world.orgs["K1"]
    assert [p.holder_name for p in response.context["party_posts"]] == ["总支书记"]
    windows = dict(response.context["windows"])
    assert [p.holder_name for p in windows["党员服务窗口"]] == ["窗口乙"]
    assert windows["社会治理窗口"] == []  # shown as vacant
    assert [p.holder_name for p in dict(response.context["committees"])["人民调解委员会"]] == ["调解丙"]


def test_structure_page_is_for_communities_in_scope_only(world, client_for):
    client = client_for(world.users["community"])
    assert client.get(reverse("orgs:community_structure", args=[world.areas["K2"].pk])).status_code == 404
    assert client.get(reverse("orgs:community_structure", args=[world.areas["A"].pk])).status_code == 404


def test_query_counts_are_pinned(units, world, client_for, django_assert_num_queries):
    client = client_for(world.users["street"])
    args = [world.areas["K1"].pk]
    with django_assert_num_queries(8):
        client.get(reverse("orgs:community_structure", args=args))
    for n in range(4):
        unit = cobuilding_services.register_unit(
            actor=SYSTEM, unit=CoBuildingUnit(name=f"新单位{n}", kind="enterprise", community=world.areas["K1"])
        )
        cobuilding_services.award_unit_points(actor=SYSTEM, unit=unit, on=DAY, points=10, reason="志愿服务")
        cobuilding_services.raise_need(
            actor=SYSTEM, need=Need(community=world.areas["K1"], title=f"需求{n}", raised_on=DAY)
        )
    with django_assert_num_queries(8):
        client.get(reverse("orgs:community_structure", args=args))
