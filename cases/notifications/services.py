"""A user's own inbox and settings: marking read and choosing channels, each acting only on the
actor's own rows, whatever their posts; and the work-messaging group robots the administrators
keep in Django admin, whose every change is recorded (a webhook address is where staff hear of
cases: who pointed it elsewhere must be known)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CHOOSABLE, STAFF_KINDS, Notification, NotificationSettings, WorkChatHook
from core import audit
from core.identity import normalize_phone
from core.scope import Scope
from core.scoping import full_clean


def _mine(actor):
    return Notification.objects.within(Scope(user=actor)).filter(user=actor)


@transaction.atomic
def mark_read(*, actor, notification_id: int) -> Notification:
    """Another user's notification is as missing as one that does not exist."""
    notification = _mine(actor).select_for_update().get(pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit.record(actor=actor, action="notification.read", target=notification, fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, actor) -> int:
    count = _mine(actor).filter(read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit.record(actor=actor, action="notification.read_all", target=actor, fields=["read_at"])
    return count


@transaction.atomic
def save_notification_settings(*, actor, channels: dict[str, list[str]], phone: str = "") -> NotificationSettings:
    """Which channels the actor wants for each kind (the in-app inbox is always on), and the number
    their SMS go to."""
    unknown = set(channels) - set(STAFF_KINDS) or {c for chosen in channels.values() for c in chosen} - set(CHOOSABLE)
    if unknown:
        raise ValidationError(_("未知的通知类型或渠道"), code="unknown")
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    if any("sms" in chosen for chosen in channels.values()) and not phone:
        raise ValidationError({"phone": [_("选择短信时须填写手机号")]})
    mine, _created = NotificationSettings.objects.select_for_update().get_or_create(user=actor)
    mine.channels = {kind: sorted(set(channels.get(kind, []))) for kind in STAFF_KINDS}
    mine.phone = phone or None
    mine.save()
    audit.record(actor=actor, action="notification_settings.change", target=mine, fields=["channels", "phone"])
    return mine


HOOK_FIELDS = ["provider", "url", "area", "department", "active"]


@transaction.atomic
def save_work_chat_hook(*, actor, hook: WorkChatHook) -> WorkChatHook:
    """From Django admin, whose permissions have already decided; `actor` is whom the audit names."""
    creating = hook.pk is None
    full_clean(hook)
    hook.save()
    action = "work_chat_hook.create" if creating else "work_chat_hook.change"
    audit.record(actor=actor, action=action, target=hook, fields=HOOK_FIELDS)
    return hook


@transaction.atomic
def delete_work_chat_hook(*, actor, hook: WorkChatHook) -> None:
    audit.record(actor=actor, action="work_chat_hook.delete", target=hook, fields=HOOK_FIELDS)
    hook.delete()
