from django import forms
from django.utils.translation import gettext_lazy as _

from gridgov.forms import BootstrapFormMixin
from grids.models import Area


class StartRunForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    area = forms.ModelChoiceField(label=_("范围"), queryset=Area.objects.none())

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
