"""The page of client keys: the keys the caller keeps, a form for a new one whose secret is shown on
the answer to that POST only, and revoking. The rules are in orgs.client_keys; a caller who keeps
no keys gets a 404, like any page outside their scope."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import BootstrapFormMixin, DateInput
from orgs import client_keys
from orgs.models import ClientKey


class ClientKeyForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ClientKey
        fields = ["name", "district", "department", "expires_on"]
        widgets = {"expires_on": DateInput()}
        help_texts = {
            "name": gettext_lazy("写明对接的系统,如“12345热线平台”"),
            "district": gettext_lazy("区级对接(如12345热线)选区县,部门系统选部门,二者选一"),
        }

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = client_keys.districts_for(scope)
        self.fields["department"].queryset = client_keys.departments_for(scope)
        today = timezone.localdate()
        expires = self.fields["expires_on"]
        expires.initial = today + timedelta(days=client_keys.DEFAULT_DAYS)
        expires.widget.attrs.update(
            min=(today + timedelta(days=1)).isoformat(), max=(today + timedelta(days=ClientKey.MAX_DAYS)).isoformat()
        )


def _keeper_scope(request):
    if not client_keys.may_keep(request.scope):
        raise Http404
    return request.scope


@login_required
def key_list(request):
    scope = _keeper_scope(request)
    form = ClientKeyForm(request.POST if request.method == "POST" else None, scope=scope)
    if form.is_valid():
        key, secret = client_keys.create_client_key(actor=request.user, **form.cleaned_data)
        return render(request, "orgs/client_key_created.html", {"key": key, "secret": secret})
    context = {"form": form, "keys": client_keys.client_keys(scope)}
    return render(request, "orgs/client_keys.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def key_revoke(request, pk: int):
    _keeper_scope(request)
    key = client_keys.revoke_client_key(actor=request.user, key_id=pk)
    messages.success(request, _("接入密钥“%(name)s”已撤销,使用它的请求将被拒绝。") % {"name": key.name})
    return redirect("orgs:client_keys")
