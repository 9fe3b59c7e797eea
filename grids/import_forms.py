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


class GeometryImportForm(BootstrapFormMixin, forms.Form):
    place = forms.ModelChoiceField(queryset=None, label=_("社区或街道"))
    source = forms.FileField(
        label=_("GeoJSON 或 KML 文件"), widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.kml"})
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places
        self.fields["place"].label_from_instance = lambda area: f"{area.get_kind_display()} · {area.name}"


class ShapeForm(BootstrapFormMixin, forms.Form):
    """A boundary as GeoJSON (what the page's map writes as its vertices are dragged, or pasted), or
    a building's point."""

    boundary = forms.JSONField(label=_("边界(GeoJSON)"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    lng = forms.FloatField(label=_("经度"), required=False)
    lat = forms.FloatField(label=_("纬度"), required=False)

    def __init__(self, *args, building: bool, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["boundary" if building else "lng"]
        if not building:
            del self.fields["lat"]
