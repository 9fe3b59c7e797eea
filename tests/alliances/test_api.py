"""The alliances API: the chair as the page computes it, the hand-over, the joint meetings and 双报告
through the pages' services, inside the pages' scope."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from alliances import services
from alliances.models import DualReport, ServiceActivity
from cases.models import Case
from cobuilding import services as cobuilding_services
from cobuilding.models import JointMeeting
from core.models import AuditEntry
from core.scope import SYSTEM
from orgs import member_services
from orgs import services as org_services
from orgs.models import PartyMember
from tests.cases.conftest import category


def test_the_street_hands_over_the_chair_through_the_api(world, alliance, client_for):
    client = client_for(world.users["street"])
    before = client.get(f"/api/v1/alliances/{alliance.pk}/").json()
    assert before["chair"]["due"] is True and before["chair"]["term"] is None
    # No chair has served: the first in the rotation takes it from today, for one term.
    handed = client.post(f"/api/v1/alliances/{alliance.pk}/hand-over/", {}, content_type="application/json")
    assert handed.status_code == 201, handed.content
    assert handed.json()["starts_on"] == timezone.localdate().isoformat()
    after = client.get(f"/api/v1/alliances/{alliance.pk}/").json()
    assert after["chair"]["term"]["id"] == handed.json()["id"] and after["chair"]["due"] is False


def test_a_community_reads_its_streets_alliance_but_cannot_hand_over(world, alliance, client_for):
    client = client_for(world.users["community"])
    assert [a["id"] for a in client.get("/api/v1/alliances/").json()["results"]] == [alliance.pk]
    refused = client.post(f"/api/v1/alliances/{alliance.pk}/hand-over/", {}, content_type="application/json")
    assert refused.status_code == 404


# Joint meetings -----------------------------------------------------------------------------------

DAY = datetime.date(2026, 10, 8)


def _hold(client, alliance, units, **changes):
    body = {
        "alliance": alliance.pk,
        "level": "street",
        "area": alliance.area_id,
        "held_on": DAY.isoformat(),
        "title": "联盟联席会议",
        "minutes": "研究加装电梯",
        "units": [units["hospital"].pk],
        "committee": [c.pk for c in alliance.committee.all()],
    }
    return client.post("/api/v1/joint-meetings/", {**body, **changes}, content_type="application/json")


def test_the_street_holds_a_joint_meeting_and_its_decision_raises_a_case_as_the_page_does(
    world, alliance, units, client_for
):
    client = client_for(world.users["street"])
    held = _hold(client, alliance, units)
    assert held.status_code == 201, held.content
    meeting = held.json()
    assert meeting["units"] == [units["hospital"].pk] and len(meeting["committee_present"]) == 1
    actions = set(AuditEntry.objects.filter(target_id=str(meeting["id"])).values_list("action", flat=True))
    assert {"cobuilding.record_meeting", "alliances.committee_attendance"} <= actions
    decided = client.post(
        f"/api/v1/joint-meetings/{meeting['id']}/decide/",
        {"text": "楼道堆物,上报", "raises": "case", "category": category("urban-events-clutter").pk,
         "place": world.areas["A1"].pk},
        content_type="application/json",
    )  # fmt: skip
    assert decided.status_code == 201, decided.content
    case = Case.objects.unscoped("the test's own check").get(pk=decided.json()["case"])
    assert case.joint_decision.meeting_id == meeting["id"] and case.area == world.areas["A1"]
    assert AuditEntry.objects.filter(action="alliances.decide", target_id=str(decided.json()["id"])).exists()
    cleared = client.post(
        f"/api/v1/joint-meetings/{meeting['id']}/attendance/", {"committee": []}, content_type="application/json"
    )
    assert cleared.status_code == 200 and cleared.json()["committee_present"] == []
    assert [d["case"] for d in cleared.json()["decisions"]] == [case.pk]


def test_a_community_lists_its_own_joint_meetings_and_not_another_communitys(world, units, client_for):
    k1, k2 = (JointMeeting.objects.unscoped("the test's own rows").get(area=world.areas[k]) for k in ("K1", "K2"))
    client = client_for(world.users["community"])
    assert [m["id"] for m in client.get("/api/v1/joint-meetings/").json()["results"]] == [k1.pk]
    refused = client.get(f"/api/v1/joint-meetings/{k2.pk}/")
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert client.post(f"/api/v1/joint-meetings/{k2.pk}/decide/", {"text": "x"}).status_code == 404


def test_who_sees_the_meeting_but_may_not_keep_it_is_refused_with_a_403(world, alliance, units, client_for):
    meeting = _hold(client_for(world.users["street"]), alliance, units).json()
    client = client_for(world.users["leader"])
    assert client.get(f"/api/v1/joint-meetings/{meeting['id']}/").status_code == 200
    refused = client.post(
        f"/api/v1/joint-meetings/{meeting['id']}/decide/", {"text": "议定"}, content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert refused.json()["message"] == "您的岗位不能维护这个联盟"
    assert _hold(client, alliance, units).status_code == 403


def test_a_joint_meetings_refusals_are_in_chinese_field_by_field(world, alliance, units, client_for):
    client = client_for(world.users["street"])
    future = _hold(client, alliance, units, held_on=(timezone.localdate() + datetime.timedelta(days=1)).isoformat())
    assert future.status_code == 400 and future.json()["fields"] == {"held_on": ["召开日期不能晚于今天"]}
    elsewhere = _hold(client, alliance, units, area=world.areas["E"].pk)  # another county's: unknown
    assert elsewhere.status_code == 400 and set(elsewhere.json()["fields"]) == {"area"}
    assert not JointMeeting.objects.unscoped("the test's own check").filter(alliance=alliance).exists()


def test_the_joint_meetings_list_reads_as_many_queries_for_one_as_for_many(
    world, alliance, units, client_for, django_assert_max_num_queries
):
    client = client_for(world.users["street"])
    _hold(client, alliance, units)
    client.get("/api/v1/joint-meetings/")
    with django_assert_max_num_queries(99) as one:
        client.get("/api/v1/joint-meetings/")
    queries = len(one.captured_queries)  # now: the next request clears the log
    for n in range(5):
        meeting = _hold(client, alliance, units, title=f"会{n}").json()
        client.post(
            f"/api/v1/joint-meetings/{meeting['id']}/decide/", {"text": f"议定{n}"}, content_type="application/json"
        )
    with django_assert_max_num_queries(queries):
        assert len(client.get("/api/v1/joint-meetings/").json()["results"]) == 8  # six, and K1's and K2's


# 双报告 -----------------------------------------------------------------------------------------


@pytest.fixture
def in_service(world, units):
    """在职党员丁 (K1) reported through 医院, whose contact receives the reports."""
    hospital = units["hospital"]
    hospital.contact, hospital.email = "王主任", "contact@hospital.example.org"
    cobuilding_services.update_unit(actor=SYSTEM, unit=hospital)
    return member_services.report_dual(
        actor=SYSTEM,
        member=PartyMember.objects.get(name="在职党员丁"),
        work_unit="区人民医院",
        reported_on=datetime.date(2025, 12, 1),
        co_building_unit=hospital,
    )


def _record(client, member, **changes):
    body = {"member": member.pk, "on": "2026-03-05", "activity": "义诊", "hours": "3.5"}
    return client.post("/api/v1/service-activities/", {**body, **changes}, content_type="application/json")


def test_the_community_records_a_members_service_as_the_page_does(world, in_service, client_for):
    client = client_for(world.users["community"])
    recorded = _record(client, in_service)
    assert recorded.status_code == 201, recorded.content
    row = ServiceActivity.objects.unscoped("the test's own check").get(pk=recorded.json()["id"])
    assert row.member == in_service and row.hours == Decimal("3.5")
    entry = AuditEntry.objects.get(action="alliances.record_service", target_id=str(row.pk))
    assert entry.actor == world.users["community"] and sorted(entry.fields) == ["activity", "hours", "member", "on"]
    assert [r["id"] for r in client.get("/api/v1/service-activities/").json()["results"]] == [row.pk]


def test_service_refusals_are_a_403_for_who_only_reads_and_chinese_for_bad_values(world, in_service, client_for):
    refused = _record(client_for(world.users["leader"]), in_service)
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    client = client_for(world.users["community"])
    future = _record(client, in_service, on=(timezone.localdate() + datetime.timedelta(days=1)).isoformat())
    assert future.status_code == 400 and future.json()["fields"] == {"on": ["服务日期不能晚于今天"]}
    assert _record(client, in_service, hours="0.2").json()["fields"].keys() == {"hours"}
    assert not ServiceActivity.objects.unscoped("the test's own check").exists()


def test_another_communitys_members_and_service_are_unknown(world, in_service, client_for):
    other = org_services.register_member(
        actor=SYSTEM,
        member=PartyMember(
            name="在职乙", organization=world.orgs["K2"], status="full", joined=datetime.date(2020, 1, 1),
            kind="in_service", work_unit="某单位",
        ),
    )  # fmt: skip
    services.record_service(actor=SYSTEM, member=other, on=datetime.date(2026, 3, 1), activity="服务", hours=2)
    client = client_for(world.users["community"])
    assert client.get("/api/v1/service-activities/").json()["results"] == []
    refused = _record(client, other)
    assert refused.status_code == 400 and set(refused.json()["fields"]) == {"member"}


def test_the_service_list_reads_as_many_queries_for_one_row_as_for_many(
    world, in_service, client_for, django_assert_max_num_queries
):
    client = client_for(world.users["community"])
    _record(client, in_service)
    client.get("/api/v1/service-activities/")
    with django_assert_max_num_queries(99) as one:
        client.get("/api/v1/service-activities/")
    queries = len(one.captured_queries)  # now: the next request clears the log
    for day in range(6, 12):
        _record(client, in_service, on=f"2026-03-{day:02}")
    with django_assert_max_num_queries(queries):
        assert len(client.get("/api/v1/service-activities/").json()["results"]) == 7


def test_the_community_sends_a_units_half_year_once_through_the_api(world, in_service, units, client_for, mailoutbox):
    client = client_for(world.users["community"])
    _record(client, in_service)
    body = {"unit": units["hospital"].pk, "year": 2026, "half": 1}
    sent = client.post("/api/v1/dual-reports/", body, content_type="application/json")
    assert sent.status_code == 201, sent.content
    [report] = sent.json()
    assert report["member"] == in_service.pk and report["period_start"] == "2026-01-01" and report["hours"] == "3.5"
    assert [m.to for m in mailoutbox] == [["contact@hospital.example.org"]]
    assert AuditEntry.objects.filter(action="alliances.send_dual_report", target_id=str(units["hospital"].pk)).exists()
    again = client.post("/api/v1/dual-reports/", body, content_type="application/json")
    assert again.status_code == 200 and again.json() == [] and len(mailoutbox) == 1
    assert [r["id"] for r in client.get("/api/v1/dual-reports/").json()["results"]] == [report["id"]]
    assert client_for(world.users["grid_b"]).get("/api/v1/dual-reports/").json()["results"] == []


def test_sending_is_a_403_for_who_only_reads_and_a_unit_without_an_address_is_refused(
    world, in_service, units, client_for
):
    body = {"unit": units["hospital"].pk, "year": 2026, "half": 1}
    refused = client_for(world.users["leader"]).post("/api/v1/dual-reports/", body, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    client = client_for(world.users["community"])
    no_address = client.post(
        "/api/v1/dual-reports/", {**body, "unit": units["shop"].pk}, content_type="application/json"
    )
    assert no_address.status_code == 400 and no_address.json()["message"] == "该单位未填写联系邮箱"
    assert client.post("/api/v1/dual-reports/", {**body, "half": 3}, content_type="application/json").status_code == 400
    assert not DualReport.objects.unscoped("the test's own check").exists()


def test_the_reports_list_reads_as_many_queries_for_one_as_for_many(
    world, in_service, units, client_for, django_assert_max_num_queries
):
    client = client_for(world.users["community"])
    _record(client, in_service)
    client.post(
        "/api/v1/dual-reports/",
        {"unit": units["hospital"].pk, "year": 2026, "half": 1},
        content_type="application/json",
    )
    client.get("/api/v1/dual-reports/")
    with django_assert_max_num_queries(99) as one:
        client.get("/api/v1/dual-reports/")
    queries = len(one.captured_queries)  # now: the next request clears the log
    for n in range(5):
        member = org_services.register_member(
            actor=SYSTEM,
            member=PartyMember(
                name=f"在职{n}", organization=world.orgs["K1"], status="full", joined=datetime.date(2020, 1, 1),
                kind="in_service", work_unit="某单位", co_building_unit=units["hospital"],
            ),
        )  # fmt: skip
        _record(client, member, on="2025-09-01")
    client.post(
        "/api/v1/dual-reports/",
        {"unit": units["hospital"].pk, "year": 2025, "half": 2},
        content_type="application/json",
    )
    with django_assert_max_num_queries(queries):
        assert len(client.get("/api/v1/dual-reports/").json()["results"]) == 7  # 丁 reported for 2025-2 too
