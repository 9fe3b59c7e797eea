"""How grid work is judged (issue 16, seeds 003 and 004).

- 三报告一评议一监督 (seed 004): residents evaluate the station's staff and the grid workers in
  rounds, one ballot per household; the station reports to them (its work, its money, what it did
  with their suggestions) on a public page per round.
- Training (seed 003: 每年组织开展不少于两次的专题培训): each grid worker's sessions, and the rule
  that says how many a year, as data with its clause.
- The yearly evaluation (seed 003: 重点考核事件办理、便民服务、群众评价和重大维稳信息、安全隐患):
  a scheme of weights and a scale as data; the figures come from the platform's own records
  (appraisal.measures)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cases.models import Rating
from core.scoping import ScopedQuerySet
from grids.models import Area, AreaKind, Household
from orgs.models import Post


class EvaluationRound(models.Model):
    """评议: a community's residents rate the people named for a period's work, between two dates."""

    community = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="evaluation_rounds",
        limit_choices_to={"kind": AreaKind.COMMUNITY},
        verbose_name=_("社区"),
    )
    title = models.CharField(_("评议名称"), max_length=100)
    period_start = models.DateField(_("评议期间起"))
    period_end = models.DateField(_("评议期间止"))
    opens_on = models.DateField(_("开始评议"))
    closes_on = models.DateField(_("结束评议"))
    # The station's staff and the grid workers whose work is rated (their posts, not their accounts:
    # a window clerk may have none).
    evaluated = models.ManyToManyField(Post, related_name="evaluation_rounds", verbose_name=_("被评议人员"))
    # 三报告: the station's report to the residents for the round, public once published.
    report_work = models.TextField(_("年度工作报告"), blank=True)
    report_finances = models.TextField(_("财务收支报告"), blank=True)
    report_suggestions = models.TextField(_("居民意见办理情况"), blank=True)
    report_published_at = models.DateTimeField(_("报告发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("居民评议")
        verbose_name_plural = _("居民评议")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")) & Q(closes_on__gte=F("opens_on")),
                name="evaluationround_dates_in_order",
                violation_error_message=_("结束日期不能早于开始日期"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("community__")


class Via(models.TextChoices):
    LINK = "link", _("一次性链接")
    QR = "qr", _("楼栋二维码")


class Evaluation(models.Model):
    """One household's ballot in a round: that it has answered, never what it answered (the
    ratings are Answer rows with no link back here, so no query can join the two)."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("评议"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+", verbose_name=_("住户"))
    via = models.CharField(_("评议方式"), max_length=4, choices=Via.choices)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("住户评议记录")
        verbose_name_plural = _("住户评议记录")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "household"],
                name="evaluation_one_per_household",
                violation_error_message=_("本户已参加过本轮评议,每户只能评议一次"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.household_id}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("round__community__")


class Answer(models.Model):
    """A rating of one person in a round. Counted, never traced: no household, no time."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="answers", verbose_name=_("评议"))
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+", verbose_name=_("被评议人员"))
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("评议结果")
        verbose_name_plural = _("评议结果")
        indexes = [models.Index(fields=["round", "post"], name="answer_round_post")]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.post_id} · {self.rating}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("round__community__")


class TrainingRule(models.Model):
    """培训制度: at least N sessions a calendar year for every grid worker. One in force at a time."""

    min_sessions = models.PositiveSmallIntegerField(_("每年最少培训次数"), validators=[MinValueValidator(1)])
    clause = models.TextField(_("依据条款"))
    source = models.CharField(_("出处"), max_length=200)
    starts_on = models.DateField(_("起算日期"))
    ended_on = models.DateField(_("停用日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("培训制度")
        verbose_name_plural = _("培训制度")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ended_on"], condition=Q(ended_on__isnull=True), name="trainingrule_one_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"≥{self.min_sessions} · {self.source}"


class Training(models.Model):
    """One session a grid worker attended: when, on what, for how long."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("网格员")
    )
    # The worker's grid when trained: what places the record in a scope.
    grid = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="trainings",
        limit_choices_to={"kind": AreaKind.GRID},
        verbose_name=_("网格"),
    )
    held_on = models.DateField(_("培训日期"))
    topic = models.CharField(_("培训主题"), max_length=200)
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    recorded_role = models.CharField(_("登记人岗位"), max_length=40)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格员培训")
        verbose_name_plural = _("网格员培训")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="training_hours_range",
                violation_error_message=_("学时须大于0且不超过24"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("grid__")


class Scheme(models.Model):
    """考核方案: from a year on, the weight of each measure, the figure that earns its full weight,
    and the scale of grades. The latest scheme starting at or before a year applies to it."""

    name = models.CharField(_("方案名称"), max_length=100)
    year_from = models.PositiveSmallIntegerField(_("适用起始年度"), unique=True)
    clause = models.TextField(_("依据条款"))
    excellent_from = models.DecimalField(_("优秀分数线"), max_digits=5, decimal_places=2)
    good_from = models.DecimalField(_("良好分数线"), max_digits=5, decimal_places=2)
    pass_from = models.DecimalField(_("合格分数线"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("网格员考核方案")
        verbose_name_plural = _("网格员考核方案")
        ordering = ["-year_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(excellent_from__gte=F("good_from")) & Q(good_from__gte=F("pass_from")),
                name="scheme_scale_in_order",
                violation_error_message=_("分数线须为优秀≥良好≥合格"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchemeMeasure(models.Model):
    """One measure's line in a scheme: points = weight × min(1, figure ÷ full_at)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="measures", verbose_name=_("考核方案"))
    measure = models.CharField(_("考核指标"), max_length=32)
    weight = models.DecimalField(_("权重(分)"), max_digits=5, decimal_places=2)
    full_at = models.DecimalField(_("满分标准"), max_digits=10, decimal_places=2, help_text=_("达到此数值得满分"))
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("考核指标权重")
        verbose_name_plural = _("考核指标权重")
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "measure"], name="schememeasure_one_per_measure"),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(full_at__gt=0),
                name="schememeasure_positive",
                violation_error_message=_("权重不能为负,满分标准须大于0"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.measure}"
