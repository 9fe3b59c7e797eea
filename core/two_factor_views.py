"""The pages of two-factor sign-in: the code after the password, enrolment, and the status page
with its recovery codes. The rules are in core.two_factor; these only render and redirect."""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from core import two_factor
from core.forms import BootstrapFormMixin


class CodeForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text"}),
    )


class FirstCodeForm(BootstrapFormMixin, forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("验证器显示的6位数字"),
        regex=r"^\d{6}$",
        error_messages={"invalid": gettext_lazy("请输入6位数字。")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6}),
    )

    def clean_code(self):
        return two_factor.normalise(self.cleaned_data["code"])


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def verify(request):
    """The second step: a code from the authenticator, or one recovery code."""
    if two_factor.is_satisfied(request):
        return redirect(_next_url(request))
    if not user_has_device(request.user, confirmed=True):
        return redirect("two_factor_enrol")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        outcome = two_factor.verify(actor=request.user, request=request, code=form.cleaned_data["code"])
        if outcome.device is not None:
            if outcome.device.name == two_factor.RECOVERY_CODES:
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(request, _("已使用一个恢复码,还剩 %(left)d 个。") % {"left": left})
            return redirect(_next_url(request))
        if outcome.locked_until is not None:
            seconds = max(1, int((outcome.locked_until - timezone.now()).total_seconds()) + 1)
            form.add_error("code", _("尝试过多,请 %(seconds)d 秒后再试。") % {"seconds": seconds})
        else:
            form.add_error("code", _("验证码不正确或已过期。"))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def enrol(request):
    """Shows the secret as a QR code and in text; a first code confirms it, then the recovery
    codes are shown, this once."""
    if user_has_device(request.user, confirmed=True):
        return redirect("two_factor")
    form = FirstCodeForm(request.POST or None)
    if form.is_valid():
        enrolled = two_factor.enrol(actor=request.user, session=request.session, code=form.cleaned_data["code"])
        if enrolled is not None:
            device, codes = enrolled
            two_factor.sign_in_with(request, device)
            return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("code", _("验证码不正确或已过期,请核对手机时间后重试。"))
    secret = two_factor.pending_secret(request.session)
    url = two_factor.otpauth_url(user=request.user, secret=secret)
    text = b32encode(secret).decode()
    context = {
        "form": form,
        # Drawn by segno from the otpauth URL alone: paths, no script, nothing a user typed unescaped.
        "qr": mark_safe(segno.make(url, error="m").svg_inline(scale=4, title=_("两步验证二维码"))),  # noqa: S308
        "secret": " ".join(text[i : i + 4] for i in range(0, len(text), 4)),
        "required": two_factor.required_for(request.user),
        "next": _next_url(request),
    }
    return render(request, "registration/two_factor_enrol.html", context)


@login_required
def status(request):
    device = two_factor.authenticator_of(request.user)
    context = {
        "device": device,
        "codes_left": two_factor.recovery_codes_left(request.user) if device else 0,
        "required": two_factor.required_for(request.user),
    }
    return render(request, "registration/two_factor.html", context)


@require_POST
@login_required
def recovery_codes(request):
    """New recovery codes for a verified session (the middleware sees to that), shown once."""
    if not user_has_device(request.user, confirmed=True):
        return redirect("two_factor_enrol")
    codes = two_factor.regenerate_recovery_codes(actor=request.user)
    return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": resolve_url("two_factor")})
