"""The closed loop, step by step: who may take each step, from which status, and what it leaves."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services
from cases.models import Action, Case, CaseEvent, Level, Status
from cases.services import CaseConflict
from tests.cases.conftest import at, category


def actions(case: Case) -> list[str]:
    return list(case.events.values_list("action", flat=True))


def test_a_grid_worker_reports_a_case_placed_and_numbered(world, report):
    case = report(at=at(2026, 11, 22, 9, 15))
    assert case.status == Status.REPORTED and case.level == Level.COMMUNITY
    assert (case.district, case.street, case.community, case.grid) == (
        world.areas["district"],
        world.areas["S1"],
        world.areas["K1"],
        world.areas["A"],
    )
    assert case.number == f"{world.areas['district'].code[:6]}202611220001"
    assert case.colour == "blue"  # 乱堆乱放: neither important nor urgent
    assert len(case.tracking_code) == 10
    event = case.events.get()
    assert (event.action, event.actor, event.actor_role, event.to_status) == (
        Action.REPORT,
        world.users["grid_a"],
        "grid_worker",
        Status.REPORTED,
    )


def test_numbers_run_per_district_and_day(world, report):
    first = report(at=at(2026, 11, 22, 9))
    second = report(at=at(2026, 11, 22, 10))
    next_day = report(at=at(2026, 11, 23, 0, 5))
    county = report(building="E1", by="admin", at=at(2026, 11, 22, 11))
    assert [first.number[-4:], second.number[-4:], next_day.number[-4:], county.number[-4:]] == [
        "0001",
        "0002",
        "0001",
        "0001",
    ]
    assert county.number[:6] == world.areas["county"].code[:6]


def test_importance_and_urgency_make_the_colour(world, report):
    assert report(importance="high", urgency="high").colour == "red"
    assert report(importance="high", urgency="normal").colour == "orange"
    assert report(importance="normal", urgency="high").colour == "yellow"
    assert report(code="safety-fire").colour == "red"  # the category's defaults


def test_a_double_submitted_report_makes_one_case(world, report):
    key = uuid.uuid4()
    first = report(submission_key=key)
    again = report(submission_key=key)
    assert again.pk == first.pk
    assert Case.objects.filter(submission_key=key).count() == 1
    assert CaseEvent.objects.filter(case=first).count() == 1


@pytest.mark.parametrize(
    ("persona", "building", "allowed"),
    [
        ("grid_a", "A1", True),
        ("grid_a", "B1", False),  # another grid
        ("grid_b", "A1", False),
        ("community", "B1", True),
        ("community", "C1", False),  # another community
        ("street", "C1", True),
        ("officer", "A1", False),
        ("sunk", "A1", False),
        ("leader", "A1", False),
    ],
)
def test_who_may_report_where(world, report, persona, building, allowed):
    if allowed:
        assert report(building=building, by=persona).status == Status.REPORTED
    else:
        with pytest.raises(PermissionDenied):
            report(building=building, by=persona)


def test_staff_cannot_claim_a_resident_qr_source_and_empty_descriptions_are_refused(world, report):
    with pytest.raises(ValidationError) as exc:
        report(source="resident_qr")
    assert "来源" in str(exc.value)
    with pytest.raises(ValidationError, match="请描述问题"):
        report(description="   ")


def test_the_whole_loop_through_the_street_and_a_department(world, report, depts):
    u = world.users
    case = report()
    case = services.whistle_case(case=case, actor=u["community"], note="需城管执法")
    assert (case.status, case.level) == (Status.WHISTLED, Level.STREET)
    case = services.dispatch_case(case=case, actor=u["street"], department=depts["城管局"], assisting=[depts["民政局"]])
    assert case.status == Status.DISPATCHED and case.department == depts["城管局"]
    assert list(case.assisting.all()) == [depts["民政局"]]
    assert case.response_due and case.resolution_due
    case = services.sign_case(case=case, actor=u["officer"])
    assert case.status == Status.IN_PROGRESS and case.signed_at
    case = services.resolve_case(case=case, actor=u["officer"], feedback="已清理")
    assert case.status == Status.RESOLVED
    case = services.verify_case(case=case, actor=u["grid_a"], passed=True)
    assert case.status == Status.CLOSED and case.closed_at and case.verifications == 1
    case = services.rate_case(case=case, rating="satisfied")
    assert case.rating == "satisfied"
    assert actions(case) == ["report", "whistle", "dispatch", "sign", "resolve", "verify_pass", "rate"]
    transitions = list(case.events.values_list("from_status", "to_status"))
    assert transitions[1:4] == [("reported", "whistled"), ("whistled", "dispatched"), ("dispatched", "in_progress")]


def test_a_small_matter_stays_in_the_community(world, report):
    u = world.users
    case = services.accept_case(case=report(), actor=u["community"])
    assert case.status == Status.ACCEPTED and case.resolution_due
    case = services.resolve_case(case=case, actor=u["community"], feedback="已协调清理")
    case = services.verify_case(case=case, actor=u["grid_a"], passed=False, note="仍有杂物")
    assert (case.status, case.reworks) == (Status.ACCEPTED, 1)
    case = services.resolve_case(case=case, actor=u["community"], feedback="已清理干净")
    case = services.verify_case(case=case, actor=u["grid_a"], passed=True)
    assert (case.status, case.verifications, case.reworks) == (Status.CLOSED, 2, 1)


def test_reject_and_merge(world, report):
    u = world.users
    with pytest.raises(ValidationError, match="理由"):
        services.reject_case(case=report(), actor=u["community"], reason="")
    rejected = services.reject_case(case=report(), actor=u["community"], reason="不属实")
    assert rejected.status == Status.REJECTED

    original = report()
    duplicate = report()
    merged = services.merge_case(case=duplicate, actor=u["community"], into=original)
    assert (merged.status, merged.merged_into) == (Status.MERGED, original)
    other_category = report(code="livelihood-sanitation")
    with pytest.raises(ValidationError, match="同一地点、同一类别"):
        services.merge_case(case=other_category, actor=u["community"], into=original)
    with pytest.raises(ValidationError, match="同一地点、同一类别"):
        services.merge_case(case=report(), actor=u["community"], into=rejected)


def test_a_department_returns_a_case_that_is_not_theirs(world, dispatched, depts):
    u = world.users
    case = dispatched()
    with pytest.raises(ValidationError, match="退回理由"):
        services.return_case(case=case, actor=u["officer"], reason=" ")
    case = services.return_case(case=case, actor=u["officer"], reason="属于民政职责")
    assert (case.status, case.department, case.response_due, case.last_action) == (
        Status.WHISTLED,
        None,
        None,
        "return",
    )
    case = services.dispatch_case(case=case, actor=u["street"], department=depts["民政局"])
    services.sign_case(case=case, actor=u["officer_mz"])


def test_extension_requests_need_the_street(world, dispatched):
    u = world.users
    case = services.sign_case(case=dispatched(), actor=u["officer"])
    with pytest.raises(ValidationError):
        services.request_extension(case=case, actor=u["officer"], days=0, reason="x")
    case = services.request_extension(case=case, actor=u["officer"], days=3, reason="需协调")
    with pytest.raises(CaseConflict, match="已有延期申请"):
        services.request_extension(case=case, actor=u["officer"], days=3, reason="需协调")
    with pytest.raises(PermissionDenied):
        services.decide_extension(case=case, actor=u["officer"], approve=True)
    due = case.resolution_due
    case = services.decide_extension(case=case, actor=u["street"], approve=False, note="可按期完成")
    assert case.resolution_due == due and case.extension_days is None
    with pytest.raises(CaseConflict, match="没有待审批"):
        services.decide_extension(case=case, actor=u["street"], approve=True)


def test_a_dissatisfied_resident_may_reopen_once(world, dispatched):
    u = world.users

    def close(case):
        case = services.resolve_case(case=case, actor=u["officer"], feedback="已处理")
        return services.verify_case(case=case, actor=u["grid_a"], passed=True)

    case = close(services.sign_case(case=dispatched(), actor=u["officer"]))
    with pytest.raises(ValidationError, match="只有不满意"):
        services.rate_case(case=case, rating="basic", reopen=True)
    case = services.rate_case(case=case, rating="dissatisfied", reopen=True, note="还没修好")
    assert (case.status, case.reopened, case.rating) == (Status.IN_PROGRESS, 1, "")
    case = close(case)
    with pytest.raises(ValidationError, match="已重新办理过一次"):
        services.rate_case(case=case, rating="dissatisfied", reopen=True)
    case = services.rate_case(case=case, rating="dissatisfied")
    with pytest.raises(CaseConflict, match="已评价"):
        services.rate_case(case=case, rating="satisfied")
    assert case.events.filter(action=Action.RATE).count() == 2


def test_escalation_goes_one_level_at_a_time(world, report):
    u = world.users
    case = services.escalate_case(case=report(), actor=u["community"], reason="涉及多个部门")
    assert (case.level, case.status) == (Level.STREET, Status.WHISTLED)
    with pytest.raises(PermissionDenied):
        services.escalate_case(case=case, actor=u["community"], reason="再升级")
    case = services.escalate_case(case=case, actor=u["street"], reason="跨街道")
    assert (case.level, case.status) == (Level.DISTRICT, Status.WHISTLED)
    # At the district only the district's command centre dispatches.
    with pytest.raises(PermissionDenied):
        services.dispatch_case(case=case, actor=u["street"], department=case.district.departments.first())
    with pytest.raises(ValidationError, match="已在区级"):
        services.escalate_case(case=case, actor=u["district"], reason="再升级")
    services.dispatch_case(case=case, actor=u["district"], department=case.district.departments.first())


OFFICER = {"officer", "admin"}
# Each step: who may take it (everyone else is refused), and that it is refused from a wrong status.
STEPS = {
    "accept": (lambda c, a: services.accept_case(case=c, actor=a), "reported", {"community", "admin"}),
    "whistle": (lambda c, a: services.whistle_case(case=c, actor=a, note="吹哨"), "reported", {"community", "admin"}),
    "dispatch": (
        lambda c, a: services.dispatch_case(case=c, actor=a, department=c.district.departments.get(name="城管局")),
        "whistled",
        {"street", "district", "admin"},
    ),
    "sign": (lambda c, a: services.sign_case(case=c, actor=a), "dispatched", {"officer", "admin"}),
    "return": (
        lambda c, a: services.return_case(case=c, actor=a, reason="非本部门"),
        "dispatched",
        {"officer", "admin"},
    ),
    "resolve": (
        lambda c, a: services.resolve_case(case=c, actor=a, feedback="已办"),
        "in_progress",
        {"officer", "admin"},
    ),
    "verify": (
        lambda c, a: services.verify_case(case=c, actor=a, passed=True),
        "resolved",
        {"grid_a", "community", "admin"},
    ),
}
PERSONAS = ["grid_a", "grid_b", "community", "street", "district", "officer", "officer_mz", "sunk", "leader", "admin"]


def _case_in(world, report, depts, status):
    u = world.users
    case = report()
    if status == "reported":
        return case
    case = services.whistle_case(case=case, actor=u["community"], note="吹哨")
    if status == "whistled":
        return case
    case = services.dispatch_case(case=case, actor=u["street"], department=depts["城管局"])
    if status == "dispatched":
        return case
    case = services.sign_case(case=case, actor=u["officer"])
    if status == "in_progress":
        return case
    return services.resolve_case(case=case, actor=u["officer"], feedback="已办")


@pytest.mark.parametrize("step", sorted(STEPS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_step_is_for_its_roles_only(world, report, depts, step, persona):
    act, status, allowed = STEPS[step]
    case = _case_in(world, report, depts, status)
    if persona in allowed:
        act(case, world.users[persona])
        assert Case.objects.get(pk=case.pk).last_action == {"verify": "verify_pass"}.get(step, step)
    else:
        with pytest.raises(PermissionDenied):
            act(case, world.users[persona])
        assert Case.objects.get(pk=case.pk).status == status


@pytest.mark.parametrize("step", sorted(STEPS))
def test_each_step_is_refused_from_a_wrong_status(world, report, depts, step):
    act, status, _allowed = STEPS[step]
    wrong = "resolved" if status != "resolved" else "reported"
    case = _case_in(world, report, depts, wrong)
    with pytest.raises(CaseConflict, match="不能进行此操作"):
        act(case, world.users["admin"])
    assert Case.objects.get(pk=case.pk).status == wrong


def test_events_are_append_only(world, report):
    event = report().events.get()
    event.note = "改写"
    with pytest.raises(ValidationError, match="只能追加"):
        event.save()
    with pytest.raises(ValidationError, match="不能删除"):
        event.delete()
    assert CaseEvent.objects.get(pk=event.pk).note == "楼道堆放杂物"


def test_a_case_is_placed_at_a_community_grid_compound_or_building_only(world):
    with pytest.raises(ValidationError, match="案件地点"):
        services.report_case(
            actor=world.users["street"],
            category=category("urban-events-clutter"),
            area=world.areas["S1"],
            description="x",
        )
