from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from grids.models import Area


class StartRunForm(BootstrapFormMixin, forms.Form):
    """The scope is one district or county ("area:<id>") or a whole city ("city:<id>")."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    scope = forms.ChoiceField(label=_("范围"))

    def __init__(self, *args, areas, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {f"area:{a.pk}": {"area": a} for a in areas} | {
            f"city:{c.pk}": {"whole_city": c} for c in cities
        }
        self.fields["scope"].choices = [(f"city:{c.pk}", f"{c.name}({_('全市')})") for c in cities] + [
            (f"area:{a.pk}", a.name) for a in areas
        ]

    def clean_scope(self) -> dict:
        return self.options[self.cleaned_data["scope"]]


class ScenarioForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("方案名称"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    communities = forms.ModelMultipleChoiceField(
        label=_("涉及的现有社区"), queryset=Area.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communities"].queryset = communities
        self.fields["communities"].widget.attrs["class"] = "form-check-input"


class NewCommunityForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("调整后社区名称"), max_length=100)
    households = forms.IntegerField(label=_("户数"), min_value=0)
    party_members = forms.IntegerField(label=_("党员数"), min_value=0)
    # Optional, blank means none: an untouched row of the formset then stays empty and is skipped.
    grid_party_org_leaders = forms.IntegerField(label=_("网格党组织负责人"), min_value=0, required=False)
    new_staff = forms.IntegerField(label=_("新增人员"), min_value=0, required=False)
    new_staff_annual_salary = forms.DecimalField(
        label=_("人均年工资(元)"), min_value=0, decimal_places=2, required=False
    )
    new_venue_cost = forms.DecimalField(label=_("新增阵地费用(元)"), min_value=0, decimal_places=2, required=False)

    def clean(self):
        data = super().clean()
        for name in ("grid_party_org_leaders", "new_staff", "new_staff_annual_salary", "new_venue_cost"):
            if data.get(name) is None:
                data[name] = 0
        return data


NewCommunityFormSet = formset_factory(NewCommunityForm, extra=3, min_num=1, validate_min=True, max_num=12)


class NewUnitCostForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    community = forms.ModelChoiceField(label=_("社区"), queryset=Area.objects.none())
    new_staff = forms.IntegerField(label=_("新增两委成员及网格员人数"), min_value=0)
    new_staff_annual_salary = forms.DecimalField(label=_("人均年工资(元)"), min_value=0, decimal_places=2)
    new_venue_cost = forms.DecimalField(label=_("新增阵地费用(元)"), min_value=0, decimal_places=2)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
