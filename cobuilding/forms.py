from django import forms
from django.utils.translation import gettext_lazy as _

from cobuilding import selectors
from cobuilding.models import CoBuildingUnit
from core.forms import BootstrapFormMixin
from core.scope import Scope


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
