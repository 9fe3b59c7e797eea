from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, DateInput
from estates.models import SCORE


class AdmitForm(BootstrapFormMixin, forms.Form):
    compound = forms.ModelChoiceField(queryset=None, label=_("小区"))
    company = forms.ModelChoiceField(queryset=None, label=_("物业公司"))
    starts_on = forms.DateField(label=_("服务起始日期"), widget=DateInput, initial=timezone.localdate)
    admission_ref = forms.CharField(label=_("准入决定文号"), max_length=100)

    def __init__(self, *args, compounds, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["compound"].queryset = compounds
        self.fields["company"].queryset = companies


class ExitForm(BootstrapFormMixin, forms.Form):
    ends_on = forms.DateField(label=_("退出日期"), widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(label=_("退出原因"), widget=forms.Textarea(attrs={"rows": 3}))
    exit_ref = forms.CharField(label=_("退出决定文号"), max_length=100)


class InspectionForm(BootstrapFormMixin, forms.Form):
    term = forms.ModelChoiceField(queryset=None, label=_("小区及物业公司"))
    inspected_on = forms.DateField(label=_("检查日期"), widget=DateInput, initial=timezone.localdate)
    items = forms.CharField(
        label=_("检查项目"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项,例如:保洁、绿化、秩序维护、设施维修"),
    )
    score = forms.DecimalField(label=_("检查得分"), max_digits=5, decimal_places=1, validators=SCORE)

    def __init__(self, *args, terms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = terms
        self.fields["term"].label_from_instance = lambda t: f"{t.compound.name} · {t.company.name}"


class RoundForm(BootstrapFormMixin, forms.Form):
    street = forms.ModelChoiceField(queryset=None, label=_("街道"))
    name = forms.CharField(label=_("名称"), max_length=100)
    period_start = forms.DateField(label=_("考核起始日期"), widget=DateInput)
    period_end = forms.DateField(label=_("考核截止日期"), widget=DateInput)
    assessed_on = forms.DateField(label=_("评分日期"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets


class ReassessForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("复核日期"), widget=DateInput, initial=timezone.localdate)


class DecideExitForm(BootstrapFormMixin, forms.Form):
    exits = forms.TypedChoiceField(
        label=_("决定"),
        choices=[("1", _("退出该小区")), ("0", _("保留"))],
        coerce=lambda v: v == "1",
    )
    decision_ref = forms.CharField(label=_("决定文号"), max_length=100)
    note = forms.CharField(label=_("决定说明"), widget=forms.Textarea(attrs={"rows": 3}))
    ends_on = forms.DateField(label=_("退出日期"), widget=DateInput, initial=timezone.localdate, required=False)
