"""The audit trail every service writes to: who did what to which object, in which capacity."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
        help_text=_("为空表示系统或居民"),
    )
    capacity = models.CharField(_("身份"), max_length=40, blank=True)
    action = models.CharField(_("操作"), max_length=60)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("对象类型")
    )
    target_id = models.CharField(_("对象ID"), max_length=40, blank=True)
    # Names of the fields written, never their values: the log must not become a copy of personal data.
    fields = models.JSONField(_("字段"), default=list, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target"),
            models.Index(fields=["actor", "at"], name="audit_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class UserSession(AbstractBaseSession):
    """A session row that knows whose it is, so a user's other sessions can be ended in one query
    (Django's own table holds only an encoded blob). Filled by core.sessions.SessionStore."""

    user_id = models.IntegerField(null=True, db_index=True)

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")

    @classmethod
    def get_session_store_class(cls):
        from core.sessions import SessionStore

        return SessionStore
