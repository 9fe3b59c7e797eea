from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import CategoryChoiceField, PhotoField
from cases.models import Category
from cobuilding.models import CoBuildingUnit
from core.forms import BootstrapFormMixin, DateInput
from gridwork.models import MeetingKind
from gridwork.services import Raise
from orgs.models import Post


class GridMeetingForm(BootstrapFormMixin, forms.Form):
    grid = forms.ModelChoiceField(queryset=None, label=_("网格"))
    held_on = forms.DateField(label=_("召开日期"), widget=DateInput, initial=timezone.localdate)
    topic = forms.CharField(label=_("议题"), max_length=200)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        only = list(grids[:2])
        if len(only) == 1:  # a grid worker's own grid
            self.fields["grid"].initial = only[0]


class AttendanceForm(BootstrapFormMixin, forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("参会人员"),
        queryset=Post.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = people
        self.fields["attendees"].label_from_instance = lambda p: (
            f"{p.holder_name} · {p.get_role_display()}{f'({p.slot})' if p.slot else ''}"
        )


RAISE_CHOICES = [
    (Raise.NOTHING, _("仅记录")),
    (Raise.CASE, _("上报为案件")),
    (Raise.NEED, _("列入社区需求清单")),
    (Raise.PROJECT, _("立为服务项目")),
]


class DecisionForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("议定事项"), widget=forms.Textarea(attrs={"rows": 3}))
    raises = forms.ChoiceField(label=_("转办"), choices=RAISE_CHOICES, required=False)
    category = CategoryChoiceField(
        queryset=Category.objects.order_by("tree_id", "lft"),
        label=_("案件类别"),
        required=False,
        help_text=_("上报为案件时选择"),
    )
    title = forms.CharField(label=_("需求或项目名称"), max_length=200, required=False)
    unit = forms.ModelChoiceField(
        queryset=CoBuildingUnit.objects.none(), label=_("实施单位"), required=False, help_text=_("立为服务项目时选择")
    )

    def __init__(self, *args, units, community_lists: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if not community_lists:  # a need or a project is the community's staff's to raise
            self.fields["raises"].choices = RAISE_CHOICES[:2]
            del self.fields["title"], self.fields["unit"]


class MeetingRuleForm(BootstrapFormMixin, forms.Form):
    area = forms.ModelChoiceField(queryset=None, label=_("社区或网格"))
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    every_months = forms.IntegerField(label=_("召开周期(月)"), min_value=1, max_value=12, initial=1)
    starts_on = forms.DateField(label=_("起算日期"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = places


class EndMeetingRuleForm(BootstrapFormMixin, forms.Form):
    ended_on = forms.DateField(label=_("停用日期"), widget=DateInput, initial=timezone.localdate)


class CardForm(BootstrapFormMixin, forms.Form):
    """挂牌信息: what the grid's public card shows of a post."""

    duties = forms.CharField(
        label=_("岗位职责"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone = forms.CharField(
        label=_("联系电话"), max_length=30, required=False, help_text=_("公开的工作电话,不填个人手机号")
    )
    photo = PhotoField(label=_("照片(选填)"))
    remove_photo = forms.BooleanField(label=_("删除现有照片"), required=False)
