import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.metrics import UNIT_LABELS, Period
from cases.models import (
    CHOOSABLE,
    RESIDENT_SOURCES,
    STAFF_KINDS,
    Category,
    Colour,
    Importance,
    Level,
    NotificationSettings,
    Rating,
    Source,
    Status,
    Urgency,
)
from cases.photos import clean_photo, clean_photos
from core.forms import BootstrapFormMixin, DateInput

BY_CATEGORY = _("按类别默认")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to six photos, each checked and re-encoded (cases.photos)."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("照片"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return clean_photos([f for f in files if f])


class SubmissionKeyMixin(forms.Form):
    """A key minted with the form: submitting it twice gives the first case back."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return "—" * obj.level + " " + obj.label if obj.level else obj.label


class ReportForm(BootstrapFormMixin, SubmissionKeyMixin):
    area = forms.ModelChoiceField(queryset=None, label=_("地点(楼栋)"))
    location_note = forms.CharField(label=_("具体位置"), max_length=120, required=False)
    category = CategoryChoiceField(queryset=Category.objects.order_by("tree_id", "lft"), label=_("类别"))
    description = forms.CharField(label=_("问题描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    importance = forms.ChoiceField(
        label=_("重要程度"), choices=[("", BY_CATEGORY), *Importance.choices], required=False
    )
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=[("", BY_CATEGORY), *Urgency.choices], required=False)
    source = forms.ChoiceField(
        label=_("来源"), choices=[c for c in Source.choices if c[0] not in RESIDENT_SOURCES], initial=Source.GRID_PATROL
    )
    reporter_phone = forms.CharField(label=_("群众联系电话"), max_length=20, required=False)
    photos = PhotosField()
    # Where the phone was, when the reporter let the page ask (static/js/locate.js): a report
    # placed outside every grid of the scope is refused (grids.locate).
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = places
        self.fields["area"].label_from_instance = lambda a: f"{a.parent.name} · {a.name}" if a.parent_id else a.name


class ResidentReportForm(BootstrapFormMixin, SubmissionKeyMixin):
    category = forms.ModelChoiceField(queryset=None, label=_("问题类别"), empty_label=_("请选择"))
    description = forms.CharField(
        label=_("问题描述"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("请描述问题和具体位置,如几单元几楼")}),
    )
    phone = forms.CharField(label=_("联系电话(选填)"), max_length=20, required=False)
    photos = PhotosField(label=_("照片(选填)"))

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(BootstrapFormMixin, forms.Form):
    into = forms.ModelChoiceField(queryset=None, label=_("合并到"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = candidates


class DispatchForm(BootstrapFormMixin, forms.Form):
    department = forms.ModelChoiceField(queryset=None, label=_("主办部门"))
    assisting = forms.ModelMultipleChoiceField(queryset=None, label=_("协办部门"), required=False)
    note = forms.CharField(label=_("派遣意见"), max_length=1000, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["assisting"].queryset = departments
        self.fields["assisting"].widget.attrs["size"] = 3


class CorrectForm(BootstrapFormMixin, forms.Form):
    """调整等级: importance and urgency as they really are, with the reason; offered with the case's own."""

    importance = forms.ChoiceField(label=_("重要程度"), choices=Importance.choices)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices)
    note = forms.CharField(label=_("调整理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("initial", {}).update(importance=case.importance, urgency=case.urgency)
        super().__init__(*args, **kwargs)


class ExtensionForm(BootstrapFormMixin, forms.Form):
    days = forms.IntegerField(label=_("延期(工作日)"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("延期理由"), max_length=300)


class DecisionForm(NoteForm):
    approve = forms.TypedChoiceField(
        label=_("审批"), choices=[("1", _("同意")), ("0", _("不同意"))], coerce=lambda v: v == "1"
    )


class ResolveForm(BootstrapFormMixin, forms.Form):
    feedback = forms.CharField(label=_("处置情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(label=_("处置后照片"))


class VerifyForm(BootstrapFormMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label=_("核查结果"), choices=[("1", _("通过,结案")), ("0", _("不通过,返工"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("核查意见"), max_length=1000, required=False)
    photos = PhotosField(label=_("现场照片"))


class RateForm(BootstrapFormMixin, forms.Form):
    rating = forms.ChoiceField(label=_("您对处理结果"), choices=Rating.choices, widget=forms.RadioSelect)
    reopen = forms.BooleanField(label=_("不满意,要求重新办理(仅限一次)"), required=False)
    note = forms.CharField(label=_("意见(选填)"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].widget.attrs["class"] = "form-check-input"
        self.fields["reopen"].widget.attrs["class"] = "form-check-input"


class CallbackForm(BootstrapFormMixin, forms.Form):
    rating = forms.ChoiceField(label=_("回访评价"), choices=Rating.choices)
    reopen = forms.BooleanField(label=_("不满意,要求重新办理(仅限一次)"), required=False)
    note = forms.CharField(label=_("回访记录"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reopen"].widget.attrs["class"] = "form-check-input"


class TrackForm(BootstrapFormMixin, forms.Form):
    # Wide enough for the 18-digit case number written with spaces or dashes between its parts.
    code = forms.CharField(
        label=_("查询码或案件编号"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    last_digits = forms.CharField(
        label=_("报事手机号后四位(按案件编号查询时填写)"),
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class CaseFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *Status.choices], required=False)
    colour = forms.ChoiceField(label=_("颜色"), choices=[("", _("全部")), *Colour.choices], required=False)
    category = CategoryChoiceField(
        queryset=Category.objects.order_by("tree_id", "lft"), label=_("类别"), required=False, empty_label=_("全部")
    )
    level = forms.ChoiceField(label=_("层级"), choices=[("", _("全部")), *Level.choices], required=False)
    community = forms.ModelChoiceField(queryset=None, label=_("社区"), required=False, empty_label=_("全部"))
    grid = forms.ModelChoiceField(queryset=None, label=_("网格"), required=False, empty_label=_("全部"))
    overdue = forms.BooleanField(label=_("仅超期"), required=False)
    # No max_length: a longer term is cut by the search (selectors.SEARCH_MAX), not refused.
    q = forms.CharField(label=_("搜索"), required=False, strip=True)
    sort = forms.ChoiceField(
        label=_("排序"), choices=[("", _("最新上报")), ("due", _("剩余时间(超期在前)"))], required=False
    )

    # A street's grids fit in a list (80 in the generated city); a district's 800 do not: there the
    # list offers a grid once a community is chosen.
    GRID_CHOICES_MAX = 100

    def __init__(self, *args, communities, grids, **kwargs):
        super().__init__(*args, **kwargs)
        if communities[:2].count() < 2:
            del self.fields["community"]  # one community's own list: nothing to choose
        else:
            self.fields["community"].queryset = communities
        grid = self.fields["grid"]
        grid.queryset = grids  # what a grid chosen is checked against, however it is offered
        community = self._pk("community") if "community" in self.fields else None
        if community is not None:
            grid.queryset = grids.filter(parent_id=community)
        elif grids[: self.GRID_CHOICES_MAX + 1].count() > self.GRID_CHOICES_MAX and "community" in self.fields:
            # Only where a community can be chosen first (one community's grids stay listed). A grid
            # in the address (a saved filter, a link) still filters, and is shown chosen.
            chosen = [(g.pk, g.name) for g in grids.filter(pk=self._pk("grid") or 0)]
            grid.widget.choices = [("", _("全部(先选社区)")), *chosen]
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"
        self.fields["q"].widget.attrs["placeholder"] = _("编号、描述或地点")

    def _pk(self, name: str) -> int | None:
        """The id sent for a choice, read before validation (which needs the querysets set here);
        anything but a plain id reads as none, and validation then says what is wrong with it."""
        value = str(self.data.get(name, "")) if self.is_bound else ""
        return int(value) if value.isdigit() and len(value) <= 12 else None


class PeriodForm(BootstrapFormMixin, forms.Form):
    """Whole days for metrics and the dashboard: the last 30 days unless chosen, at most a year."""

    DEFAULT_DAYS = 30
    MAX_DAYS = 366

    start = forms.DateField(label=_("开始日期"), required=False, widget=DateInput())
    end = forms.DateField(label=_("结束日期"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - datetime.timedelta(days=self.DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(_("开始日期不能晚于结束日期"), code="reversed")
        if (end - start).days >= self.MAX_DAYS:
            raise forms.ValidationError(_("统计区间最长%(days)s天") % {"days": self.MAX_DAYS}, code="too_long")
        data["period"] = Period(start=start, end=end)
        return data


class RankingForm(PeriodForm):
    unit = forms.ChoiceField(label=_("排名对象"), choices=list(UNIT_LABELS.items()), required=False)
    # The hotline's cases apart from the rest (or any one source), each rated however it was.
    source = forms.ChoiceField(label=_("来源"), choices=[("", _("全部来源")), *Source.choices], required=False)

    def clean_unit(self):
        return self.cleaned_data["unit"] or "department"

    def clean_source(self):
        return self.cleaned_data["source"] or None


class NotificationSettingsForm(forms.Form):
    """One row of channels per kind (the in-app inbox is always on), and the SMS number."""

    phone = forms.CharField(label=_("接收短信的手机号"), max_length=20, required=False)

    def __init__(self, *args, settings: NotificationSettings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].initial = settings.phone or ""
        for kind in STAFF_KINDS:
            self.fields[f"kind_{kind}"] = forms.MultipleChoiceField(
                label=kind.label,
                choices=[(c.value, c.label) for c in CHOOSABLE],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=settings.wants(kind),
            )

    def kind_fields(self):
        return [self[f"kind_{kind}"] for kind in STAFF_KINDS]

    def service_arguments(self) -> dict:
        channels = {kind.value: self.cleaned_data[f"kind_{kind}"] for kind in STAFF_KINDS}
        return {"channels": channels, "phone": self.cleaned_data["phone"]}


class PhotoField(forms.FileField):
    """One photo, checked and re-encoded like a case's (cases.photos)."""

    widget = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("照片(选填)"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        return clean_photo(data) if data else None


def _text(label, rows=2, **kwargs):
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class VisitForm(BootstrapFormMixin, forms.Form):
    """走访登记 on the doorstep: what was found, the 四清 card as it is now, and a case if one is due."""

    on = forms.DateField(label=_("走访日期"), widget=DateInput, initial=timezone.localdate)
    findings = forms.CharField(label=_("走访情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    family_situation = _text(_("家庭情况"))
    facilities = _text(_("设施情况"))
    hazards = _text(_("安全隐患"))
    conflicts = _text(_("矛盾纠纷"))
    follow_up = forms.BooleanField(label=_("需要跟进"), required=False)
    follow_up_note = forms.CharField(label=_("跟进事项"), max_length=500, required=False)
    photo = PhotoField()
    raise_case = forms.BooleanField(label=_("同时上报案件"), required=False)
    case_category = CategoryChoiceField(
        queryset=Category.objects.order_by("tree_id", "lft"), label=_("案件类别"), required=False
    )
    case_description = _text(_("问题描述"), rows=3, max_length=2000)

    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    CARD = ("family_situation", "facilities", "hazards", "conflicts")

    def clean(self):
        data = super().clean()
        if data.get("raise_case"):
            if not data.get("case_category"):
                self.add_error("case_category", _("上报案件请选择类别"))
            if not (data.get("case_description") or "").strip():
                self.add_error("case_description", _("请描述问题"))
        else:
            data["case_category"] = None
        if not data.get("follow_up"):
            data["follow_up_note"] = ""
        return data


class VisitRuleForm(BootstrapFormMixin, forms.Form):
    area = forms.ModelChoiceField(queryset=None, label=_("社区或网格"))
    group = forms.ModelChoiceField(queryset=None, label=_("重点人群"), required=False, empty_label=_("全部住户"))
    every_days = forms.IntegerField(label=_("走访周期(天)"), min_value=1, max_value=366)

    def __init__(self, *args, places, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = places
        self.fields["group"].queryset = groups


class EndVisitRuleForm(BootstrapFormMixin, forms.Form):
    ended_on = forms.DateField(label=_("停用日期"), widget=DateInput, initial=timezone.localdate)
