"""The demo's grid meetings (网格例会): 银湖社区's rule (each grid monthly; its 党建联席会议 every
three months, a demo choice — the seeds set no period), a year of monthly meetings in each of its
grids with who came and what was decided, one decision raising a case and one a need, and grid 2's
latest meeting six weeks ago so grid_b's workbench shows it overdue. And the 挂牌上岗 card's duties
and work numbers for the grid workers, sunk staff and 楼栋长 of 银湖社区."""

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from cases.models import Category
from core.scope import SYSTEM
from grids.models import Area, AreaKind
from gridwork import selectors, services
from gridwork.models import MeetingKind, MeetingRule
from gridwork.services import Raise
from orgs import cards
from orgs.models import Post, Role

TOPICS = ["通报本月网格事件办理情况", "研究重点人群走访安排", "排查楼道安全隐患", "商议小区停车和环境整治"]
DUTIES = {
    Role.GRID_WORKER: "负责网格内信息采集、入户走访、事件上报和矛盾调解",
    Role.GRID_WORKER_PART_TIME: "协助专职网格员走访住户、收集居民诉求",
    Role.GRID_GROUP_LEADER: "统筹网格工作组,召集网格例会",
    Role.SUNK_STAFF: "下沉网格,对接本部门事项,参加网格例会",
    Role.BUILDING_HEAD: "联系本楼住户,收集反映问题,协助网格员走访",
}


def build() -> None:
    yinhu = Area.objects.get(name="银湖社区")
    if MeetingRule.objects.filter(area=yinhu).exists():
        return
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=365)
    services.add_meeting_rule(actor=SYSTEM, area=yinhu, kind=MeetingKind.GRID, every_months=1, starts_on=year_ago)
    services.add_meeting_rule(
        actor=SYSTEM, area=yinhu, kind=MeetingKind.COMMUNITY_JOINT, every_months=3, starts_on=year_ago
    )
    holders = {1: User.objects.get(username="grid_a"), 2: User.objects.get(username="grid_b")}
    community = User.objects.get(username="community")
    grids = list(yinhu.get_children().filter(kind=AreaKind.GRID).order_by("code"))
    for number, grid in enumerate(grids, start=1):
        holder = holders.get(number, community)
        # Grid 2 skipped last month: its latest meeting is six weeks back, so it is overdue.
        last = today - datetime.timedelta(days=42 if number == 2 else 8)
        days = sorted({selectors.add_months(last, -months) for months in range(12)})
        for index, held_on in enumerate(days):
            meeting = services.hold_grid_meeting(
                actor=holder,
                grid=grid,
                held_on=held_on,
                topic=TOPICS[index % len(TOPICS)],
                minutes="网格员通报本月走访和事件情况,楼栋长反映居民诉求,下沉人员对接部门事项。",
                attendees=selectors.grid_people(grid, held_on)[:8],
            )
            services.decide(actor=holder, meeting=meeting, text="下月重点走访独居老人,逐户检查燃气安全")
        if number == 1:  # the latest meeting's decisions: one becomes a case, one a need
            services.decide(
                actor=holder,
                meeting=meeting,
                text="3号楼北侧堆放建筑垃圾,影响通行,上报城管处理",
                raises=Raise.CASE,
                category=Category.objects.get(code="urban-events-clutter"),
            )
            services.decide(
                actor=community,
                meeting=meeting,
                text="老人反映缺少日间休息场所,请共建单位协助提供活动室",
                raises=Raise.NEED,
                title="老年人日间活动室",
            )
    _cards(yinhu)


def _cards(community: Area) -> None:
    posts = Post.objects.unscoped("the demo's cards for 银湖社区's posts").active()
    posts = posts.filter(
        area__tree_id=community.tree_id, area__lft__gt=community.lft, area__lft__lt=community.rght, role__in=DUTIES
    )
    for number, post in enumerate(posts.order_by("pk"), start=1):
        phone = f"0951-{6100000 + number}" if post.role != Role.BUILDING_HEAD else ""
        cards.set_post_card(actor=SYSTEM, post=post, duties=DUTIES[post.role], phone=phone)
