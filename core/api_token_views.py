"""The account page of personal API tokens: the user's own list, a form for a new one whose
secret is shown on the answer to that POST only, and revoking. The rules are in core.api_tokens."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import api_tokens
from core.forms import BootstrapFormMixin, DateInput
from core.models import ApiToken


class ApiTokenForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "expires_on"]
        widgets = {"expires_on": DateInput()}
        help_texts = {"name": gettext_lazy("写明用在哪里,如“周报脚本”"), "expires_on": gettext_lazy("默认90天,最长1年")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        expires = self.fields["expires_on"]
        expires.initial = today + timedelta(days=api_tokens.DEFAULT_DAYS)
        expires.widget.attrs.update(
            min=(today + timedelta(days=1)).isoformat(), max=(today + timedelta(days=ApiToken.MAX_DAYS)).isoformat()
        )


@login_required
def token_list(request):
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        token, secret = api_tokens.create_api_token(actor=request.user, **form.cleaned_data)
        return render(request, "registration/api_token_created.html", {"token": token, "secret": secret})
    context = {"form": form, "tokens": api_tokens.tokens_of(request.user)}
    return render(request, "registration/api_tokens.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = api_tokens.revoke_api_token(actor=request.user, token_id=pk)
    messages.success(request, _("令牌“%(name)s”已撤销,使用它的请求将被拒绝。") % {"name": token.name})
    return redirect("api_tokens")
