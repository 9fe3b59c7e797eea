"""区域化党建 (issue 16): the street's regional party-building alliances (区域化党建联盟, seed 001)
with their guidance committee (指导委员会), member units and organisations and a rotating chair
(驻区单位社区轮值主席制, seed 003); the decisions of the three-level joint meetings (三级党建联席会议,
seed 000), which may raise a case, a need or a service project; and 双报告, an in-service party
member's service record sent to their unit each half-year.

The app sits beside gridwork, above cases and cobuilding, for the same reason gridwork does: a
joint meeting's decision raises a case, and cobuilding cannot import cases. The joint meeting itself
stays cobuilding.JointMeeting; it names its alliance by a nullable foreign key (see there).
"""

import calendar
import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cobuilding.models import CoBuildingUnit, JointMeeting, Need, ServiceProject
from core.scoping import ScopedQuerySet
from grids.models import Area, AreaKind
from orgs.models import Organization, PartyMember

ALLIANCE_PLACES = (AreaKind.STREET, AreaKind.TOWN, AreaKind.DISTRICT, AreaKind.COUNTY)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day N months on, or the month's last day when it has none (31 Jan + 1 → 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class Alliance(models.Model):
    name = models.CharField(_("联盟名称"), max_length=100)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="alliances",
        limit_choices_to={"kind__in": ALLIANCE_PLACES},
        verbose_name=_("所在街道或区"),
    )
    founded_on = models.DateField(_("成立日期"))
    # The rotation rule: the rotating members take the chair in their order, each for this long.
    chair_term_months = models.PositiveSmallIntegerField(
        _("轮值任期(月)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    clause = models.CharField(_("依据"), max_length=300, blank=True)
    ended_on = models.DateField(_("撤销日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("区域化党建联盟")
        verbose_name_plural = _("区域化党建联盟")
        ordering = ["area__tree_id", "area__lft", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(chair_term_months__gte=1, chair_term_months__lte=36),
                name="alliance_chair_term_range",
                violation_error_message=_("轮值任期须在1至36个月之间"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_or_above_q("area__")


class CommitteeRole(models.TextChoices):
    DIRECTOR = "director", _("主任")
    DEPUTY = "deputy", _("副主任")
    SECRETARY_GENERAL = "secretary_general", _("秘书长")
    MEMBER = "member", _("委员")


class CommitteeMember(models.Model):
    """指导委员会 (seed 001: 街道区域化党建工作指导委员会): who sits on the alliance's committee, in
    which role, from which unit or organisation."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="committee", verbose_name=_("联盟"))
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("职务"), max_length=20, choices=CommitteeRole.choices)
    affiliation = models.CharField(_("所在单位或组织"), max_length=100)
    start = models.DateField(_("任职日期"))
    end = models.DateField(_("离任日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("指导委员会委员")
        verbose_name_plural = _("指导委员会委员")
        ordering = ["alliance", "role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="committee_member_dates",
                violation_error_message=_("离任日期不能早于任职日期"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.get_role_display()})"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_or_above_q("alliance__area__")


class Membership(models.Model):
    """A member of the alliance (会员单位): a co-building unit or a party organisation. Units with a
    place in the rotation take the chair in that order."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="members", verbose_name=_("联盟"))
    unit = models.ForeignKey(
        CoBuildingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alliance_memberships",
        verbose_name=_("共建单位"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alliance_memberships",
        verbose_name=_("党组织"),
    )
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    rotation_order = models.PositiveSmallIntegerField(
        _("轮值顺序"), null=True, blank=True, help_text=_("空表示不参加轮值")
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("联盟成员")
        verbose_name_plural = _("联盟成员")
        ordering = ["alliance", "rotation_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, organization__isnull=True)
                | Q(unit__isnull=True, organization__isnull=False),
                name="membership_unit_or_organization",
                violation_error_message=_("成员须为一个共建单位或一个党组织"),
            ),
            models.UniqueConstraint(
                fields=["alliance", "rotation_order"],
                condition=Q(left_on__isnull=True, rotation_order__isnull=False),
                name="membership_rotation_order_unique",
                violation_error_message=_("该轮值顺序已有成员"),
            ),
            models.UniqueConstraint(
                fields=["alliance", "unit"],
                condition=Q(left_on__isnull=True, unit__isnull=False),
                name="membership_unit_once",
                violation_error_message=_("该单位已是联盟成员"),
            ),
            models.UniqueConstraint(
                fields=["alliance", "organization"],
                condition=Q(left_on__isnull=True, organization__isnull=False),
                name="membership_organization_once",
                violation_error_message=_("该党组织已是联盟成员"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.organization)

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_or_above_q("alliance__area__")


class ChairTerm(models.Model):
    """轮值主席: one member's term in the chair, from the day it was handed over for one term."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="chair_terms", verbose_name=_("联盟"))
    member = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="chair_terms", verbose_name=_("轮值单位")
    )
    starts_on = models.DateField(_("任期开始"))
    ends_on = models.DateField(_("任期结束"))
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("交接登记人"),
        help_text=_("为空表示系统"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("轮值主席任期")
        verbose_name_plural = _("轮值主席任期")
        ordering = ["alliance", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="chair_term_dates",
                violation_error_message=_("任期结束不能早于任期开始"),
            ),
            models.UniqueConstraint(fields=["alliance", "starts_on"], name="chair_term_one_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.starts_on:%Y-%m-%d}—{self.ends_on:%Y-%m-%d}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_or_above_q("alliance__area__")


class JointDecision(models.Model):
    """议定事项 of a joint meeting, and what it raised (at most one: a case, a need, a service
    project), linked both ways as a grid meeting's decisions are."""

    meeting = models.ForeignKey(
        JointMeeting, on_delete=models.PROTECT, related_name="decision_rows", verbose_name=_("党建联席会议")
    )
    text = models.TextField(_("议定事项"))
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="joint_decision", verbose_name=_("案件")
    )
    need = models.OneToOneField(
        Need, on_delete=models.PROTECT, null=True, blank=True, related_name="joint_decision", verbose_name=_("需求")
    )
    project = models.OneToOneField(
        ServiceProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_decision",
        verbose_name=_("服务项目"),
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("联席会议议定事项")
        verbose_name_plural = _("联席会议议定事项")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=True, need__isnull=True)
                | Q(case__isnull=True, project__isnull=True)
                | Q(need__isnull=True, project__isnull=True),
                name="joint_decision_raises_at_most_one",
                violation_error_message=_("一项议定事项只能转为一件案件、需求或服务项目"),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("meeting__area__")


# 双报告 -----------------------------------------------------------------------------------------


class ServiceActivity(models.Model):
    """What an in-service member did for the community they reported to (双报到), and for how long."""

    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="service_activities", verbose_name=_("党员")
    )
    on = models.DateField(_("服务日期"))
    activity = models.CharField(_("服务内容"), max_length=200)
    hours = models.DecimalField(
        _("服务时长(小时)"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0.5), MaxValueValidator(24)]
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("在职党员服务记录")
        verbose_name_plural = _("在职党员服务记录")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["member", "on"], name="service_activity_member_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24),
                name="service_activity_hours_range",
                violation_error_message=_("服务时长须在0.5至24小时之间"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.on:%Y-%m-%d} {self.activity}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("member__organization__area__")


class DualReport(models.Model):
    """双报告: a member's half-year of service sent to their unit; one per member and half-year, so
    the half-yearly task sends each once however often it runs."""

    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="dual_reports", verbose_name=_("党员")
    )
    unit = models.ForeignKey(
        CoBuildingUnit, on_delete=models.PROTECT, related_name="dual_reports", verbose_name=_("报告单位")
    )
    period_start = models.DateField(_("半年度起"))
    period_end = models.DateField(_("半年度止"))
    activities = models.PositiveIntegerField(_("服务次数"))
    hours = models.DecimalField(_("服务时长(小时)"), max_digits=6, decimal_places=1)
    sent_to = models.EmailField(_("发送至"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("双报告")
        verbose_name_plural = _("双报告")
        ordering = ["-period_start", "unit", "member"]
        constraints = [
            models.UniqueConstraint(fields=["member", "period_start"], name="dual_report_once_a_half_year"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.period_start:%Y-%m}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("member__organization__area__")


def half_year(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The half-year (1 Jan–30 Jun, 1 Jul–31 Dec) the day falls in."""
    if day.month <= 6:
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30)
    return datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31)


def previous_half_year(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    start, _end = half_year(day)
    return half_year(start - datetime.timedelta(days=1))
