"""Every co-building page on a 390 px phone, as the community staff who keep its records: units,
the community's four lists and needs, meetings, agreements, shared resources and their bookings,
service projects, ratings and points. None scrolls sideways, and each page's main action button
is there on the screen to be tapped. One walk through them all: a browser test costs CI time."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cobuilding import services
from cobuilding.models import (
    Agreement,
    CoBuildingUnit,
    JointMeeting,
    Need,
    NeedDirection,
    Rating,
    ResourceBooking,
    ServiceProject,
    SharedResource,
)
from core.scope import SYSTEM
from grids.models import AreaKind
from orgs.models import Role
from tests.e2e.conftest import log_in
from tests.factories import AreaFactory, user_with_posts

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DAY = datetime.date(2026, 3, 1)


def _records(community) -> dict:
    """A unit with everything a unit's pages show, named at the lengths real ones run to."""
    unit = services.register_unit(
        actor=SYSTEM,
        unit=CoBuildingUnit(
            name="宁夏回族自治区银川市金凤区人民医院后勤保障中心",
            kind="institution",
            credit_code="12640100MB1234567X",
            community=community,
            address="银川市金凤区北京中路与亲水大街交叉口东南角综合楼三层",
            contact="马建国",
            phone="0951-12345678",
        ),
    )
    services.sign_agreement(
        actor=SYSTEM,
        agreement=Agreement(
            unit=unit,
            community=community,
            signed_on=DAY,
            valid_until=DAY.replace(year=2029),
            content="共享停车位二十个;每季度开展义诊进社区;党员志愿者参与楼栋环境整治",
        ),
    )
    services.award_unit_points(actor=SYSTEM, unit=unit, on=DAY, points=80, reason="参加联席会议并认领需求")
    services.rate(
        actor=SYSTEM,
        rating=Rating(
            unit=unit, year=2025, direction="community_rates_unit", score=92, comment="积极参与社区治理,认领需求及时"
        ),
    )
    need = services.raise_need(
        actor=SYSTEM,
        need=Need(
            community=community,
            direction=NeedDirection.COMMUNITY,
            title="老旧小区加装电梯意见征集与协调",
            description="三号楼住户多为老人,上下楼困难",
            raised_on=DAY,
        ),
    )
    meeting = services.record_meeting(
        actor=SYSTEM,
        meeting=JointMeeting(
            level="community",
            area=community,
            held_on=DAY,
            title="第一季度社区党建联席会议",
            minutes="通报需求清单认领情况",
            decisions="医院认领义诊进社区项目",
        ),
        units=[unit],
    )
    resource = services.list_resource(
        actor=SYSTEM,
        resource=SharedResource(
            community=community, unit=unit, kind="parking", name="医院东侧地面停车场", pricing="low_cost"
        ),
    )
    for days in (7, 8):
        booking = services.book_resource(
            actor=SYSTEM,
            booking=ResourceBooking(
                resource=resource,
                unit=unit,
                on=timezone.localdate() + datetime.timedelta(days=days),
                purpose="社区党员志愿服务日活动车辆停放",
            ),
        )
    services.cancel_booking(actor=SYSTEM, booking=booking, reason="活动改期至下月,场地另行预约")
    project = services.start_project(
        actor=SYSTEM,
        project=ServiceProject(community=community, unit=unit, need=need, title="义诊进社区", starts_on=DAY),
    )
    return {"unit": unit, "need": need, "meeting": meeting, "resource": resource, "project": project}


def test_every_co_building_page_fits_a_phone_with_its_main_action_on_screen(phone):
    district = AreaFactory(kind=AreaKind.DISTRICT, name="金凤区")
    street = AreaFactory(kind=AreaKind.STREET, name="满城北街街道", parent=district)
    community = AreaFactory(kind=AreaKind.COMMUNITY, name="宝湖社区", parent=street)
    made = _records(community)
    unit, need, meeting = made["unit"].pk, made["need"].pk, made["meeting"].pk
    resource, project = made["resource"].pk, made["project"].pk
    user_with_posts("staff", dict(role=Role.COMMUNITY_STAFF, area=community))
    log_in(phone, "staff", "pw")

    def link(name):
        return lambda: phone.get_by_role("link", name=name, exact=True)

    def button(name):
        return lambda: phone.get_by_role("button", name=name, exact=True)

    pages = [
        (reverse("cobuilding:unit_list"), link("登记共建单位")),
        (reverse("cobuilding:unit", args=[unit]), link("修改信息")),
        (reverse("cobuilding:unit_agreement", args=[unit]), button("签订协议")),
        (reverse("cobuilding:unit_rate", args=[unit]), button("年度双向评价")),
        (reverse("cobuilding:unit_points", args=[unit]), button("记录积分")),
        (reverse("cobuilding:community_lists", args=[community.pk]), button("登记认领")),
        (reverse("cobuilding:need_list"), link("提出需求")),
        (reverse("cobuilding:need", args=[need]), link("登记认领")),
        (reverse("cobuilding:meeting_list"), link("记录联席会议")),
        (reverse("cobuilding:meeting", args=[meeting]), link("参会单位与议定事项")),
        (reverse("cobuilding:resource_list"), link("发布共享资源")),
        (reverse("cobuilding:resource", args=[resource]), link("预约")),
        (reverse("cobuilding:resource_cancel_booking", args=[resource]), button("取消预约")),
        (reverse("cobuilding:project_list"), link("新建服务项目")),
        (reverse("cobuilding:project", args=[project]), link("开始实施")),
    ]
    wide = []
    for path, main_action in pages:
        phone.goto(path)
        sideways = phone.evaluate("document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth")
        if sideways > 0:
            wide.append((path, sideways))
        action = main_action()
        expect(action).to_be_visible()
        action.scroll_into_view_if_needed()
        expect(action).to_be_in_viewport(ratio=1)
    assert wide == [], "pages wider than the phone (path, px)"
