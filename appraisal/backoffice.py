"""评议 rounds and training records (core.backoffice): the rounds and their 三报告 for the
community's staff, who also record each grid worker's training."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from appraisal import forms, selectors, services
from core.backoffice import Action, Column, ObjectPages
from core.capabilities import Capability
from grids import selectors as grid_selectors
from grids.models import AreaKind
from orgs.capabilities import GRID_WORKERS
from orgs.models import Post


def _keeps(scope, area) -> bool:
    return scope.capacity(Capability.MANAGE_COMMUNITY, at=area) is not None


def _round_form(scope, obj) -> dict:
    today = timezone.localdate()
    people = (
        Post.objects.within(scope)
        .filter(Q(role__in=selectors.STATION_ROLES, area__kind=AreaKind.COMMUNITY) | Q(role__in=GRID_WORKERS))
        .filter(Q(end__isnull=True) | Q(end__gte=today), area__isnull=False)
        .select_related("area")
        .order_by("area__tree_id", "area__lft", "role", "slot", "holder_name")
    )
    communities = grid_selectors.areas(scope).filter(kind=AreaKind.COMMUNITY).order_by("tree_id", "lft")
    return {"communities": communities, "people": people}


ROUNDS = ObjectPages(
    namespace="appraisal",
    name="round",
    prefix="evaluation-rounds",
    title=gettext_lazy("居民评议"),
    rows=lambda scope: selectors.rounds(scope).order_by("-opens_on", "-id"),
    get=selectors.get_round,
    detail_route="appraisal:round",
    columns=[
        Column(gettext_lazy("评议名称"), lambda r: r.title, link=True),
        Column(gettext_lazy("社区"), lambda r: r.community.name),
        Column(gettext_lazy("开始评议"), lambda r: r.opens_on),
        Column(gettext_lazy("结束评议"), lambda r: r.closes_on),
        Column(gettext_lazy("报告发布时间"), lambda r: r.report_published_at),
    ],
    create=Action(
        "new",
        gettext_lazy("组织居民评议"),
        forms.RoundForm,
        perform=lambda *, actor, obj, data: services.open_round(actor=actor, **data),
        allowed=lambda scope, obj: scope.may(Capability.MANAGE_COMMUNITY),
        form_kwargs=_round_form,
        done=gettext_lazy("评议已创建,请打印各户的评议链接"),
    ),
    actions=[
        Action(
            "report",
            gettext_lazy("发布三报告"),
            forms.ReportForm,
            perform=lambda *, actor, obj, data: services.publish_report(actor=actor, round=obj, **data),
            allowed=lambda scope, obj: _keeps(scope, obj.community),
            initial=forms.report_initial,
            done=gettext_lazy("报告已发布"),
        ),
    ],
)


def _training_form(scope, obj) -> dict:
    today = timezone.localdate()
    workers = (
        Post.objects.within(scope)
        .filter(Q(end__isnull=True) | Q(end__gte=today), role__in=GRID_WORKERS, user__isnull=False)
        .select_related("area")
        .order_by("area__tree_id", "area__lft", "slot", "holder_name")
    )
    return {"workers": workers}


TRAINING_FIELDS = [
    Column(gettext_lazy("网格员"), lambda t: t.worker.get_full_name() or t.worker.username),
    Column(gettext_lazy("网格"), lambda t: t.grid.name),
    Column(gettext_lazy("培训日期"), lambda t: t.held_on),
    Column(gettext_lazy("培训主题"), lambda t: t.topic),
    Column(gettext_lazy("学时"), lambda t: t.hours),
]

TRAININGS = ObjectPages(
    namespace="appraisal",
    name="training",
    prefix="trainings",
    title=gettext_lazy("网格员培训"),
    rows=lambda scope: selectors.trainings(scope).order_by("-held_on", "-id"),
    get=selectors.get_training,
    columns=[
        Column(gettext_lazy("培训日期"), lambda t: t.held_on, link=True),
        *TRAINING_FIELDS[:2],
        TRAINING_FIELDS[3],
    ],
    fields=TRAINING_FIELDS,
    create=Action(
        "new",
        gettext_lazy("登记培训"),
        forms.TrainingForm,
        perform=lambda *, actor, obj, data: services.record_training(actor=actor, **data),
        allowed=lambda scope, obj: scope.may(Capability.MANAGE_COMMUNITY),
        form_kwargs=_training_form,
        done=gettext_lazy("培训已登记"),
    ),
)
