from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from orgs.models import MemberKind, MemberStatus


class MemberFilterForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("管理类型"), choices=[("", _("全部")), *MemberKind.choices], required=False)
    status = forms.ChoiceField(label=_("党员类别"), choices=[("", _("全部")), *MemberStatus.choices], required=False)
    organization = forms.IntegerField(required=False, widget=forms.HiddenInput)
