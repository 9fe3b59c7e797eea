"""Templates carry no script the Content-Security-Policy would refuse: no on…= handler, no
javascript: URL, and no <script> with a body unless it is data (json_script's application/json)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
DATA_TYPES = {"application/json", "application/ld+json"}


def _executable_inline_scripts(text: str) -> list[str]:
    found = []
    for attributes, body in SCRIPT.findall(text):
        kind = re.search(r"""type\s*=\s*["']?([^"'\s>]+)""", attributes)
        if body.strip() and not (kind and kind.group(1).lower() in DATA_TYPES):
            found.append(body.strip()[:60])
    return found


def test_the_scan_sees_templates():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_no_template_has_inline_script(template):
    text = template.read_text()
    assert HANDLER.findall(text) == []
    assert JAVASCRIPT_URL.findall(text) == []
    assert _executable_inline_scripts(text) == []


def test_the_scan_catches_what_it_is_for():
    assert HANDLER.search('<select name="language" onchange="this.form.submit()">')
    assert HANDLER.search('<button class="b"\n  onclick="window.print()">')
    assert not HANDLER.search('<p>a monthly online meeting</p><input data-once name="x">')
    assert JAVASCRIPT_URL.search('<a href="javascript:void(0)">')
    assert _executable_inline_scripts("<script>alert(1)</script>") == ["alert(1)"]
    assert _executable_inline_scripts('<script type="module">go()</script>') == ["go()"]
    assert _executable_inline_scripts('<script id="x" type="application/json">{"a": 1}</script>') == []
    assert _executable_inline_scripts('<script src="/static/js/page.js"></script>') == []
