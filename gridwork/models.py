"""Grid work that is not a case (issue 16). 网格例会 (seed 002, 004): a grid's monthly meeting of
its own people, who came, what was said and what was decided; a decision can raise a case, a need
or a service project in the same step. And the meeting rules (例会制度) that say how often each
grid, and each community's 党建联席会议, meets.

The three-level 党建联席会议 stay cobuilding.JointMeeting: their attendance is co-building units,
not the grid's posts, and cobuilding cannot import cases. Grid meetings sit beside them, on the
floor above both, so one decision may raise into either."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cobuilding.models import Need, ServiceProject
from core.scoping import ScopedQuerySet
from grids.models import Area, AreaKind
from orgs.models import Post


class GridMeeting(models.Model):
    grid = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="grid_meetings",
        limit_choices_to={"kind": AreaKind.GRID},
        verbose_name=_("网格"),
    )
    held_on = models.DateField(_("召开日期"))
    topic = models.CharField(_("议题"), max_length=200)
    minutes = models.TextField(_("会议纪要"))
    # Who of the grid's posts came (its workers, 楼栋长, sunk staff, its party branch's committee).
    attendees = models.ManyToManyField(Post, blank=True, related_name="grid_meetings", verbose_name=_("参会人员"))
    convener = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("召集人"),
        help_text=_("为空表示系统"),
    )
    convener_role = models.CharField(_("召集人岗位"), max_length=40)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格例会")
        verbose_name_plural = _("网格例会")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["grid", "held_on"], name="gridmeeting_grid_held_on")]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("grid__")


class Decision(models.Model):
    """议定事项: one thing the meeting decided, and what it raised (at most one: a case, a need of the
    community's list, or a service project), linked both ways."""

    meeting = models.ForeignKey(
        GridMeeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("网格例会")
    )
    text = models.TextField(_("议定事项"))
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_decision", verbose_name=_("案件")
    )
    need = models.OneToOneField(
        Need, on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_decision", verbose_name=_("需求")
    )
    project = models.OneToOneField(
        ServiceProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_decision",
        verbose_name=_("服务项目"),
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=True, need__isnull=True)
                | Q(case__isnull=True, project__isnull=True)
                | Q(need__isnull=True, project__isnull=True),
                name="decision_raises_at_most_one",
                violation_error_message=_("一项议定事项只能转为一件案件、需求或服务项目"),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("meeting__grid__")


class MeetingKind(models.TextChoices):
    GRID = "grid", _("网格例会")
    # The community level of the three 党建联席会议 (seed 000), recorded as cobuilding.JointMeeting.
    COMMUNITY_JOINT = "community_joint", _("社区党建联席会议")


RULE_PLACES = (AreaKind.COMMUNITY, AreaKind.GRID)


class MeetingRule(models.Model):
    """例会制度: under a community (each of its grids) or at one grid, a grid meeting at least every N
    months; or a community's joint meeting every N months. A place is due on the day N months after
    its last meeting (or after the rule began, if none since), overdue the day after. Kept by the
    community's staff; ended, never deleted."""

    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="meeting_rules",
        limit_choices_to={"kind__in": RULE_PLACES},
        verbose_name=_("社区或网格"),
    )
    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.GRID)
    every_months = models.PositiveSmallIntegerField(
        _("召开周期(月)"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    starts_on = models.DateField(_("起算日期"))
    ended_on = models.DateField(_("停用日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("例会制度")
        verbose_name_plural = _("例会制度")
        ordering = ["area__tree_id", "area__lft", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(every_months__gte=1, every_months__lte=12),
                name="meetingrule_every_months_range",
                violation_error_message=_("召开周期须在1至12个月之间"),
            ),
            models.UniqueConstraint(
                fields=["area", "kind"],
                condition=Q(ended_on__isnull=True),
                name="meetingrule_one_in_force",
                violation_error_message=_("该区域已有此类会议的例会制度,请先停用"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} · {self.get_kind_display()} · {self.every_months}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        """The rules of the caller's places, and those above them that their grids follow."""
        if scope.unrestricted:
            return Q()
        q = scope.area_q("area__")
        for top in scope.areas:
            q |= Q(area__tree_id=top.tree_id, area__lft__lte=top.lft, area__rght__gte=top.rght)
        return q
