"""What cases are sorted by and measured against: choices, categories, time limits, routing,
the working calendar and the metric weights. Data an admin keeps, read by every case."""

from django.db import models
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from core.bilingual import localized
from grids.models import Area
from orgs.models import Department


class Importance(models.TextChoices):
    HIGH = "high", _("重要")
    NORMAL = "normal", _("一般")


class Urgency(models.TextChoices):
    HIGH = "high", _("紧急")
    NORMAL = "normal", _("一般")


class Colour(models.TextChoices):
    """分色治理 (seed 002): importance × urgency."""

    RED = "red", _("红色")
    ORANGE = "orange", _("橙色")
    YELLOW = "yellow", _("黄色")
    BLUE = "blue", _("蓝色")


COLOUR_OF = {
    (Importance.HIGH, Urgency.HIGH): Colour.RED,
    (Importance.HIGH, Urgency.NORMAL): Colour.ORANGE,
    (Importance.NORMAL, Urgency.HIGH): Colour.YELLOW,
    (Importance.NORMAL, Urgency.NORMAL): Colour.BLUE,
}


class Level(models.TextChoices):
    """小事不出社区、大事不出街道 (seed 004): who holds the case."""

    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")
    DISTRICT = "district", _("区")


NEXT_LEVEL = {Level.COMMUNITY: Level.STREET, Level.STREET: Level.DISTRICT}


class Source(models.TextChoices):
    GRID_PATROL = "grid_patrol", _("网格巡查")
    RESIDENT_QR = "resident_qr", _("扫码上报")
    HOTLINE = "hotline", _("12345转办")
    WALK_IN = "walk_in", _("来访")
    REFERRAL = "referral", _("上级交办")
    OPEN311 = "open311", _("Open311应用")  # a resident's report through a 311 app (cases.open311)


# Residents' own reports (cases.services.report_by_resident): never a source staff pick.
RESIDENT_SOURCES = frozenset({Source.RESIDENT_QR, Source.OPEN311})


class Status(models.TextChoices):
    REPORTED = "reported", _("待受理")
    ACCEPTED = "accepted", _("社区办理中")
    WHISTLED = "whistled", _("待派遣")
    DISPATCHED = "dispatched", _("待签收")
    IN_PROGRESS = "in_progress", _("部门办理中")
    RESOLVED = "resolved", _("待核查")
    CLOSED = "closed", _("已办结")
    REJECTED = "rejected", _("不予受理")
    MERGED = "merged", _("已合并")


ENDED = frozenset({Status.CLOSED, Status.REJECTED, Status.MERGED})
OPEN = frozenset(Status) - ENDED
# Waiting for someone to take it up: the community to accept, a department to sign.
AWAITING_RESPONSE = frozenset({Status.REPORTED, Status.DISPATCHED})
# Waiting at the street (or the district) to be dispatched, against the dispatch deadline.
AWAITING_DISPATCH = frozenset({Status.WHISTLED})
# Being worked on against the resolution deadline.
WORKING = frozenset({Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS})


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class RatedVia(models.TextChoices):
    """Who gave the rating: the resident on the tracking page, or staff for a caller (回访)."""

    RESIDENT = "resident", _("居民自评")
    CALLBACK = "callback", _("电话回访")


class Category(MPTTModel):
    """What a case is about: 矛盾纠纷, 安全隐患 … and their children, as data."""

    name = models.CharField(_("名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True, help_text=_("英文界面显示;留空则显示中文名称"))
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    parent = TreeForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级")
    )
    default_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("默认承办部门"),
        help_text=_("没有分拨规则适用时建议的部门"),
    )
    importance = models.CharField(_("默认重要程度"), max_length=8, choices=Importance.choices, default="normal")
    urgency = models.CharField(_("默认紧急程度"), max_length=8, choices=Urgency.choices, default="normal")
    resident_pickable = models.BooleanField(_("居民可选"), default=False)

    class MPTTMeta:
        order_insertion_by = ["code"]

    class Meta:
        verbose_name = _("事项类别")
        verbose_name_plural = _("事项类别")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.name, self.name_en)


class LimitUnit(models.TextChoices):
    HOURS = "hours", _("小时")
    WORKING_DAYS = "working_days", _("工作日")


class TimeLimitQuerySet(models.QuerySet):
    def delete(self):
        _refuse_deleting_defaults(self.filter(category__isnull=True))
        return super().delete()


def _refuse_deleting_defaults(defaults) -> None:
    # Every case's deadlines fall back to its colour's default: without it no case of that colour
    # could be reported, dispatched or swept. Change a default; never delete one.
    defaults = list(defaults)
    if defaults:
        raise ProtectedError(_("各颜色的默认时限不能删除,只能修改"), set(defaults))


class TimeLimit(models.Model):
    """限时办结 (seed 002): how fast a case of a colour (and category) is answered and resolved."""

    colour = models.CharField(_("颜色"), max_length=8, choices=Colour.choices)
    category = TreeForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="time_limits",
        verbose_name=_("类别"),
        help_text=_("留空为该颜色的默认时限;类别的时限也适用于其下级类别"),
    )
    response = models.PositiveSmallIntegerField(_("响应时限"))
    response_unit = models.CharField(_("响应时限单位"), max_length=12, choices=LimitUnit.choices)
    resolution_working_days = models.PositiveSmallIntegerField(_("办结时限(工作日)"))
    dispatch_hours = models.PositiveSmallIntegerField(
        _("派遣时限(小时)"), default=24, help_text=_("吹哨或升级后,街道(区)须在此时限内派遣")
    )
    escalate_when_overdue = models.BooleanField(
        _("超期自动升级"), default=False, help_text=_("超期未办结时由系统自动上升一级")
    )

    objects = TimeLimitQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        constraints = [
            models.UniqueConstraint(fields=["colour", "category"], name="timelimit_one_per_category_colour"),
            models.UniqueConstraint(
                fields=["colour"], condition=Q(category__isnull=True), name="timelimit_one_default_per_colour"
            ),
            models.CheckConstraint(
                condition=Q(response__gte=1) & Q(resolution_working_days__gte=1),
                name="timelimit_positive",
                violation_error_message=_("时限至少为1"),
            ),
            models.CheckConstraint(
                condition=Q(dispatch_hours__gte=1),
                name="timelimit_dispatch_positive",
                violation_error_message=_("时限至少为1"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_colour_display()} {self.category or _('默认')}"

    @property
    def is_default(self) -> bool:
        return self.category_id is None

    def delete(self, *args, **kwargs):
        if self.is_default and self.pk:
            _refuse_deleting_defaults([self])
        return super().delete(*args, **kwargs)


class RoutingRule(models.Model):
    """Cases of a category (and its children) in an area (and below it) go to a department."""

    category = TreeForeignKey(Category, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("类别"))
    area = TreeForeignKey(Area, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("区域"))
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("承办部门")
    )

    class Meta:
        verbose_name = _("分拨规则")
        verbose_name_plural = _("分拨规则")
        constraints = [models.UniqueConstraint(fields=["category", "area"], name="routingrule_one_per_place")]

    def __str__(self) -> str:
        return f"{self.category} @ {self.area} → {self.department}"


# Which of the case's own columns answers "is it in this area": one indexed equality each.


class CalendarDay(models.Model):
    """A local or newly announced day off or working day; wins over the holidays package."""

    day = models.DateField(_("日期"), unique=True)
    working = models.BooleanField(_("上班"), help_text=_("勾选为调休上班日,不勾选为放假日"))
    note = models.CharField(_("依据"), max_length=200)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.note}"


class AnnouncedYear(models.Model):
    """A year whose holiday arrangement has been announced and entered as calendar days."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    notice = models.CharField(_("通知文号"), max_length=200)

    class Meta:
        verbose_name = _("已公布放假安排的年份")
        verbose_name_plural = _("已公布放假安排的年份")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class Metric(models.TextChoices):
    RESPONSE = "response", _("响应率")
    RESOLUTION = "resolution", _("办结率")
    SATISFACTION = "satisfaction", _("满意率")
    ON_TIME = "on_time", _("按期办结率")
    REWORK = "rework", _("返工率")


class MetricWeight(models.Model):
    """The composite score's weights; the rework rate counts as (1 − rate)."""

    metric = models.CharField(_("指标"), max_length=12, choices=Metric.choices, unique=True)
    weight = models.DecimalField(_("权重"), max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = _("考核权重")
        verbose_name_plural = _("考核权重")

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.weight}"
