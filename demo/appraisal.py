"""The demo's 评议 and training in 银湖社区: last year's round (its ballots cast while it was open,
then its dates set back a year) with its 三报告 published, this year's round open with a few
ballots in; two training sessions this year for grid_a and one for grid_b, so the community's
workbench flags grid_b short. The yearly figures come from the cases and visits the demo already
made, as they do in production."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from appraisal import selectors, services
from appraisal.models import EvaluationRound, Via
from cases.models import Rating
from grids.models import Area, Household
from orgs.models import Post, Role

RATINGS = [Rating.SATISFIED] * 6 + [Rating.BASIC] * 3 + [Rating.DISSATISFIED]
REPORT = {
    "work": "全年受理居民诉求并按期办结;完成老旧小区楼道照明改造;开展独居老人定期走访。",
    "finances": "社区服务经费收入17万元,支出15.2万元(活动经费6.1万元,办公经费4.3万元,慰问帮扶4.8万元),结余结转下年。",
    "suggestions": "居民提出的增设电动自行车充电桩已在3个小区建成;楼道堆物问题纳入网格例会每月排查。",
}


def build() -> None:
    yinhu = Area.objects.get(name="银湖社区")
    if EvaluationRound.objects.filter(community=yinhu).exists():
        return
    rng = random.Random(16)
    today = timezone.localdate()
    community = User.objects.get(username="community")
    people = list(selectors.evaluable_posts(yinhu, today))
    households = list(
        Household.objects.filter(
            building__tree_id=yinhu.tree_id, building__lft__gt=yinhu.lft, building__lft__lt=yinhu.rght
        ).order_by("pk")
    )
    for year, ballots in ((today.year - 1, 40), (today.year, 15)):
        round = services.open_round(
            actor=community,
            community=yinhu,
            title=f"{year}年度居民评议",
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            opens_on=today,
            closes_on=today + datetime.timedelta(days=14),
            evaluated=people,
        )
        for household in rng.sample(households, min(ballots, len(households))):
            ratings = {post.pk: rng.choice(RATINGS) for post in people}
            services.cast_ballot(round=round, household=household, via=Via.LINK, ratings=ratings)
        if year < today.year:
            services.publish_report(actor=community, round=round, **REPORT)
            EvaluationRound.objects.filter(pk=round.pk).update(
                opens_on=datetime.date(year, 12, 1), closes_on=datetime.date(year, 12, 20)
            )
    _training(community, today)


def _training(community: User, today: datetime.date) -> None:
    topics = ["矛盾纠纷排查化解实务", "网格信息采集与系统操作", "消防和燃气安全隐患识别"]
    for username, sessions in (("grid_a", 2), ("grid_b", 1)):
        post = Post.objects.get(user__username=username, role=Role.GRID_WORKER)
        for i in range(sessions):
            services.record_training(
                actor=community,
                worker_post=post,
                held_on=min(today, datetime.date(today.year, 3 + 5 * i, 15)),
                topic=topics[i],
                hours=Decimal("3.0"),
            )
