from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models import EvaluationRound
from cases.models import Rating
from core.forms import BootstrapFormMixin, DateInput
from orgs.models import Post

CHECKBOXES = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


def _post_label(post: Post) -> str:
    slot = f"({post.slot})" if post.slot else ""
    return f"{post.area.name if post.area else ''} · {post.get_role_display()}{slot} · {post.holder_name}"


class RoundForm(BootstrapFormMixin, forms.Form):
    community = forms.ModelChoiceField(queryset=None, label=_("社区"))
    title = forms.CharField(label=_("评议名称"), max_length=100)
    period_start = forms.DateField(label=_("评议期间起"), widget=DateInput)
    period_end = forms.DateField(label=_("评议期间止"), widget=DateInput)
    opens_on = forms.DateField(label=_("开始评议"), widget=DateInput, initial=timezone.localdate)
    closes_on = forms.DateField(label=_("结束评议"), widget=DateInput)
    evaluated = forms.ModelMultipleChoiceField(label=_("被评议人员"), queryset=Post.objects.none(), widget=CHECKBOXES)

    def __init__(self, *args, communities, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["evaluated"].queryset = people
        self.fields["evaluated"].label_from_instance = _post_label


class ReportForm(BootstrapFormMixin, forms.Form):
    work = forms.CharField(label=_("年度工作报告"), widget=forms.Textarea(attrs={"rows": 5}))
    finances = forms.CharField(label=_("财务收支报告"), widget=forms.Textarea(attrs={"rows": 5}))
    suggestions = forms.CharField(label=_("居民意见办理情况"), widget=forms.Textarea(attrs={"rows": 5}))


def report_initial(round: EvaluationRound) -> dict:
    return {"work": round.report_work, "finances": round.report_finances, "suggestions": round.report_suggestions}


class TrainingForm(BootstrapFormMixin, forms.Form):
    worker_post = forms.ModelChoiceField(queryset=None, label=_("网格员"))
    held_on = forms.DateField(label=_("培训日期"), widget=DateInput, initial=timezone.localdate)
    topic = forms.CharField(label=_("培训主题"), max_length=200)
    hours = forms.DecimalField(label=_("学时"), max_digits=4, decimal_places=1, min_value=0.5, max_value=24)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker_post"].queryset = workers
        self.fields["worker_post"].label_from_instance = _post_label


RATING_WIDGET = forms.RadioSelect(attrs={"class": "form-check-input"})


class BallotForm(BootstrapFormMixin, forms.Form):
    """A rating for each person the round names; nothing else about the household is asked."""

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        for post in self.people:
            self.fields[f"p{post.pk}"] = forms.ChoiceField(
                label=f"{post.holder_name} · {post.get_role_display()}", choices=Rating.choices, widget=RATING_WIDGET
            )

    def ratings(self) -> dict[int, str]:
        return {post.pk: self.cleaned_data[f"p{post.pk}"] for post in self.people}


class HouseholdCheckForm(BallotForm):
    """The QR path: the household picked on the building, and the check that proves it lives there."""

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        household = forms.ModelChoiceField(queryset=households, label=_("房号"))
        household.label_from_instance = lambda h: f"{h.unit}{_('单元')} {h.room}" if h.unit else h.room
        check = forms.CharField(
            label=_("家庭成员身份证号后六位"),
            min_length=6,
            max_length=6,
            help_text=_("仅用于确认您是本户居民,不会保存"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        )
        self.fields = {"household": household, "id_tail": check, **self.fields}
