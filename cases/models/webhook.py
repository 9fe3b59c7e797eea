"""Webhooks: a department's or a district's own system subscribes to the case events in its scope;
each event it wants is recorded as one delivery (in the step's own transaction) and each try to
hand it over as one attempt, with the receiver's answer."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from cases.models.case import Action, CaseEvent
from cases.models.config import Status
from core.capabilities import Capability
from core.scope import Scope
from core.scoping import ScopedQuerySet
from grids.models import Area, AreaKind
from orgs.models import Department


class WebhookKind(models.TextChoices):
    CREATED = "created", _("新上报")
    ACCEPTED = "accepted", _("已受理")
    WHISTLED = "whistled", _("吹哨")
    DISPATCHED = "dispatched", _("已派遣")
    SIGNED = "signed", _("已签收")
    RETURNED = "returned", _("已退回")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    EXTENSION_DECIDED = "extension_decided", _("延期已审批")
    RESOLVED = "resolved", _("已处置")
    VERIFIED = "verified", _("已核查")
    CLOSED = "closed", _("已办结")
    RATED = "rated", _("已评价")
    OVERDUE = "overdue", _("超期")


# The case loop's actions as the kinds a receiver subscribes to; "closed" is any event that ends
# the loop (a verification that passes), so one event may be of two kinds.
KIND_OF_ACTION = {
    Action.REPORT: WebhookKind.CREATED,
    Action.ACCEPT: WebhookKind.ACCEPTED,
    Action.WHISTLE: WebhookKind.WHISTLED,
    Action.DISPATCH: WebhookKind.DISPATCHED,
    Action.SIGN: WebhookKind.SIGNED,
    Action.RETURN: WebhookKind.RETURNED,
    Action.REQUEST_EXTENSION: WebhookKind.EXTENSION_REQUESTED,
    Action.APPROVE_EXTENSION: WebhookKind.EXTENSION_DECIDED,
    Action.REFUSE_EXTENSION: WebhookKind.EXTENSION_DECIDED,
    Action.RESOLVE: WebhookKind.RESOLVED,
    Action.VERIFY_PASS: WebhookKind.VERIFIED,
    Action.VERIFY_REWORK: WebhookKind.VERIFIED,
    Action.RATE: WebhookKind.RATED,
    Action.CALLBACK: WebhookKind.RATED,
    Action.OVERDUE: WebhookKind.OVERDUE,
}


def kinds_of(event: CaseEvent) -> list[str]:
    kinds = [KIND_OF_ACTION[event.action]] if event.action in KIND_OF_ACTION else []
    if event.to_status == Status.CLOSED and event.from_status != Status.CLOSED:
        kinds.append(WebhookKind.CLOSED)
    return kinds


DISTRICT_KINDS = (AreaKind.DISTRICT, AreaKind.COUNTY, AreaKind.COUNTY_CITY)


def managed_owners(scope) -> tuple[list[int], list[int]]:
    """(district ids, department ids) whose subscriptions the scope's posts keep: a district's
    command-centre staff for their district, a department's officers for their department."""
    districts, departments = [], []
    for post in scope.posts:
        if Capability.MANAGE_WEBHOOKS not in scope.role_capabilities.get(post.role, ()):
            continue
        if post.area_id and post.area.kind in DISTRICT_KINDS:
            districts.append(post.area_id)
        if post.department_id:
            departments.append(post.department_id)
    return sorted(set(districts)), sorted(set(departments))


class WebhookSubscription(models.Model):
    """订阅: where one owner's system wants to hear of the case events in the owner's scope."""

    name = models.CharField(_("名称"), max_length=80)
    district = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("区县")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("部门")
    )
    url = models.URLField(_("接收地址"), max_length=500)
    kinds = models.JSONField(_("订阅事件"), default=list)
    # Kept encrypted: every delivery is signed with it, so it cannot be a one-way hash.
    secret = EncryptedCharField(_("签名密钥"), max_length=80)
    active = models.BooleanField(_("启用"), default=True)
    # Set when the run of failures reached WEBHOOK_MAX_FAILURES: nothing is sent until re-enabled,
    # but new events are still recorded, so a receiver that was down loses nothing.
    paused_at = models.DateTimeField(_("因连续失败暂停于"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("连续失败次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("事件订阅")
        verbose_name_plural = _("事件订阅")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(district__isnull=True, department__isnull=False)
                | Q(district__isnull=False, department__isnull=True),
                name="webhooksubscription_one_owner",
                violation_error_message=_("须填区县或部门之一"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def in_scope(cls, scope) -> Q:
        """Only who keeps the owner's subscriptions sees them: its staff's other posts do not."""
        districts, departments = managed_owners(scope)
        return Q(district_id__in=districts) | Q(department_id__in=departments)

    @property
    def owner(self):
        return self.district or self.department

    @property
    def sending(self) -> bool:
        return self.active and self.paused_at is None

    def owner_scope(self):
        """What the owner sees of the cases, as a Scope: Case.in_scope decides what is delivered."""
        if self.district_id:
            return Scope(areas=(self.district,))
        return Scope(department_ids=frozenset({self.department_id}))


class WebhookDelivery(models.Model):
    """One event for one subscription, recorded once with the body every try sends unchanged."""

    # Both indexes of Meta lead with the subscription and serve its lookups.
    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="deliveries",
        verbose_name=_("订阅"),
    )
    event = models.ForeignKey(CaseEvent, on_delete=models.CASCADE, related_name="+", verbose_name=_("案件环节"))
    kind = models.CharField(_("事件"), max_length=20, choices=WebhookKind.choices)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    next_try_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("事件推送")
        verbose_name_plural = _("事件推送")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["subscription", "event"], name="webhookdelivery_once_per_event")]
        indexes = [
            models.Index(fields=["next_try_at"], condition=Q(delivered_at__isnull=True), name="webhookdelivery_owed"),
            models.Index(fields=["subscription", "-created_at"], name="webhookdelivery_subscription"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription} · {self.get_kind_display()} #{self.event_id}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        districts, departments = managed_owners(scope)
        return Q(subscription__district_id__in=districts) | Q(subscription__department_id__in=departments)


class WebhookAttempt(models.Model):
    """One try to hand a delivery over: the receiver's status code (none if it never answered) and
    the start of its answer or of the error."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="tries", verbose_name=_("推送")
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("状态码"), null=True, blank=True)
    response = models.CharField(_("响应摘要"), max_length=500, blank=True)
    ok = models.BooleanField(_("成功"), default=False)

    class Meta:
        verbose_name = _("推送尝试")
        verbose_name_plural = _("推送尝试")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery} {self.status_code or '—'}"
