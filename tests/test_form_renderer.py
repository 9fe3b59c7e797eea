"""The form renderer draws a <select> in Python, exactly as Django's templates would, and leaves
every other widget (and any select whose options name other templates) to the templates."""

import datetime

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.test.signals import template_rendered
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.form_renderer import OPTION, FormRenderer

CHOICES = [
    ("", _("全部")),
    ("a&b", 'Tom & "Jerry" <3'),
    (3, "三"),
    (_("分组"), [("x", "x 的 <b>"), ("y", mark_safe("<i>y</i>"))]),
]
ATTRS = {"class": 'form-select "q"', "required": True, "disabled": False, "data-n": 7, "placeholder": _("搜索")}


class CustomOption(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


WIDGETS = [
    ("plain, nothing chosen", forms.Select(choices=CHOICES), None),
    ("escaped value chosen, attributes of every kind", forms.Select(attrs=ATTRS, choices=CHOICES), "a&b"),
    ("inside a group", forms.Select(choices=CHOICES), "y"),
    ("an integer value", forms.Select(choices=CHOICES), 3),
    ("several chosen", forms.SelectMultiple(choices=CHOICES), ["x", "a&b"]),
    ("yes / no / unknown", forms.NullBooleanSelect(), True),
    ("options through another template", CustomOption(choices=CHOICES), "x"),
    ("a date and a number as labels", forms.Select(choices=[(1, datetime.date(2026, 12, 3)), (2, 12345)]), 2),
]


def _rendered_templates(render) -> tuple[str, list[str]]:
    names = []

    def seen(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(seen)
    try:
        return render(), names
    finally:
        template_rendered.disconnect(seen)


@pytest.mark.parametrize(("label", "widget", "value"), WIDGETS, ids=[label for label, *_ in WIDGETS])
def test_a_select_is_written_as_djangos_templates_write_it(label, widget, value):
    ours = widget.render("field", value, attrs={"id": "id_field"}, renderer=FormRenderer())
    django = widget.render("field", value, attrs={"id": "id_field"}, renderer=DjangoTemplates())
    assert ours == django


@pytest.mark.django_db
def test_a_choice_of_rows_is_written_as_djangos_templates_write_it():
    Group.objects.create(name="街道 & 社区"), Group.objects.create(name='"网格"')
    field = forms.ModelChoiceField(queryset=Group.objects.order_by("name"), empty_label="全部")
    chosen = Group.objects.order_by("pk").first().pk
    ours = field.widget.render("g", chosen, renderer=FormRenderer())
    assert ours == field.widget.render("g", chosen, renderer=DjangoTemplates())
    assert "街道 &amp; 社区" in ours and "selected" in ours


def test_the_options_are_drawn_without_their_templates():
    widget = forms.Select(choices=CHOICES)
    _html, ours = _rendered_templates(lambda: widget.render("f", "x", renderer=FormRenderer()))
    _html, django = _rendered_templates(lambda: widget.render("f", "x", renderer=DjangoTemplates()))
    assert OPTION in django
    assert ours == []


def test_a_select_with_options_of_its_own_is_left_to_the_templates():
    widget = CustomOption(choices=CHOICES)
    _html, names = _rendered_templates(lambda: widget.render("f", "x", renderer=FormRenderer()))
    assert CustomOption.option_template_name in names


def test_labels_the_templates_would_format_are_left_to_them():
    widget = forms.Select(choices=[(1, datetime.date(2026, 12, 3))])
    _html, names = _rendered_templates(lambda: widget.render("f", 1, renderer=FormRenderer()))
    assert OPTION in names


def test_the_site_renders_its_forms_with_it():
    assert isinstance(get_default_renderer(), FormRenderer)
