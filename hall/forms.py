import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from hall.models import ServiceItem, Window


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceItem) -> str:
        return f"{obj.category.name} · {obj.name}({obj.limit_days}个工作日)"


class ReceiveForm(BootstrapFormMixin, forms.Form):
    """窗口受理: the resident in front of the staff member."""

    community = forms.ModelChoiceField(queryset=None, label=_("社区"))
    item = ItemChoiceField(queryset=None, label=_("服务事项"))
    applicant_name = forms.CharField(label=_("申请人"), max_length=40)
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    building = forms.ModelChoiceField(queryset=None, label=_("楼栋"), required=False)
    note = forms.CharField(label=_("诉求说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, communities, items, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["item"].queryset = items
        self.fields["building"].queryset = buildings
        only = list(communities[:2])
        if len(only) == 1:  # a station's own staff
            self.fields["community"].initial = only[0]


class AssignForm(BootstrapFormMixin, forms.Form):
    handler = forms.ModelChoiceField(queryset=None, label=_("经办人"))
    window = forms.ModelChoiceField(queryset=Window.objects.none(), label=_("窗口"), required=False)

    def __init__(self, *args, staff, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = staff
        self.fields["handler"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["window"].queryset = windows


class CompleteForm(BootstrapFormMixin, forms.Form):
    result = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RefuseForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("不予办理理由"), widget=forms.Textarea(attrs={"rows": 3}))


class PlateRequestForm(BootstrapFormMixin, forms.Form):
    """办事 from the building's QR plate: what the window needs to call the resident back."""

    item = ItemChoiceField(queryset=None, label=_("办理事项"))
    applicant_name = forms.CharField(label=_("姓名"), max_length=40)
    applicant_phone = forms.CharField(label=_("手机号"), max_length=20)
    note = forms.CharField(
        label=_("补充说明(选填)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1000
    )
    # Minted with the form: sent twice (a double-click, a resend), it gives the first request back.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class ProxyRequestForm(BootstrapFormMixin, forms.Form):
    """网格员代办 on the doorstep: the household is the page's; what the window needs to call back."""

    item = ItemChoiceField(queryset=None, label=_("代办事项"))
    # One of the household's living residents; the request keeps the name, as a window's does.
    applicant_name = forms.ModelChoiceField(queryset=None, label=_("申请人"))
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    note = forms.CharField(
        label=_("诉求说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1000
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, items, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["applicant_name"].queryset = residents
        self.fields["applicant_name"].label_from_instance = lambda r: r.name

    def clean_applicant_name(self) -> str:
        return self.cleaned_data["applicant_name"].name
