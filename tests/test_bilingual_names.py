"""Categories and key groups read in the interface's language: English when one is given."""

from django.urls import reverse
from django.utils import translation

from cases.models import Category
from grids.models import KeyGroup


def test_the_seeded_categories_and_key_groups_all_have_english_names(db):
    assert not Category.objects.filter(name_en="").exists()
    assert not KeyGroup.objects.filter(name_en="").exists()


def test_a_name_follows_the_active_language_and_falls_back_to_chinese(db):
    fire = Category.objects.get(code="safety-fire")
    with translation.override("en"):
        assert str(fire) == "Fire hazard"
        fire.name_en = ""
        assert str(fire) == "消防隐患"
    fire.name_en = "Fire hazard"
    with translation.override("zh-hans"):
        assert str(fire) == "消防隐患"


def test_the_report_form_and_the_home_summary_read_english(world, client_for):
    client = client_for(world.users["community"])
    client.cookies["django_language"] = "en"
    assert "Fire hazard" in client.get(reverse("cases:new")).content.decode()
    summary = client.get(reverse("home")).context["key_groups"]
    assert summary == [{"name": "Elderly living alone", "count": 1}]
