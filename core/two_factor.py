"""Two-factor sign-in (等保 2.0 level 3, two kinds of identification for administrators and
whoever can reveal personal data): a TOTP device from django-otp and ten single-use recovery
codes (its static device). The password step is Django's log-in page behind django-axes; this
module decides at sign-in whether a second step is owed, holds the session there until it is
done, and records every enrolment, code and recovery code in the audit log."""

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.dispatch import receiver
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp import login as otp_login
from django_otp.models import VerifyNotAllowed
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.views import APIView

from core.audit import record
from core.models import Result

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR = "authenticator"
RECOVERY_CODES = "recovery codes"
# Set at sign-in when this session owes no second step; read on every request at no query's cost.
EXEMPT = "gridgov_2fa_exempt"
# The secret shown on the enrolment page, kept in the session until a first code confirms it.
PENDING_KEY = "gridgov_2fa_pending_key"
TOTP_CODE = re.compile(r"\d{6}")
VERIFY, ENROL = "verify", "enrol"


def required_for(user) -> bool:
    """Admin users and holders of the reveal permission (and everyone, if so set) must use it."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    return (
        settings.TWO_FACTOR_REQUIRED_FOR_ALL
        or user.is_staff
        or user.is_superuser
        or user.has_perm("grids.view_sensitive")
    )


def pending_step(user) -> str | None:
    """What a signed-in but unverified user must do next: give a code, enrol, or nothing.

    Whoever has enrolled is asked for a code even where nobody requires it of them.
    """
    if user_has_device(user, confirmed=True):
        return VERIFY
    if required_for(user):
        return ENROL
    return None


def is_satisfied(request) -> bool:
    return request.user.is_verified() or bool(request.session.get(EXEMPT))


@receiver(user_logged_in, dispatch_uid="core.two_factor.decide")
def _decide_at_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    # A password sign-in always owes a fresh second step, even in a session verified before.
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    if pending_step(user) is None:
        request.session[EXEMPT] = True
    else:
        request.session.pop(EXEMPT, None)


class TwoFactorMiddleware:
    """Until the second step is done the session reaches only that step's page, log-out and the
    language switch: pages redirect there, the API answers 403."""

    OPEN = {VERIFY: {"two_factor_verify"}, ENROL: {"two_factor_enrol"}}
    ALWAYS_OPEN = {"logout", "set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or is_satisfied(request):
            return None
        step = pending_step(request.user)
        if step is None:
            # A session from before two-factor sign-in existed: decided once, now.
            request.session[EXEMPT] = True
            return None
        if request.resolver_match.view_name in self.OPEN[step] | self.ALWAYS_OPEN:
            return None
        if issubclass(getattr(view_func, "cls", type(None)), APIView):
            from core.api_errors import body  # DRF's views: imported once a request needs it

            return JsonResponse(body("two_factor_required", _("请先在网页上完成两步验证。")), status=403)
        return redirect_to_login(request.get_full_path(), reverse(f"two_factor_{step}"))


# Enrolment


def pending_secret(session) -> bytes:
    """The secret the enrolment page shows: one per session until it is confirmed."""
    if PENDING_KEY not in session:
        session[PENDING_KEY] = TOTPDevice().key
    return bytes.fromhex(session[PENDING_KEY])


def otpauth_url(*, user, secret: bytes) -> str:
    return TOTPDevice(user=user, key=secret.hex()).config_url


@transaction.atomic
def enrol(*, actor, session, code: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the shown secret with a first code: the device is saved and ten recovery codes are
    made, or nothing is saved and the wrong code is recorded."""
    secret = pending_secret(session)
    device = TOTPDevice(user=actor, name=AUTHENTICATOR, key=secret.hex(), confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not (TOTP_CODE.fullmatch(code) and totp.verify(int(code), device.tolerance)):
        record(actor=actor, action="auth.otp_enrol_failed", result=Result.FAILED, username=actor.get_username())
        return None
    if user_has_device(actor, confirmed=True):
        # Another tab enrolled first; a second secret would leave the user two phones to guess from.
        return None
    # The code just given is spent: it cannot be replayed at the second step.
    device.last_t = totp.t()
    device.save()
    del session[PENDING_KEY]
    codes = _new_recovery_codes(actor)
    record(actor=actor, action="auth.otp_enrolled", target=device, username=actor.get_username())
    return device, codes


@transaction.atomic
def regenerate_recovery_codes(*, actor) -> list[str]:
    """Ten new codes; the old ones stop working at once."""
    codes = _new_recovery_codes(actor)
    record(
        actor=actor,
        action="auth.recovery_codes_regenerated",
        target=StaticDevice.objects.get(user=actor, name=RECOVERY_CODES),
        username=actor.get_username(),
    )
    return codes


def _new_recovery_codes(user) -> list[str]:
    device = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_CODES)[0]
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def authenticator_of(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_CODES).count()


# The second step


@dataclass(frozen=True)
class Outcome:
    device: TOTPDevice | StaticDevice | None = None
    locked_until: datetime | None = None


def normalise(code: str) -> str:
    """People type recovery codes with spaces or in capitals; TOTP codes with a space in the middle."""
    return re.sub(r"[\s-]", "", code).lower()


def verify(*, actor, request, code: str) -> Outcome:
    """Check a six-digit code against the authenticator, anything else against the recovery codes.

    django-otp's throttling stays on: after each wrong code the device refuses every code, right
    or wrong, for twice as long as after the last one (1 s, 2 s, 4 s …).
    """
    code = normalise(code)
    kind = TOTPDevice if TOTP_CODE.fullmatch(code) else StaticDevice
    with transaction.atomic():
        locked_until = None
        for device in kind.objects.devices_for_user(actor, confirmed=True).select_for_update():
            allowed, why = device.verify_is_allowed()
            if not allowed:
                if why and why.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
                    locked_until = why["locked_until"]
                continue
            if device.verify_token(code):
                break
        else:
            record(
                actor=actor,
                action="auth.otp_failed",
                result=Result.REFUSED if locked_until else Result.FAILED,
                username=actor.get_username(),
            )
            return Outcome(locked_until=locked_until)
        action = "auth.recovery_code_used" if kind is StaticDevice else "auth.otp_verified"
        record(actor=actor, action=action, target=device, username=actor.get_username())
    sign_in_with(request, device)
    return Outcome(device=device)


def sign_in_with(request, device) -> None:
    """Mark the session verified by this device, under a new key: the one the password step
    issued may have been seen, and it now carries more."""
    request.session.cycle_key()
    otp_login(request, device)
