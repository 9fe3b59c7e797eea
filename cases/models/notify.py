"""Who was told what: the in-app notification (a case's event × a recipient, or a notice about
something else, such as a service request, that opens its own page), each delivery of it through
a channel (recorded once, claimed before it is sent), the work-messaging group robots of
departments and places, and each user's choice of channels."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from cases.models.case import Case, CaseEvent
from core.scoping import ScopedQuerySet
from grids.models import Area
from orgs.models import Department


class NotificationKind(models.TextChoices):
    REPORTED = "reported", _("新上报")
    WHISTLED = "whistled", _("吹哨待派遣")
    ESCALATED = "escalated", _("升级待派遣")
    DISPATCHED = "dispatched", _("派遣待签收")
    ASSISTING = "assisting", _("派遣协办")
    RETURNED = "returned", _("部门退回")
    EXTENSION_ASKED = "extension_asked", _("延期待审批")
    EXTENSION_DECIDED = "extension_decided", _("延期已审批")
    RESOLVED = "resolved", _("处置待核查")
    REWORK = "rework", _("核查返工")
    REOPENED = "reopened", _("居民要求重办")
    REMINDER = "reminder", _("临期提醒")
    OVERDUE = "overdue", _("超期")
    SUPERVISION = "supervision", _("督办")
    TRACKING_CODE = "tracking_code", _("查询码短信")
    WEBHOOK_PAUSED = "webhook_paused", _("事件推送已暂停")
    # The service hall's hand-overs (hall.services) and its sweep (hall.sweep): notices, not cases.
    HALL_APPLIED = "hall_applied", _("便民服务待分办")
    HALL_ASSIGNED = "hall_assigned", _("便民服务待办理")
    HALL_REMINDER = "hall_reminder", _("办件临期提醒")
    HALL_OVERDUE = "hall_overdue", _("办件超期")
    HALL_RESULT = "hall_result", _("办理结果短信")


# What a staff member chooses channels for; the tracking code and a service request's result go to
# a resident's phone only, and a paused webhook is told in the inbox of those who keep it (it
# belongs to no one step of a case).
RESIDENT_KINDS = (NotificationKind.TRACKING_CODE, NotificationKind.HALL_RESULT)
STAFF_KINDS = [kind for kind in NotificationKind if kind not in (*RESIDENT_KINDS, NotificationKind.WEBHOOK_PAUSED)]
URGENT_KINDS = frozenset({NotificationKind.OVERDUE, NotificationKind.SUPERVISION, NotificationKind.HALL_OVERDUE})


class Channel(models.TextChoices):
    INBOX = "inbox", _("站内通知")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WORK_CHAT = "work_chat", _("企业微信/钉钉群")


# A user's choice per kind; the in-app inbox is always on (it is the record of what they were told).
CHOOSABLE = [Channel.EMAIL, Channel.SMS]


def default_channels(kind: str) -> list[str]:
    """E-mail for everything, SMS as well for what is already late."""
    return [Channel.EMAIL, Channel.SMS] if kind in URGENT_KINDS else [Channel.EMAIL]


class Notification(models.Model):
    """One event told to one user: their in-app inbox row, and what their deliveries carry. A
    notice about something other than a case (cases.notifications.delivery.tell) has no case but
    a link to the page it opens, and a key saying what it is about, told to each user once."""

    # notification_user_created (Meta) leads with the user and serves its lookups.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="notifications",
        verbose_name=_("用户"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications", verbose_name=_("案件")
    )
    event = models.ForeignKey(
        CaseEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("案件环节")
    )
    # A path on this site (reverse()); only for a notice without a case.
    link = models.CharField(_("链接"), max_length=200, blank=True)
    key = models.CharField(_("通知事由"), max_length=80, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=NotificationKind.choices)
    text = models.CharField(_("内容"), max_length=200)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_created"),
            # The header's unread count on every page.
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], condition=Q(event__isnull=False), name="notification_once_per_event"
            ),
            models.UniqueConstraint(fields=["key", "user"], condition=~Q(key=""), name="notification_once_per_key"),
            models.CheckConstraint(
                condition=Q(case__isnull=False, link="", key="")
                | (Q(case__isnull=True, event__isnull=True) & ~Q(link="") & ~Q(key="")),
                name="notification_case_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @classmethod
    def in_scope(cls, scope) -> Q:
        """A user's notifications are their own, whatever their posts."""
        return Q(user=scope.user)


class HookProvider(models.TextChoices):
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


class WorkChatHook(models.Model):
    """A department's, street's or community's group robot: hand-overs to its staff are posted there."""

    provider = models.CharField(_("平台"), max_length=10, choices=HookProvider.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("区域")
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("部门")
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("工作群机器人")
        verbose_name_plural = _("工作群机器人")
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=True, department__isnull=False)
                | Q(area__isnull=False, department__isnull=True),
                name="workchathook_one_owner",
                violation_error_message=_("须填区域或部门之一"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.area or self.department} · {self.get_provider_display()}"


class Delivery(models.Model):
    """One message through one channel to one recipient for one event (or one notice's key),
    recorded once and sent once: claimed by a conditional update on `sent_at` before the channel
    is called."""

    # delivery_once_per_recipient (Meta) leads with the event and serves its lookups.
    event = models.ForeignKey(
        CaseEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("案件环节"),
    )
    # A notice's key (Notification.key, or a resident's text about a service request) for one
    # that is about no case's event.
    key = models.CharField(_("通知事由"), max_length=80, blank=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    # "user:<pk>", "hook:<pk>", "reporter" or "applicant": with event (or key) and channel, what
    # is sent only once.
    recipient = models.CharField(_("接收方"), max_length=40)
    kind = models.CharField(_("类型"), max_length=20, choices=NotificationKind.choices)
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("通知")
    )
    hook = models.ForeignKey(
        WorkChatHook, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("工作群机器人")
    )
    # A resident's number, for the tracking code: decrypted only by the SMS channel as it sends.
    phone = EncryptedCharField(_("手机号"), max_length=20, blank=True, null=True)
    text = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    next_try_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知投递")
        verbose_name_plural = _("通知投递")
        constraints = [
            models.UniqueConstraint(fields=["event", "channel", "recipient"], name="delivery_once_per_recipient"),
            models.UniqueConstraint(
                fields=["key", "channel", "recipient"], condition=Q(event__isnull=True), name="delivery_once_per_key"
            ),
            models.CheckConstraint(
                condition=Q(event__isnull=False, key="") | (Q(event__isnull=True) & ~Q(key="")),
                name="delivery_event_or_key",
            ),
        ]
        indexes = [
            # Beat's pass reads only what is still owed, by when it is due to be tried.
            models.Index(fields=["next_try_at"], condition=Q(sent_at__isnull=True), name="delivery_owed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.recipient} {self.kind}"

    @classmethod
    def in_scope(cls, scope) -> Q:
        """Deliveries are the channels' business, read by tasks and admin only."""
        return Q(pk__in=[])


class NotificationSettings(models.Model):
    """通知设置: which channels a user wants per kind, and the number their SMS go to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
        verbose_name=_("用户"),
    )
    phone = EncryptedCharField(_("接收短信的手机号"), max_length=20, blank=True, null=True)
    # {kind: [channel, ...]}; a kind not in it takes default_channels(kind).
    channels = models.JSONField(_("渠道"), default=dict, blank=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, kind: str) -> list[str]:
        return self.channels.get(kind, default_channels(kind))
