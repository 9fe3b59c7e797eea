from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance, CommitteeMember, CommitteeRole
from cobuilding.models import CoBuildingUnit, MeetingLevel
from core.forms import BootstrapFormMixin, DateInput
from grids.models import Area
from gridwork import forms as gridwork_forms
from orgs.models import Organization

CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class AllianceForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("联盟名称"), max_length=100)
    area = forms.ModelChoiceField(label=_("所在街道或区"), queryset=Area.objects.none())
    founded_on = forms.DateField(label=_("成立日期"), widget=DateInput, initial=timezone.localdate)
    chair_term_months = forms.IntegerField(label=_("轮值任期(月)"), min_value=1, max_value=36, initial=12)
    clause = forms.CharField(label=_("依据"), max_length=300, required=False)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = places


class CommitteeForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("职务"), choices=CommitteeRole.choices)
    affiliation = forms.CharField(label=_("所在单位或组织"), max_length=100)
    start = forms.DateField(label=_("任职日期"), widget=DateInput, initial=timezone.localdate)


class MemberForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("共建单位"), queryset=CoBuildingUnit.objects.none(), required=False)
    organization = forms.ModelChoiceField(label=_("党组织"), queryset=Organization.objects.none(), required=False)
    joined_on = forms.DateField(label=_("加入日期"), widget=DateInput, initial=timezone.localdate)
    rotation_order = forms.IntegerField(
        label=_("轮值顺序"), min_value=1, max_value=999, required=False, help_text=_("空表示不参加轮值")
    )

    def __init__(self, *args, units, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["organization"].queryset = organizations


class HandOverForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("交接登记日期"), widget=DateInput, initial=timezone.localdate)


class JointMeetingForm(BootstrapFormMixin, forms.Form):
    alliance = forms.ModelChoiceField(
        label=_("区域化党建联盟"), queryset=Alliance.objects.none(), required=False, help_text=_("联盟的联席会议时选择")
    )
    level = forms.ChoiceField(label=_("层级"), choices=MeetingLevel.choices)
    area = forms.ModelChoiceField(label=_("区域"), queryset=Area.objects.none())
    held_on = forms.DateField(label=_("召开日期"), widget=DateInput, initial=timezone.localdate)
    title = forms.CharField(label=_("议题"), max_length=200)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 4}))
    units = forms.ModelMultipleChoiceField(
        label=_("参会单位"), queryset=CoBuildingUnit.objects.none(), required=False, widget=CHECKBOXES
    )
    committee = forms.ModelMultipleChoiceField(
        label=_("出席的指导委员会委员"), queryset=CommitteeMember.objects.none(), required=False, widget=CHECKBOXES
    )

    def __init__(self, *args, alliances, areas, units, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].queryset = alliances
        self.fields["area"].queryset = areas
        self.fields["units"].queryset = units
        self.fields["committee"].queryset = committee


class CommitteeAttendanceForm(BootstrapFormMixin, forms.Form):
    committee = forms.ModelMultipleChoiceField(
        label=_("出席的指导委员会委员"), queryset=CommitteeMember.objects.none(), required=False, widget=CHECKBOXES
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committee


class DecisionForm(gridwork_forms.DecisionForm):
    """A grid meeting's decision form, with the place a street's joint meeting raises at."""

    place = forms.ModelChoiceField(
        label=_("所在社区或网格"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("街道联席会议转办时选择案件、需求或项目所在的社区、网格或楼栋"),
    )
    field_order = ["text", "raises", "category", "title", "place", "unit"]

    def __init__(self, *args, places, units, **kwargs):
        super().__init__(*args, units=units, community_lists=True, **kwargs)
        self.fields["place"].queryset = places


class ServiceActivityForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(label=_("服务日期"), widget=DateInput, initial=timezone.localdate)
    activity = forms.CharField(label=_("服务内容"), max_length=200)
    hours = forms.DecimalField(label=_("服务时长(小时)"), min_value=0.5, max_value=24, decimal_places=1)


class SendReportForm(BootstrapFormMixin, forms.Form):
    """Nothing to fill: the half-year shown is sent to the unit's contact."""
