from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    workbook = forms.FileField(label=_("Excel文件(.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class ImportApplyForm(forms.Form):
    all_or_nothing = forms.BooleanField(label=_("有任何一行被拒绝时,全部不导入"), required=False)


class ExportForm(BootstrapFormMixin, forms.Form):
    area = forms.TypedChoiceField(label=_("范围"), coerce=int)
    reveal = forms.BooleanField(label=_("导出完整身份证号和手机号"), required=False)
    reason = forms.CharField(label=_("事由"), max_length=200, required=False)

    def __init__(self, *args, areas, can_reveal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(area.pk, f"{area.get_kind_display()} · {area.name}") for area in areas]
        if not can_reveal:
            del self.fields["reveal"]
            del self.fields["reason"]
        else:
            self.fields["reveal"].widget.attrs["class"] = "form-check-input"
