from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from orgs.models import CoBuildingUnit, MemberKind, MemberStatus


class MemberFilterForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("管理类型"), choices=[("", _("全部")), *MemberKind.choices], required=False)
    status = forms.ChoiceField(label=_("党员类别"), choices=[("", _("全部")), *MemberStatus.choices], required=False)
    organization = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ClaimForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("认领单位"), queryset=CoBuildingUnit.objects.none(), empty_label=_("选择认领单位")
    )

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = CoBuildingUnit.objects.filter(community=community).order_by("name")


class CompleteForm(BootstrapFormMixin, forms.Form):
    result = forms.CharField(label=_("完成情况"), max_length=300)
