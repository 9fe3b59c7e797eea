"""The admin reads in both languages: every model's and field's name is Chinese in Chinese and
English in English, and so are the admin site's titles."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation

OURS = (
    "core",
    "grids",
    "orgs",
    "cases",
    "funding",
    "cobuilding",
    "gridwork",
    "hall",
    "appraisal",
    "estates",
    "alliances",
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _names():
    for config in (apps.get_app_config(label) for label in OURS):
        for model in config.get_models():
            meta = model._meta
            yield f"{meta.label}", meta.verbose_name
            yield f"{meta.label} (plural)", meta.verbose_name_plural
            # The fields a form can show (not the tree's own bookkeeping, hashes or timers).
            for field in meta.get_fields():
                if field.concrete and not field.auto_created and field.editable:
                    yield f"{meta.label}.{field.name}", field.verbose_name


def test_every_model_and_field_name_reads_chinese_in_chinese():
    with translation.override("zh-hans"):
        assert [label for label, name in _names() if not CJK.search(str(name))] == []


def test_every_model_and_field_name_reads_english_in_english():
    with translation.override("en"):
        assert [f"{label}: {name}" for label, name in _names() if CJK.search(str(name))] == []


@pytest.mark.parametrize(("language", "chinese"), [("zh-hans", True), ("en", False)])
def test_the_admin_sites_titles_are_translated(language, chinese):
    with translation.override(language):
        for title in (admin.site.site_header, admin.site.site_title, admin.site.index_title):
            assert bool(CJK.search(str(title))) == chinese, title
