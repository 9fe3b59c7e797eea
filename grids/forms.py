from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.identity import looks_like_id_or_phone
from grids.models import Household, Relation, ResidenceStatus
from grids.services import CARD_FIELDS


class HouseholdCardForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = sorted(CARD_FIELDS, key=[f.name for f in Household._meta.fields].index)
        widgets = {
            "last_visited": forms.DateInput(attrs={"type": "date"}),
            "family_situation": forms.Textarea(attrs={"rows": 2}),
            "facilities": forms.Textarea(attrs={"rows": 2}),
            "hazards": forms.Textarea(attrs={"rows": 2}),
            "conflicts": forms.Textarea(attrs={"rows": 2}),
        }

    def validate_unique(self):
        # The service validates the whole row once; doing it here too would query twice.
        pass


class ResidentForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    citizen_id = forms.CharField(label=_("公民身份号码"), max_length=20)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    residence_status = forms.ChoiceField(label=_("居住类型"), choices=ResidenceStatus.choices)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Relation.choices)


class RevealForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("查看事由"), max_length=200, help_text=_("将与您的账号、时间一同记录"), widget=forms.TextInput()
    )


class ResidentSearchForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("姓名、身份证号或手机号"), max_length=50, required=False)

    def __init__(self, *args, by_number: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_number = by_number  # only a POST body may carry an ID or phone

    def clean_q(self):
        query = self.cleaned_data["q"].strip()
        if not self.by_number and looks_like_id_or_phone(query):
            raise forms.ValidationError(_("身份证号、手机号请在查询框中提交,不要写在网址里"), code="number_in_url")
        return query
