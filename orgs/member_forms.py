"""Forms and the list filter of the party roll's pages (orgs/member_pages.py). Choices come in
already narrowed to the caller's scope; the services check again."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.blind_index import blind_index
from core.forms import BootstrapFormMixin, DateInput
from core.identity import ID_LIKE
from grids import selectors as grid_selectors
from grids.filters import FilterForm
from grids.models import Household
from orgs.models import MemberKind, MemberStatus, Organization, PartyMember, ServicePoints


class MemberFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("姓名"), lookup_expr="contains")
    organization = django_filters.ModelChoiceFilter(
        label=_("所在党组织"), queryset=lambda request: Organization.objects.within(request.scope).order_by("name")
    )
    status = django_filters.ChoiceFilter(label=_("党员类别"), choices=MemberStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("管理类型"), choices=MemberKind.choices)
    dual = django_filters.BooleanFilter(
        label=_("已双报到"), field_name="reported_on", lookup_expr="isnull", exclude=True
    )
    in_roll = django_filters.BooleanFilter(label=_("在册"), field_name="left_on", lookup_expr="isnull")

    class Meta:
        model = PartyMember
        fields = ["name", "organization", "status", "kind", "dual", "in_roll"]
        form = FilterForm


class MemberForm(BootstrapFormMixin, forms.Form):
    # Named after the model's field so a service's "resident" error lands here. The number is
    # matched through the blind index and never shown back: the page shows the resident masked.
    resident = forms.CharField(
        label=_("对应居民身份证号"),
        max_length=18,
        required=False,
        help_text=_("居住在本辖区的党员填写,关联其居民档案"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    name = forms.CharField(label=_("姓名"), max_length=50, required=False, help_text=_("关联居民时可不填"))
    organization = forms.ModelChoiceField(label=_("所在党组织"), queryset=Organization.objects.none())
    status = forms.ChoiceField(label=_("党员类别"), choices=MemberStatus.choices)
    kind = forms.ChoiceField(label=_("管理类型"), choices=MemberKind.choices)
    joined = forms.DateField(label=_("入党日期"), widget=DateInput)
    work_unit = forms.CharField(label=_("工作单位"), max_length=100, required=False, help_text=_("在职党员必填"))
    transferred_from = forms.CharField(
        label=_("从区外转入"), max_length=100, required=False, help_text=_("从区外转入的,填写原党组织")
    )

    def __init__(self, *args, scope, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["organization"].queryset = organizations

    def clean_resident(self):
        number = self.cleaned_data["resident"].strip().upper()
        if not number:
            return None
        if not ID_LIKE.match(number):
            raise forms.ValidationError(_("身份证号格式不对"), code="bad_id")
        found = (
            grid_selectors.residents(self.scope)
            .filter(citizen_id_hash=blind_index(number))
            .select_related("household__building")
            .first()
        )
        if found is None:
            raise forms.ValidationError(_("您的辖区内没有这位居民"), code="resident_outside")
        return found

    def clean(self):
        data = super().clean()
        if not data.get("name") and not data.get("resident") and "resident" not in self.errors:
            self.add_error("name", forms.ValidationError(_("请填写姓名或对应居民身份证号"), code="no_name"))
        return data


class MemberEditForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    status = forms.ChoiceField(label=_("党员类别"), choices=MemberStatus.choices)
    kind = forms.ChoiceField(label=_("管理类型"), choices=MemberKind.choices)
    joined = forms.DateField(label=_("入党日期"), widget=DateInput)
    work_unit = forms.CharField(label=_("工作单位"), max_length=100, required=False, help_text=_("在职党员必填"))


class TransferForm(BootstrapFormMixin, forms.Form):
    to = forms.ModelChoiceField(
        label=_("转入党组织"), queryset=Organization.objects.none(), required=False, help_text=_("本区内转接时选择")
    )
    outside = forms.CharField(label=_("转往区外组织"), max_length=100, required=False, help_text=_("转出本区时填写"))
    on = forms.DateField(label=_("转接日期"), widget=DateInput)
    reason = forms.CharField(label=_("事由"), max_length=200)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = organizations

    def clean(self):
        data = super().clean()
        if data.get("to") and data.get("outside", "").strip():
            self.add_error("outside", forms.ValidationError(_("本区内转接不填区外组织"), code="both"))
        return data


class DualReportForm(BootstrapFormMixin, forms.Form):
    work_unit = forms.CharField(label=_("工作单位"), max_length=100)
    co_building_unit = forms.ModelChoiceField(
        label=_("共建单位"),
        queryset=PartyMember.objects.none(),
        required=False,
        help_text=_("工作单位是共建单位时选择"),
    )
    reported_on = forms.DateField(label=_("到社区报到日期"), widget=DateInput)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_building_unit"].queryset = units


class PointsForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("日期"), widget=DateInput)
    points = forms.IntegerField(label=_("积分"), min_value=-100, max_value=100)
    reason = forms.CharField(label=_("事由"), max_length=200)

    def clean_points(self):
        if self.cleaned_data["points"] == 0:
            raise forms.ValidationError(_("积分不能为0"), code="zero")
        return self.cleaned_data["points"]


class CorrectPointsForm(BootstrapFormMixin, forms.Form):
    entry = forms.ModelChoiceField(label=_("要更正的记录"), queryset=ServicePoints.objects.none())
    reason = forms.CharField(label=_("更正原因"), max_length=180)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries


class HouseholdsForm(BootstrapFormMixin, forms.Form):
    households = forms.ModelMultipleChoiceField(label=_("住户"), queryset=Household.objects.none())

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].queryset = households
