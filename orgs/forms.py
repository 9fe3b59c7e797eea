from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from grids.models import Area
from orgs.models import AREA_ROLES, Role, Slot


class DateInput(forms.DateInput):
    input_type = "date"


class AppointForm(BootstrapFormMixin, forms.Form):
    holder_name = forms.CharField(label=_("姓名"), max_length=50)
    username = forms.CharField(label=_("账号"), max_length=150, required=False, help_text=_("楼栋长、单元长等可无账号"))
    role = forms.ChoiceField(label=_("岗位"), choices=[(r, Role(r).label) for r in Role if r in AREA_ROLES])
    area = forms.ModelChoiceField(label=_("区域"), queryset=Area.objects.none())
    slot = forms.ChoiceField(label=_("AB岗"), choices=[("", "—"), *Slot.choices], required=False)
    start = forms.DateField(label=_("任职日期"), widget=DateInput)
    end = forms.DateField(label=_("离任日期"), widget=DateInput, required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("没有这个账号"), code="no_such_user")
        return user


class EndPostForm(BootstrapFormMixin, forms.Form):
    end = forms.DateField(label=_("离任日期"), widget=DateInput)


class HandOverForm(BootstrapFormMixin, forms.Form):
    start = forms.DateField(label=_("代岗开始"), widget=DateInput)
    end = forms.DateField(label=_("代岗结束"), widget=DateInput)
    reason = forms.CharField(label=_("事由"), max_length=200)
