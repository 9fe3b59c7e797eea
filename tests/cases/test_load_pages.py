"""The load test reads the log-in and QR pages as a browser would: what it looks for is on them."""

import importlib.util
from pathlib import Path

from django.core.cache import cache
from django.urls import reverse

from cases import services
from cases.models import Case
from core.scope import SYSTEM

_spec = importlib.util.spec_from_file_location("load_pages", Path(__file__).parents[2] / "bench" / "load" / "pages.py")
pages = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pages)


def test_it_finds_the_log_in_pages_csrf_token(client):
    assert pages.csrf(client.get(reverse("login")).content.decode())


def test_it_finds_the_qr_forms_fields_and_the_number_it_acknowledges(world, client):
    cache.clear()
    plate = services.issue_door_plates(actor=SYSTEM, community=world.areas["K1"])[0]
    url = reverse("cases:resident_report", args=[plate.token])
    form = client.get(url).content.decode()
    key, categories = pages.KEY_INPUT.search(form).group(1), pages.CATEGORY_OPTION.findall(form)
    assert categories
    done = client.post(url, {"submission_key": key, "category": categories[0], "description": "楼道灯不亮"})
    number = pages.CASE_NUMBER.search(done.content.decode()).group(1)
    assert Case.objects.get(submission_key=key).number == number


def test_it_recognises_the_qr_pages_refusal(world, client):
    cache.clear()
    plate = services.issue_door_plates(actor=SYSTEM, community=world.areas["K1"])[0]
    url = reverse("cases:resident_report", args=[plate.token])
    answers = []
    for n in range(7):
        key = pages.KEY_INPUT.search(client.get(url).content.decode()).group(1)
        category = pages.CATEGORY_OPTION.findall(client.get(url).content.decode())[0]
        answers.append(client.post(url, {"submission_key": key, "category": category, "description": f"第{n}次"}))
    assert pages.TOO_OFTEN in answers[-1].content.decode()
    assert not pages.CASE_NUMBER.search(answers[-1].content.decode())
