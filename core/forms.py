from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker (a phone's too); the value stays ISO, as the parser reads it."""

    input_type = "date"


class BootstrapFormMixin:
    """Gives every widget Bootstrap's class, so templates can render fields as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
