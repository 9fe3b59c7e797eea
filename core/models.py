"""The audit trail every service writes to: who did what to which object, in which capacity.

Append-only and tamper-evident: the model refuses updates and deletes, PostgreSQL refuses them
too (a trigger), and each row's hash covers the previous row's, so `manage.py audit_verify`
finds a row changed or removed behind the application's back.
"""

from datetime import timedelta

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField

from core import chain
from core.bulk import MANY, bulk_insert


class AppendOnly(Exception):
    """An audit entry was about to be changed or removed; nothing in the application may do that."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit entries cannot be updated")

    def delete(self):
        raise AppendOnly("audit entries cannot be deleted")

    def bulk_create(self, *args, **kwargs):
        # Each row must be chained under the lock: through save(), or append_all().
        raise AppendOnly("audit entries are appended through save() or append_all()")

    def append_all(self, entries: list) -> list:
        """Many entries in one insert, each chained onto the one before under the chain's lock."""
        chain.append_all(entries, lambda: bulk_insert(entries, using=self.db, copy_from=MANY))
        return entries

    def bulk_update(self, *args, **kwargs):
        raise AppendOnly("audit entries cannot be updated")


class Result(models.TextChoices):
    OK = "ok", _("成功")
    REFUSED = "refused", _("拒绝")
    FAILED = "failed", _("失败")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now)
    # The actor and the target's type lead indexes of Meta, which serve their lookups too.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("操作人"),
        help_text=_("为空表示系统或居民"),
    )
    capacity = models.CharField(_("身份"), max_length=40, blank=True)
    action = models.CharField(_("操作"), max_length=60)
    # The object is named by type and id only, never by its str(): a resident's repr is their name.
    target_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("对象类型"),
    )
    target_id = models.CharField(_("对象ID"), max_length=40, blank=True)
    # Names of the fields written, never their values: the log must not become a copy of personal data.
    fields = models.JSONField(_("字段"), default=list, blank=True)
    result = models.CharField(_("结果"), max_length=8, choices=Result.choices, default=Result.OK)
    # A failed sign-in has no actor; the account name typed is a staff login, not a resident's data.
    username = models.CharField(_("登录名"), max_length=150, blank=True)
    client_address = models.GenericIPAddressField(_("客户端地址"), null=True, blank=True)
    request_id = models.CharField(_("请求ID"), max_length=64, blank=True)
    hash = models.CharField(_("校验值"), max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target"),
            models.Index(fields=["actor", "at"], name="audit_actor"),
            models.Index(fields=["action", "at"], name="audit_action"),
        ]
        permissions = [("audit_reader", _("查阅审计日志"))]
        triggers = [
            # The database's own refusal, for whoever bypasses the model (raw SQL, another client).
            pgtrigger.Protect(name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type_id}#{self.target_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("audit entries cannot be updated")
        chain.append(self, lambda: super(AuditEntry, self).save(*args, **kwargs))

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit entries cannot be deleted")


class UserSession(AbstractBaseSession):
    """A session row that knows whose it is, so a user's other sessions can be ended in one query
    (Django's own table holds only an encoded blob). Filled by core.sessions.SessionStore."""

    user_id = models.IntegerField(_("用户编号"), null=True, db_index=True)

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")

    @classmethod
    def get_session_store_class(cls):
        from core.sessions import SessionStore

        return SessionStore


class PasswordAge(models.Model):
    """When a user last set their password, for the maximum age (PASSWORD_MAX_AGE_DAYS) some
    assessors ask for. Set by the password page (core.passwords.note_password_changed); a user
    without a row counts from the day they joined."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, verbose_name=_("用户")
    )
    changed_at = models.DateTimeField(_("密码设置时间"))

    class Meta:
        verbose_name = _("密码设置时间")
        verbose_name_plural = _("密码设置时间")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.changed_at:%Y-%m-%d}"


class Lease(models.Model):
    """A named job held by one process until `held_until` (core.leases): the deadline sweep runs
    once however many beat schedulers start. A row, not a Redis key or a session advisory lock:
    it holds on SQLite and PostgreSQL alike, through PgBouncer, and with Redis down."""

    name = models.CharField(_("任务"), max_length=64, primary_key=True)
    holder = models.CharField(_("持有者"), max_length=64, blank=True)
    held_until = models.DateTimeField(_("持有至"))

    class Meta:
        verbose_name = _("任务租约")
        verbose_name_plural = _("任务租约")

    def __str__(self) -> str:
        return f"{self.name} until {self.held_until:%Y-%m-%d %H:%M:%S}"


class ApiCredential(models.Model):
    """What every secret an API caller presents shares: a name, a visible prefix, an expiry and a
    revocation, and the secret's sha256 instead of the secret. A personal token is one; a client
    key held by a department or a district would be another, in the app that holds what it is tied
    to, with a prefix of its own (core.api_tokens).

    A plain sha256 is enough: the secret is 256 random bits, so there is nothing to guess that a
    slow password hash would protect, and each request hashes it once."""

    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=16, editable=False)
    digest = models.CharField(_("摘要"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    # Valid through this day, Beijing time.
    expires_on = models.DateField(_("有效期至"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)

    # The longest a credential may be valid, from the day it is made.
    MAX_DAYS = 365

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"

    def clean(self):
        made = timezone.localdate(self.created_at)
        if self.expires_on is not None and not made < self.expires_on <= made + timedelta(days=self.MAX_DAYS):
            raise ValidationError(
                {"expires_on": _("有效期须在明天至 %(days)d 天之内") % {"days": self.MAX_DAYS}}, code="invalid"
            )

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return timezone.localdate() > self.expires_on

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired


class ApiToken(ApiCredential):
    """A user's personal token for scripts and apps: it signs in as the user, so it sees and may do
    exactly what the user's posts allow, no more."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户")
    )

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="api_token_user")]


class IdempotentRequest(models.Model):
    """A create of the API sent with an Idempotency-Key (core.idempotency), and its answer: the same
    client sending the same key and body again gets this answer back instead of a second record.

    Kept for IDEMPOTENCY_KEY_HOURS. The answer may name what the caller created, so it is encrypted
    like residents' data; the request body is kept only as its sha256."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("客户端")
    )
    key = models.UUIDField(_("幂等键"))
    fingerprint = models.CharField(_("请求摘要"), max_length=64)
    response_status = models.PositiveSmallIntegerField(_("响应状态"), null=True)
    # JSON, as text: manage.py reencrypt rewrites every encrypted column as the text it decrypts to.
    response_body = EncryptedTextField(_("响应内容"), null=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("幂等请求")
        verbose_name_plural = _("幂等请求")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_one_per_client")]
        indexes = [models.Index(fields=["created_at"], name="idempotent_request_age")]

    def __str__(self) -> str:
        return str(self.key)
