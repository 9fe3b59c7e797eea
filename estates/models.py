"""Property companies at compounds (issue 16, seed 000: "健全物业服务企业准入退出、考核评估等制度").

A property company is an orgs.Department of kind PROPERTY; a compound is a grids.Area of kind
compound (小区). A ServiceTerm says which company serves which compound from when to when,
admitted by whom on which decision, and why it ended; a compound has one serving company at a
time (a partial unique index on the open term, and the service checks dates under a lock on the
compound). Inspections (检查) are entered by street and community staff. An assessment round
scores each term over a period from the records the platform holds, under an AssessmentRule (the
weights, the pass mark and the rectification period as data with their clause); each Assessment
keeps its figures and the records behind them, so last year's score never moves."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from core.scoping import ScopedQuerySet
from grids.models import Area, AreaKind
from orgs.models import Department, DepartmentKind

SCORE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class ServiceTerm(models.Model):
    """准入 and 退出: a company serving a compound, from its admission to its exit."""

    compound = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="property_terms",
        limit_choices_to={"kind": AreaKind.COMPOUND},
        verbose_name=_("小区"),
    )
    company = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="property_terms",
        limit_choices_to={"kind": DepartmentKind.PROPERTY},
        verbose_name=_("物业公司"),
    )
    starts_on = models.DateField(_("服务起始日期"))
    admission_ref = models.CharField(_("准入决定文号"), max_length=100)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("准入登记人"),
    )
    admitted_role = models.CharField(_("准入登记人岗位"), max_length=40)
    ends_on = models.DateField(_("退出日期"), null=True, blank=True)
    exit_reason = models.TextField(_("退出原因"), blank=True)
    exit_ref = models.CharField(_("退出决定文号"), max_length=100, blank=True)
    exited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("退出登记人"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("物业服务期")
        verbose_name_plural = _("物业服务期")
        ordering = ["compound__tree_id", "compound__lft", "-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound"],
                condition=Q(ends_on__isnull=True),
                name="serviceterm_one_serving_company",
                violation_error_message=_("该小区已有在服务的物业公司,请先办理退出"),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="serviceterm_ends_after_start",
                violation_error_message=_("退出日期不能早于服务起始日期"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.compound}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("compound__")


class Inspection(models.Model):
    """检查: street or community staff inspect a company's service at a compound and score it."""

    term = models.ForeignKey(
        ServiceTerm, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("物业服务期")
    )
    inspected_on = models.DateField(_("检查日期"))
    items = models.TextField(_("检查项目"), help_text=_("每行一项,例如:保洁、绿化、秩序维护、设施维修"))
    score = models.DecimalField(_("检查得分"), max_digits=5, decimal_places=1, validators=SCORE)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("检查人"),
    )
    inspector_role = models.CharField(_("检查人岗位"), max_length=40)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("物业检查")
        verbose_name_plural = _("物业检查")
        ordering = ["-inspected_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100),
                name="inspection_score_range",
                violation_error_message=_("检查得分须在0至100之间"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspected_on:%Y-%m-%d} {self.term}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("term__compound__")


class AssessmentRule(models.Model):
    """考核评估办法 as data: each part's weight, how a case count costs points, the pass mark and
    the rectification period. The rule in force on a round's last day scores it; a new rule is a
    new row from its date (rows are never changed once made)."""

    name = models.CharField(_("名称"), max_length=100)
    starts_on = models.DateField(_("施行日期"), unique=True)
    satisfaction_weight = models.DecimalField(_("居民满意度权重"), max_digits=5, decimal_places=2)
    timeliness_weight = models.DecimalField(_("案件按期办结权重"), max_digits=5, decimal_places=2)
    volume_weight = models.DecimalField(_("案件数量权重"), max_digits=5, decimal_places=2)
    inspection_weight = models.DecimalField(_("检查得分权重"), max_digits=5, decimal_places=2)
    points_per_case = models.DecimalField(
        _("每件案件扣分"), max_digits=5, decimal_places=2, help_text=_("案件数量分 = 100 − 件数 × 每件扣分,最低0分")
    )
    pass_score = models.DecimalField(
        _("合格分"), max_digits=5, decimal_places=1, validators=SCORE, help_text=_("达到合格分(含本数)为合格")
    )
    rectify_working_days = models.PositiveSmallIntegerField(_("整改期限(工作日)"), validators=[MinValueValidator(1)])
    clause = models.TextField(_("依据"))

    class Meta:
        verbose_name = _("物业考核办法")
        verbose_name_plural = _("物业考核办法")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction_weight__gte=0, timeliness_weight__gte=0, volume_weight__gte=0)
                & Q(inspection_weight__gte=0),
                name="assessmentrule_weights_not_negative",
                violation_error_message=_("权重不能为负数"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.starts_on:%Y-%m-%d})"


class AssessmentRound(models.Model):
    """A street's assessment round over a period: every term serving in its compounds then is scored."""

    street = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="property_rounds",
        limit_choices_to={"kind__in": [AreaKind.STREET, AreaKind.TOWN]},
        verbose_name=_("街道"),
    )
    name = models.CharField(_("名称"), max_length=100)
    period_start = models.DateField(_("考核起始日期"))
    period_end = models.DateField(_("考核截止日期"))
    assessed_on = models.DateField(_("评分日期"), help_text=_("整改期限从这一天起算"))
    rule = models.ForeignKey(
        AssessmentRule, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("考核办法")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    opened_at = models.DateTimeField(_("发起时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("物业考核轮次")
        verbose_name_plural = _("物业考核轮次")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="assessmentround_period_order",
                violation_error_message=_("考核截止日期不能早于起始日期"),
            ),
            models.CheckConstraint(
                condition=Q(assessed_on__gte=models.F("period_end")),
                name="assessmentround_assessed_after_period",
                violation_error_message=_("评分日期不能早于考核截止日期"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_or_above_q("street__")


class Status(models.TextChoices):
    PASSED = "passed", _("合格")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("整改后合格")
    EXIT_PROPOSED = "exit_proposed", _("拟退出")
    RETAINED = "retained", _("决定保留")
    EXITED = "exited", _("已退出")


class Assessment(models.Model):
    """One term's score in a round, or its re-assessment after rectification (`follows` the first).

    The figures are kept as computed: the counts, each part's score (None where there was nothing
    to count: that part's weight is left out) and the total; `cases` and `inspections` are the
    records they were counted from."""

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("考核轮次")
    )
    term = models.ForeignKey(
        ServiceTerm, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("物业服务期")
    )
    follows = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reassessment",
        verbose_name=_("整改前考核"),
    )
    period_start = models.DateField(_("考核起始日期"))
    period_end = models.DateField(_("考核截止日期"))
    assessed_on = models.DateField(_("评分日期"))
    rated = models.PositiveIntegerField(_("评价件数"), default=0)
    satisfied = models.PositiveIntegerField(_("满意件数"), default=0)
    basic = models.PositiveIntegerField(_("基本满意件数"), default=0)
    case_count = models.PositiveIntegerField(_("案件数"), default=0)
    due_count = models.PositiveIntegerField(_("应办结件数"), default=0)
    on_time_count = models.PositiveIntegerField(_("按期办结件数"), default=0)
    satisfaction_score = models.DecimalField(_("满意度得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    timeliness_score = models.DecimalField(_("按期办结得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    volume_score = models.DecimalField(_("案件数量得分"), max_digits=5, decimal_places=1)
    inspection_score = models.DecimalField(_("检查得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    score = models.DecimalField(_("总分"), max_digits=5, decimal_places=1)
    status = models.CharField(_("结果"), max_length=16, choices=Status.choices)
    rectify_due = models.DateField(_("整改期限"), null=True, blank=True)
    rectify_due_provisional = models.BooleanField(_("整改期限为暂定"), default=False)
    decision_ref = models.CharField(_("退出决定文号"), max_length=100, blank=True)
    decision_note = models.TextField(_("决定说明"), blank=True)
    cases = models.ManyToManyField(Case, blank=True, related_name="+", verbose_name=_("计分案件"))
    inspections = models.ManyToManyField(Inspection, blank=True, related_name="assessments", verbose_name=_("计分检查"))
    assessed_at = models.DateTimeField(_("评分时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("物业考核结果")
        verbose_name_plural = _("物业考核结果")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "term"],
                condition=Q(follows__isnull=True),
                name="assessment_once_per_round",
                violation_error_message=_("该物业服务期已在本轮考核"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.term}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("term__compound__")
