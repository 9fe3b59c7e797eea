"""The channels a delivery goes out through, behind one interface: `send(delivery)` hands the
message over or raises OSError (ConnectionError, smtplib's errors, a gateway's refusal), and the
delivery stays owed. The in-app inbox is the notification row itself and needs no sending.

SMS goes through the provider named by SMS_BACKEND: `log` (the default; the log masks the
number) or `http`, a JSON POST to SMS_HTTP_URL that an operator's relay turns into the
provider's own API. Work messaging posts to a group robot's webhook (企业微信 and 钉钉 take the
same text message body)."""

import logging

from django.conf import settings
from django.core.mail import send_mail

from cases.models import Channel, Delivery
from core import gateway

log = logging.getLogger(__name__)


class EmailChannel:
    def send(self, delivery: Delivery) -> None:
        user = delivery.notification.user
        subject = delivery.text.splitlines()[0][:80]
        send_mail(subject, delivery.text, None, [user.email], fail_silently=False)


def _phone(delivery: Delivery) -> str:
    """Decrypted here, as the message goes out, and nowhere else."""
    if delivery.phone:
        return delivery.phone
    mine = getattr(delivery.notification.user, "notification_settings", None)  # read with the delivery
    return mine.phone if mine else ""


class SmsChannel:
    def send(self, delivery: Delivery) -> None:
        phone = _phone(delivery)
        if not phone:
            raise ConnectionError("no phone number to send the SMS to")
        if settings.SMS_BACKEND == "http":
            gateway.post(
                settings.SMS_HTTP_URL,
                {"phone": phone, "text": delivery.text},
                idempotency_key=f"delivery-{delivery.pk}",
                timeout=settings.SMS_HTTP_TIMEOUT,
            )
        else:
            log.info("sms to %s: %s", phone, delivery.text)


class WorkChatChannel:
    def send(self, delivery: Delivery) -> None:
        gateway.post(
            delivery.hook.url,
            {"msgtype": "text", "text": {"content": delivery.text}},
            idempotency_key=f"delivery-{delivery.pk}",
            timeout=settings.SMS_HTTP_TIMEOUT,
        )


CHANNELS = {Channel.EMAIL: EmailChannel(), Channel.SMS: SmsChannel(), Channel.WORK_CHAT: WorkChatChannel()}
