from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, DateInput
from grids.models import Area
from orgs.models import AREA_ROLES, Organization, OrgKind, Post, Role, Slot


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


# Party organisations on pages (orgs.org_pages) ---------------------------------------------------

# The committee posts appointed from an organisation's page; a 共建书记 comes with a co-building unit.
COMMITTEE_ROLES = [Role.SECRETARY, Role.DEPUTY_SECRETARY, Role.ORG_COMMITTEE_MEMBER, Role.GROUP_LEADER]


class OrganizationForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=OrgKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    parent = forms.ModelChoiceField(
        label=_("上级党组织"), queryset=Organization.objects.none(), required=False, help_text=_("街道党工委不填")
    )
    area = forms.ModelChoiceField(label=_("所在区域"), queryset=Area.objects.none())
    term_start = forms.DateField(label=_("本届任期起"), widget=DateInput, required=False)
    term_end = forms.DateField(
        label=_("本届任期止"), widget=DateInput, required=False, help_text=_("社区党组织不填则按五年一届计算")
    )

    def __init__(self, *args, parents, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        self.fields["area"].queryset = areas


class OrganizationEditForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    term_start = forms.DateField(label=_("本届任期起"), widget=DateInput, required=False)
    term_end = forms.DateField(label=_("本届任期止"), widget=DateInput, required=False)


class CoverForm(BootstrapFormMixin, forms.Form):
    areas = forms.ModelMultipleChoiceField(label=_("覆盖区域"), queryset=Area.objects.none())

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas


class CommitteeAppointForm(BootstrapFormMixin, forms.Form):
    holder_name = forms.CharField(label=_("姓名"), max_length=50)
    username = forms.CharField(label=_("账号"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("职务"), choices=[(r.value, r.label) for r in COMMITTEE_ROLES])
    start = forms.DateField(label=_("任职日期"), widget=DateInput)
    end = forms.DateField(label=_("离任日期"), widget=DateInput, required=False)

    clean_username = AppointForm.clean_username


class CommitteeEndForm(BootstrapFormMixin, forms.Form):
    post = forms.ModelChoiceField(label=_("班子成员"), queryset=Post.objects.none())
    end = forms.DateField(label=_("离任日期"), widget=DateInput)

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts
