"""The form renderer (FORM_RENDERER): Django's own, with a <select> drawn in Python.

Django renders each <option> through two template includes, and a list page's filter form has
sixty of them: 4 to 6 ms of the case list's and the inbox's 30 ms in Python. Here the select and
its options come out of one loop, character for character what Django's templates write
(tests/test_form_renderer.py compares the two). Only for text, though: the templates format a
date or a number label for the locale, so a select with such a label, or whose options name
other templates, is still rendered by them.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: a True attribute by its name alone, a False one left out."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            value = conditional_escape(str(option["value"]))
            parts.append(
                f'\n  <option value="{value}"{_attrs(option["attrs"])}>{conditional_escape(option["label"])}</option>\n'
            )  # the newline that ends Django's select_option.html
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _plain(widget: dict) -> bool:
    """Every option through Django's own option template, every label and group name text."""
    return all(
        isinstance(name or "", str | Promise)
        and all(option["template_name"] == OPTION and isinstance(option["label"], str | Promise) for option in options)
        for name, options, _index in widget["optgroups"]
    )


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and _plain(widget):
            return _select(widget)
        return super().render(template_name, context, request)
