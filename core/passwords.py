"""The password rules some assessors ask for beyond Django's length and common-list checks
(等保 2.0 口令复杂度与定期更换): at least N of the four character classes
(PASSWORD_MIN_CHARACTER_CLASSES), and a maximum age (PASSWORD_MAX_AGE_DAYS). Both are off by
default: current guidance (NIST SP 800-63B) advises against forced rotation, but a district's
assessor may require it."""

import datetime
import string

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from core.models import PasswordAge

CLASSES = (
    str.isupper,
    str.islower,
    str.isdigit,
    lambda ch: ch in string.punctuation or not ch.isalnum(),
)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = sum(any(test(ch) for ch in password) for test in CLASSES)
        if used < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_few_classes")

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少%(n)d类。") % {"n": self.min_classes}


def note_password_changed(user) -> None:
    """Called by the password page when a user sets their own password. An administrator's reset
    does not count: a user handed a new password after the limit sets their own at next sign-in."""
    PasswordAge.objects.update_or_create(user_id=user.pk, defaults={"changed_at": timezone.now()})


EXPIRED = "gridgov_password_expired"
# What a user whose password is too old may still open: the page that renews it, and leaving.
OPEN_WHEN_EXPIRED = {"password_change", "password_change_done", "logout", "set_language"}


def password_expired(user) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days:
        return False
    age = PasswordAge.objects.filter(user_id=user.pk).values_list("changed_at", flat=True).first()
    return (age or user.date_joined) < timezone.now() - datetime.timedelta(days=days)


@receiver(user_logged_in, dispatch_uid="core.passwords.age_at_sign_in")
def _decide_at_sign_in(sender, request, user, **kwargs):
    # Decided once at sign-in, so a session whose password is fine pays no query per request.
    if request is not None and hasattr(request, "session"):
        if password_expired(user):
            request.session[EXPIRED] = True
        else:
            request.session.pop(EXPIRED, None)


class PasswordAgeMiddleware:
    """A session signed in with a password older than PASSWORD_MAX_AGE_DAYS reaches only the
    password page (and log-out) until the password is renewed; the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or not request.session.get(EXPIRED):
            return None
        if request.resolver_match.view_name in OPEN_WHEN_EXPIRED or request.resolver_match.view_name.startswith(
            "two_factor"
        ):
            return None
        if not password_expired(request.user):  # renewed since: only now does this cost a query
            del request.session[EXPIRED]
            return None
        notice = _("您的密码已使用超过%(days)d天,请先修改密码。") % {"days": settings.PASSWORD_MAX_AGE_DAYS}
        if issubclass(getattr(view_func, "cls", type(None)), APIView):
            from core.api_errors import body  # DRF's views, whose settings import this module

            return JsonResponse(body("password_expired", notice), status=403)
        messages.warning(request, notice)
        return redirect("password_change")
