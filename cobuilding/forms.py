from django import forms
from django.utils.translation import gettext_lazy as _

from cobuilding import selectors
from cobuilding.models import (
    Agreement,
    CoBuildingUnit,
    MeetingLevel,
    Need,
    NeedDirection,
    Pricing,
    RatingDirection,
    ResourceBooking,
    ResourceKind,
    UnitKind,
    UnitPoints,
)
from core.forms import BootstrapFormMixin, DateInput
from core.scope import Scope
from grids.models import Area


class ClaimForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("认领单位"), queryset=CoBuildingUnit.objects.none(), empty_label=_("选择认领单位")
    )

    def __init__(self, *args, scope: Scope, community, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a unit of the need's own community, and one the caller may see, can claim it.
        self.fields["unit"].queryset = selectors.claimants(scope, community)


class CompleteForm(BootstrapFormMixin, forms.Form):
    result = forms.CharField(label=_("完成情况"), max_length=300)


class UnitForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    kind = forms.ChoiceField(label=_("单位类型"), choices=UnitKind.choices)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    contact = forms.CharField(label=_("联系人"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("联系邮箱"), required=False, help_text=_("接收在职党员双报告"))


class RegisterUnitForm(UnitForm):
    community = forms.ModelChoiceField(label=_("共建社区"), queryset=Area.objects.none())

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class EndUnitForm(BootstrapFormMixin, forms.Form):
    ended_on = forms.DateField(label=_("退出日期"), widget=DateInput)
    end_reason = forms.CharField(label=_("退出原因"), max_length=200)


class AgreementForm(BootstrapFormMixin, forms.Form):
    signed_on = forms.DateField(label=_("签订日期"), widget=DateInput)
    valid_until = forms.DateField(label=_("有效期至"), widget=DateInput)
    content = forms.CharField(label=_("共建内容"), widget=forms.Textarea(attrs={"rows": 3}))


class EndAgreementForm(BootstrapFormMixin, forms.Form):
    agreement = forms.ModelChoiceField(label=_("协议"), queryset=Agreement.objects.none())
    ended_on = forms.DateField(label=_("解除日期"), widget=DateInput)
    end_reason = forms.CharField(label=_("解除原因"), max_length=200)

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements


class AwardPointsForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("日期"), widget=DateInput)
    points = forms.IntegerField(label=_("积分"), min_value=-100, max_value=100, help_text=_("扣分填负数"))
    reason = forms.CharField(label=_("事由"), max_length=200)


class CorrectPointsForm(BootstrapFormMixin, forms.Form):
    entry = forms.ModelChoiceField(label=_("更正的记录"), queryset=UnitPoints.objects.none())
    points = forms.IntegerField(label=_("正确分值"), min_value=-100, max_value=100, help_text=_("原记录应有的分值"))
    on = forms.DateField(label=_("更正日期"), widget=DateInput)
    reason = forms.CharField(label=_("更正事由"), max_length=200)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries
        self.fields["entry"].label_from_instance = lambda e: f"{e.on:%Y-%m-%d} {e.points:+d} {e.reason}"


class ResourceForm(BootstrapFormMixin, forms.Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=Area.objects.none())
    unit = forms.ModelChoiceField(
        label=_("提供单位"), queryset=CoBuildingUnit.objects.none(), required=False, help_text=_("空表示社区自有")
    )
    kind = forms.ChoiceField(label=_("类型"), choices=ResourceKind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    pricing = forms.ChoiceField(label=_("收费方式"), choices=Pricing.choices)
    description = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, communities, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["unit"].queryset = units


class BookingForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("预约单位"), queryset=CoBuildingUnit.objects.none())
    on = forms.DateField(label=_("使用日期"), widget=DateInput)
    purpose = forms.CharField(label=_("用途"), max_length=200)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CancelBookingForm(BootstrapFormMixin, forms.Form):
    booking = forms.ModelChoiceField(label=_("取消的预约"), queryset=ResourceBooking.objects.none())
    cancel_reason = forms.CharField(label=_("取消原因"), max_length=200)

    def __init__(self, *args, bookings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booking"].queryset = bookings
        self.fields["booking"].label_from_instance = lambda b: f"{b.on:%Y-%m-%d} {b.unit.name}({b.purpose})"


class NeedForm(BootstrapFormMixin, forms.Form):
    direction = forms.ChoiceField(label=_("需求方向"), choices=NeedDirection.choices)
    community = forms.ModelChoiceField(label=_("社区"), queryset=Area.objects.none())
    raised_by = forms.ModelChoiceField(
        label=_("提出单位"), queryset=CoBuildingUnit.objects.none(), required=False, help_text=_("单位需求必填")
    )
    title = forms.CharField(label=_("需求"), max_length=200)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    raised_on = forms.DateField(label=_("提出日期"), widget=DateInput)

    def __init__(self, *args, communities, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["raised_by"].queryset = units


class NeedEditForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("需求"), max_length=200)
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    raised_on = forms.DateField(label=_("提出日期"), widget=DateInput)


class AnswerForm(BootstrapFormMixin, forms.Form):
    answer = forms.CharField(label=_("社区回应"), max_length=300)


class MeetingForm(BootstrapFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("层级"), choices=MeetingLevel.choices)
    area = forms.ModelChoiceField(label=_("区域"), queryset=Area.objects.none())
    held_on = forms.DateField(label=_("召开日期"), widget=DateInput)
    title = forms.CharField(label=_("议题"), max_length=200)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(label=_("议定事项"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("参会单位"),
        queryset=CoBuildingUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, areas, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["units"].queryset = units


class AttendanceForm(BootstrapFormMixin, forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("参会单位"),
        queryset=CoBuildingUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    decisions = forms.CharField(label=_("议定事项"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class ProjectForm(BootstrapFormMixin, forms.Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=Area.objects.none())
    unit = forms.ModelChoiceField(label=_("实施单位"), queryset=CoBuildingUnit.objects.none())
    need = forms.ModelChoiceField(label=_("对应需求"), queryset=Need.objects.none(), required=False)
    title = forms.CharField(label=_("项目"), max_length=200)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput)

    def __init__(self, *args, communities, units, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["unit"].queryset = units
        self.fields["need"].queryset = needs


class BeginProjectForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("开始日期"), widget=DateInput)


class FinishProjectForm(BootstrapFormMixin, forms.Form):
    finished_on = forms.DateField(label=_("完成日期"), widget=DateInput)
    outcome = forms.CharField(label=_("实施成效"), max_length=300)


class RatingForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    direction = forms.ChoiceField(label=_("方向"), choices=RatingDirection.choices)
    score = forms.IntegerField(label=_("评分"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("意见建议"), max_length=300, required=False)
