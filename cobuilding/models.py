"""Co-building units (驻区单位 / 共建单位), joint meetings and the four lists (seed 000, 001, 002).

These models were born in orgs and moved here: each keeps its orgs_* table (`db_table`) so the move
was a change of state only (migrations cobuilding/0001, orgs/0007). The ones a page or the API
navigates to are scoped: a row is in scope where its community (a meeting: its area) is.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet
from grids.models import Area


class UnitKind(models.TextChoices):
    AGENCY = "agency", _("机关")
    INSTITUTION = "institution", _("事业单位")
    ENTERPRISE = "enterprise", _("企业")
    SOCIAL = "social", _("社会组织")


class CoBuildingUnit(models.Model):
    name = models.CharField(_("单位名称"), max_length=100)
    kind = models.CharField(_("单位类型"), max_length=12, choices=UnitKind.choices)
    # 统一社会信用代码 (GB 32100). Codes issued in the pilot years may fail today's check digit:
    # they are kept and flagged, not refused.
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    credit_code_valid = models.BooleanField(_("信用代码校验通过"), default=False, editable=False)
    community = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="co_building_units", verbose_name=_("共建社区")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    # Where the unit's contact receives its in-service members' 双报告 each half-year.
    email = models.EmailField(_("联系邮箱"), blank=True)
    # A unit that leaves the community is ended, never deleted: its points, ratings and claims stay.
    ended_on = models.DateField(_("退出日期"), null=True, blank=True)
    end_reason = models.CharField(_("退出原因"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "orgs_cobuildingunit"
        verbose_name = _("共建单位")
        verbose_name_plural = _("共建单位")
        ordering = ["community", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("community__")


class Agreement(models.Model):
    """共驻共建协议书."""

    unit = models.ForeignKey(
        CoBuildingUnit, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("单位")
    )
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("社区"))
    signed_on = models.DateField(_("签订日期"))
    valid_until = models.DateField(_("有效期至"))
    content = models.TextField(_("共建内容"))
    # Ended before it ran out (解除): the agreement stays on the unit's page, no longer in force.
    ended_on = models.DateField(_("解除日期"), null=True, blank=True)
    end_reason = models.CharField(_("解除原因"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "orgs_agreement"
        verbose_name = _("共驻共建协议书")
        verbose_name_plural = _("共驻共建协议书")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("signed_on")),
                name="agreement_dates",
                violation_error_message=_("有效期须晚于签订日期"),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("signed_on")),
                name="agreement_ended_after_signed",
                violation_error_message=_("解除日期不能早于签订日期"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.signed_on:%Y-%m-%d}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("community__")

    def in_force(self, on: datetime.date) -> bool:
        if self.ended_on is not None and self.ended_on <= on:
            return False
        return self.signed_on <= on <= self.valid_until


class UnitPoints(models.Model):
    """量化积分: points a unit earns (or loses) for taking part in local governance."""

    unit = models.ForeignKey(CoBuildingUnit, on_delete=models.CASCADE, related_name="points", verbose_name=_("单位"))
    on = models.DateField(_("日期"))
    points = models.SmallIntegerField(_("积分"))
    reason = models.CharField(_("事由"), max_length=200)
    # The ledger is append-only: a wrong entry is put right by a counter-entry (冲正) naming it.
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("更正的记录"),
    )

    class Meta:
        db_table = "orgs_unitpoints"
        verbose_name = _("共建单位积分")
        verbose_name_plural = _("共建单位积分")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.points:+d}"


class Comparison(models.TextChoices):
    BELOW = "below", _("低于")
    ABOVE = "above", _("高于")


class PointsRule(models.Model):
    """A threshold on a unit's points and what follows from it, as policy data with its clause."""

    code = models.SlugField(_("代码"), unique=True)
    comparison = models.CharField(_("比较"), max_length=5, choices=Comparison.choices)
    threshold = models.IntegerField(_("分数线"))
    inclusive = models.BooleanField(
        _("含本数"), help_text=_("以上、以下含本数;低于、高于、超过、不满不含本数(《民法典》第一千二百五十九条)")
    )
    consequence = models.CharField(_("后果"), max_length=100)
    clause = models.CharField(_("依据"), max_length=300)

    class Meta:
        db_table = "orgs_pointsrule"
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["threshold"]

    def __str__(self) -> str:
        return f"{self.get_comparison_display()}{self.threshold}:{self.consequence}"

    def applies(self, total: int) -> bool:
        if self.comparison == Comparison.BELOW:
            return total <= self.threshold if self.inclusive else total < self.threshold
        return total >= self.threshold if self.inclusive else total > self.threshold


class RatingDirection(models.TextChoices):
    COMMUNITY_RATES_UNIT = "community_rates_unit", _("社区评单位")
    UNIT_RATES_COMMUNITY = "unit_rates_community", _("单位评社区")


class Rating(models.Model):
    """双向定级考核 (seed 002): community and unit score each other once a year."""

    unit = models.ForeignKey(CoBuildingUnit, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("单位"))
    year = models.PositiveSmallIntegerField(_("年度"))
    direction = models.CharField(_("方向"), max_length=24, choices=RatingDirection.choices)
    score = models.PositiveSmallIntegerField(_("评分"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    comment = models.CharField(_("意见建议"), max_length=300, blank=True)

    class Meta:
        db_table = "orgs_rating"
        verbose_name = _("双向评价")
        verbose_name_plural = _("双向评价")
        ordering = ["-year", "direction"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "direction"],
                name="rating_once_a_year",
                violation_error_message=_("该年度已评价"),
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="rating_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} {self.get_direction_display()} {self.score}"


class MeetingLevel(models.TextChoices):
    STREET = "street", _("街道党建联席会议")
    COMMUNITY = "community", _("社区党建联席会议")
    COMPOUND = "compound", _("小区党建联席会议")


class JointMeeting(models.Model):
    """Three-level 党建联席会议 (seed 000): who met, what was said, what was decided."""

    level = models.CharField(_("层级"), max_length=10, choices=MeetingLevel.choices)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="joint_meetings", verbose_name=_("区域"))
    held_on = models.DateField(_("召开日期"))
    title = models.CharField(_("议题"), max_length=200)
    minutes = models.TextField(_("会议纪要"))
    decisions = models.TextField(_("议定事项"), blank=True)
    units = models.ManyToManyField(
        CoBuildingUnit,
        blank=True,
        related_name="meetings",
        verbose_name=_("参会单位"),
        db_table="orgs_jointmeeting_units",
    )
    # 区域化党建联盟: the alliance whose joint meeting this is, if any. A nullable foreign key, not a
    # generalised meeting: the three levels meet with or without an alliance, and the rows, pages
    # and tests that exist stay as they are. Named by string, as orgs names co-building units: the
    # alliance lives a floor up (alliances), which this app never imports.
    alliance = models.ForeignKey(
        "alliances.Alliance",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("区域化党建联盟"),
    )
    committee_present = models.ManyToManyField(
        "alliances.CommitteeMember", blank=True, related_name="meetings", verbose_name=_("出席的指导委员会委员")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "orgs_jointmeeting"
        verbose_name = _("党建联席会议")
        verbose_name_plural = _("党建联席会议")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("area__")


class ResourceKind(models.TextChoices):
    VENUE = "venue", _("活动场地")
    PARKING = "parking", _("停车位")
    WALL = "wall", _("公共墙壁")
    SPORTS = "sports", _("运动场所")
    OTHER = "other", _("其他")


class Pricing(models.TextChoices):
    # Seed 001: venues free, paid services at a low price to residents, public spots low-cost to units.
    FREE = "free", _("免费")
    LOW_COST = "low_cost", _("低偿")
    PAID = "paid", _("有偿")


class SharedResource(models.Model):
    """共治资源清单: what a unit or the community shares."""

    community = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="shared_resources", verbose_name=_("社区")
    )
    unit = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("提供单位"),
        help_text=_("空表示社区自有"),
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ResourceKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    pricing = models.CharField(_("收费方式"), max_length=10, choices=Pricing.choices)
    description = models.CharField(_("说明"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "orgs_sharedresource"
        verbose_name = _("共治资源")
        verbose_name_plural = _("共治资源清单")
        ordering = ["community", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("community__")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("待认领")
    CLAIMED = "claimed", _("已认领")
    DONE = "done", _("已完成")


class NeedDirection(models.TextChoices):
    # Seed 001's 双向需求清单: the community's needs claimed by units, and units' own needs answered
    # by the community.
    COMMUNITY = "community", _("社区需求")
    UNIT = "unit", _("单位需求")


class Need(models.Model):
    """治理需求清单: a need the community raises, claimed by a unit (双向认领) and tracked to done,
    or a unit's own need that the community answers (双向需求清单)."""

    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="needs", verbose_name=_("社区"))
    direction = models.CharField(
        _("需求方向"), max_length=10, choices=NeedDirection.choices, default=NeedDirection.COMMUNITY
    )
    raised_by = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="raised_needs",
        verbose_name=_("提出单位"),
    )
    title = models.CharField(_("需求"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    raised_on = models.DateField(_("提出日期"))
    status = models.CharField(_("状态"), max_length=8, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    claimed_by = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_needs",
        verbose_name=_("认领单位"),
    )
    claimed_on = models.DateField(_("认领日期"), null=True, blank=True)
    answer = models.CharField(_("社区回应"), max_length=300, blank=True)  # a unit's need, answered
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    result = models.CharField(_("完成情况"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "orgs_need"
        verbose_name = _("治理需求")
        verbose_name_plural = _("治理需求清单")
        ordering = ["status", "-raised_on"]
        indexes = [models.Index(fields=["community", "status"], name="need_community_status")]
        constraints = [
            # A community need: a unit claims it. A unit's need: the community answers it (no claimant).
            models.CheckConstraint(
                condition=Q(direction="community", raised_by__isnull=True)
                & (
                    Q(status="open", claimed_by__isnull=True)
                    | Q(status__in=["claimed", "done"], claimed_by__isnull=False, claimed_on__isnull=False)
                )
                | Q(direction="unit", raised_by__isnull=False, claimed_by__isnull=True)
                & (
                    Q(status="open", claimed_on__isnull=True)
                    | Q(status__in=["claimed", "done"], claimed_on__isnull=False)
                ),
                name="need_claim_matches_status",
            ),
            models.CheckConstraint(condition=~Q(status="done") | Q(done_on__isnull=False), name="need_done_has_date"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("community__")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ONGOING = "ongoing", _("实施中")
    DONE = "done", _("已完成")


class ServiceProject(models.Model):
    """服务项目清单: what a unit does for the community, often in answer to a need."""

    community = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="service_projects", verbose_name=_("社区")
    )
    unit = models.ForeignKey(
        CoBuildingUnit, on_delete=models.CASCADE, related_name="projects", verbose_name=_("实施单位")
    )
    need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects", verbose_name=_("对应需求")
    )
    title = models.CharField(_("项目"), max_length=200)
    status = models.CharField(_("状态"), max_length=8, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    starts_on = models.DateField(_("开始日期"))
    finished_on = models.DateField(_("完成日期"), null=True, blank=True)
    outcome = models.CharField(_("实施成效"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        db_table = "orgs_serviceproject"
        verbose_name = _("服务项目")
        verbose_name_plural = _("服务项目清单")
        ordering = ["community", "-starts_on"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("community__")


class ResourceBooking(models.Model):
    """A unit's booking of a shared resource for a day (seed 001: shared free or at low cost)."""

    resource = models.ForeignKey(
        SharedResource, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("共享资源")
    )
    unit = models.ForeignKey(
        CoBuildingUnit, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("预约单位")
    )
    on = models.DateField(_("使用日期"))
    purpose = models.CharField(_("用途"), max_length=200)
    # 取消预约: a booking called off stays on the record, and its day is free to book again.
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("取消人"),
        help_text=_("为空表示系统"),
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("资源预约")
        verbose_name_plural = _("资源预约")
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "on"],
                condition=Q(cancelled_at__isnull=True),
                name="booking_one_a_day",
                violation_error_message=_("该日已被预约"),
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True, cancelled_by__isnull=True, cancel_reason="")
                | Q(cancelled_at__isnull=False) & ~Q(cancel_reason=""),
                name="booking_cancelled_with_reason",
                violation_error_message=_("请填写取消原因"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.on:%Y-%m-%d} {self.unit}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("resource__community__")
