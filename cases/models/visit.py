"""入户走访: a grid worker's call at a household (seed 002 定期走访, seed 004 定期入户走访) and the
visit plan that says how often each household is due one."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.case import Case
from core.scoping import ScopedQuerySet
from grids.models import Area, AreaKind, Household, KeyGroup


def _visit_photo_path(visit: "Visit", filename: str) -> str:
    return f"visits/{visit.on:%Y/%m}/{visit.household_id}-{filename}"


class Visit(models.Model):
    """What was found at the door; the household's 四清 card is updated in the same step."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="visits", verbose_name=_("住户"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("走访人")
    )
    visitor_role = models.CharField(_("走访人岗位"), max_length=40)
    on = models.DateField(_("走访日期"))
    findings = models.TextField(_("走访情况"))
    follow_up = models.BooleanField(_("需要跟进"), default=False)
    follow_up_note = models.CharField(_("跟进事项"), max_length=500, blank=True)
    # Re-encoded on upload like a case photo (cases.photos); served only through the visit's scope.
    photo = models.FileField(_("照片"), upload_to=_visit_photo_path, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="visits", verbose_name=_("走访上报案件")
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # The form's own key: the same form sent twice (a double tap, a resend) is one visit.
    submission_key = models.UUIDField(_("提交标识"), null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("入户走访")
        verbose_name_plural = _("入户走访")
        ordering = ["-on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["visitor", "submission_key"], name="visit_one_per_submission_key"),
            models.CheckConstraint(
                condition=Q(follow_up=True) | Q(follow_up_note=""),
                name="visit_follow_up_note_needs_follow_up",
                violation_error_message=_("勾选需要跟进后才能填写跟进事项"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.on:%Y-%m-%d}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        return scope.area_q("household__building__")


VISIT_RULE_KINDS = (AreaKind.COMMUNITY, AreaKind.GRID)


class VisitRule(models.Model):
    """走访计划: households of a key group (or every household) under a community or grid are
    visited at least every N days. Kept as data by the community's staff; ended, never deleted."""

    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="visit_rules",
        limit_choices_to={"kind__in": VISIT_RULE_KINDS},
        verbose_name=_("社区或网格"),
    )
    group = models.ForeignKey(
        KeyGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("重点人群"),
        help_text=_("留空则适用于全部住户"),
    )
    every_days = models.PositiveSmallIntegerField(
        _("走访周期(天)"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    ended_on = models.DateField(_("停用日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("走访计划")
        verbose_name_plural = _("走访计划")
        ordering = ["area__tree_id", "area__lft", "group__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(every_days__gte=1, every_days__lte=366),
                name="visitrule_every_days_range",
                violation_error_message=_("走访周期须在1至366天之间"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} · {self.group or _('全部住户')} · {self.every_days}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        """The rules of the caller's places, and those above them that their households follow."""
        if scope.unrestricted:
            return Q()
        q = scope.area_q("area__")
        for top in scope.areas:
            q |= Q(area__tree_id=top.tree_id, area__lft__lte=top.lft, area__rght__gte=top.rght)
        return q
