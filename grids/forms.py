from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin, DateInput
from core.identity import looks_like_id_or_phone
from grids.models import (
    Area,
    AreaKind,
    Household,
    KeyGroup,
    Occupancy,
    Relation,
    ResidenceStatus,
    Resident,
    ResidentEnd,
    ResidentTag,
)
from grids.services import CARD_FIELDS


class HouseholdCardForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = sorted(CARD_FIELDS, key=[f.name for f in Household._meta.fields].index)
        widgets = {
            "last_visited": DateInput(),
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


class PlaceForm(BootstrapFormMixin, forms.Form):
    """A new grid, compound or building (or street, community for district staff)."""

    kind = forms.ChoiceField(label=_("类型"))
    parent = forms.ModelChoiceField(label=_("上级"), queryset=Area.objects.none())
    name = forms.CharField(label=_("名称"), max_length=100)
    code = forms.RegexField(label=_("编号"), regex=r"^\d{1,3}$", help_text=_("在上级编码后追加:网格、小区2位,楼栋3位"))
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args, kinds, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, AreaKind(k).label) for k in kinds]
        self.fields["parent"].queryset = parents


class PlaceEditForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    declared_households = forms.IntegerField(
        label=_("申报户数"), min_value=0, required=False, help_text=_("仅社区填写")
    )


class PlaceMoveForm(BootstrapFormMixin, forms.Form):
    new_parent = forms.ModelChoiceField(label=_("新的上级"), queryset=Area.objects.none())

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents


class ConfirmForm(BootstrapFormMixin, forms.Form):
    confirm = forms.BooleanField(label=_("确认"), required=True)


class PlaceMergeForm(BootstrapFormMixin, forms.Form):
    into = forms.ModelChoiceField(
        label=_("合并到"),
        queryset=Area.objects.none(),
        help_text=_("住户、下级区域、岗位、案件和门牌迁入所选区域,原区域随后删除"),
    )
    confirm = forms.BooleanField(label=_("确认合并"), required=True)

    def __init__(self, *args, neighbours, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = neighbours


class HouseholdForm(BootstrapFormMixin, forms.Form):
    building = forms.ModelChoiceField(label=_("楼栋"), queryset=Area.objects.none())
    unit = forms.CharField(label=_("单元"), max_length=10, required=False)
    floor = forms.IntegerField(label=_("楼层"), min_value=-5, max_value=200)
    room = forms.CharField(label=_("房号"), max_length=10)
    occupancy = forms.ChoiceField(label=_("居住状态"), choices=Occupancy.choices)

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings


class MoveInForm(ResidentForm):
    on = forms.DateField(label=_("迁入日期"), widget=DateInput)


class ResidentEditForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    # Never shown in full here (the page is masked); empty keeps the number on file.
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False, help_text=_("留空则不变"))
    residence_status = forms.ChoiceField(label=_("居住类型"), choices=ResidenceStatus.choices)
    relation = forms.ChoiceField(label=_("与户主关系"), choices=Relation.choices)


class EndResidentForm(BootstrapFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("注销原因"), choices=ResidentEnd.choices)
    on = forms.DateField(label=_("日期"), widget=DateInput)
    new_head = forms.ModelChoiceField(
        label=_("新户主"), queryset=Resident.objects.none(), required=False, help_text=_("注销户主时必填")
    )

    def __init__(self, *args, housemates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_head"].queryset = housemates


class ChangeHeadForm(BootstrapFormMixin, forms.Form):
    new_head = forms.ModelChoiceField(label=_("新户主"), queryset=Resident.objects.none())
    old_head_relation = forms.ChoiceField(
        label=_("原户主与新户主关系"), choices=[c for c in Relation.choices if c[0] != Relation.HEAD]
    )

    def __init__(self, *args, living, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_head"].queryset = living


class TagForm(BootstrapFormMixin, forms.Form):
    group = forms.ModelChoiceField(label=_("重点人群"), queryset=KeyGroup.objects.none())
    since = forms.DateField(label=_("起始日期"), widget=DateInput)
    until = forms.DateField(label=_("截止日期"), widget=DateInput, required=False)
    legal_basis = forms.CharField(
        label=_("保留依据"), max_length=200, required=False, help_text=_("留空则使用该人群的默认法律依据")
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


class EndTagForm(BootstrapFormMixin, forms.Form):
    tag = forms.ModelChoiceField(label=_("重点人群标记"), queryset=ResidentTag.objects.none())
    until = forms.DateField(label=_("截止日期"), widget=DateInput)

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = tags
        self.fields["tag"].label_from_instance = lambda tag: f"{tag.group.name}({tag.since:%Y-%m-%d}起)"
