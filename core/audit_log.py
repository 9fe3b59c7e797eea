"""Reads of the audit log for the auditors' page: filters and a keyset page in the chain's own order."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.models import AuditEntry, Result

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    action = forms.CharField(label=_("操作"), required=False, max_length=60, help_text=_("前缀匹配,如 grids."))
    result = forms.ChoiceField(label=_("结果"), required=False, choices=[("", "—"), *Result.choices])
    target_type = forms.ModelChoiceField(
        label=_("对象类型"), required=False, queryset=ContentType.objects.order_by("app_label", "model")
    )
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = field.widget.input_type == "select"
            css = "form-select form-select-sm" if select else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期"))
        return data


def filtered(data: dict) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if data.get("actor"):
        qs = qs.filter(actor__username=data["actor"])
    if data.get("action"):
        qs = qs.filter(action__startswith=data["action"])
    if data.get("result"):
        qs = qs.filter(result=data["result"])
    if data.get("target_type"):
        qs = qs.filter(target_type=data["target_type"])
    if data.get("since"):
        qs = qs.filter(at__date__gte=data["since"])
    if data.get("until"):
        qs = qs.filter(at__date__lte=data["until"])
    return qs


def page(qs: QuerySet[AuditEntry], after: str | None, size: int = PAGE_SIZE) -> tuple[list[AuditEntry], int | None]:
    """Newest first by id, which is the chain's order; `after` is the last id of the page before.

    Raises ValueError for a cursor that is not an id a database could hold.
    """
    qs = qs.select_related("actor", "target_type").order_by("-pk")
    if after:
        cursor = int(after)
        if not 0 < cursor < 2**63:
            raise ValueError(after)
        qs = qs.filter(pk__lt=cursor)
    rows = list(qs[: size + 1])
    next_cursor = rows[size - 1].pk if len(rows) > size else None
    return rows[:size], next_cursor
