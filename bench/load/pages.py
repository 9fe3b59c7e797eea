"""What the load test reads off the pages it posts, kept apart from the locustfile so the suite can
check it against the real templates (tests/cases/test_load_pages.py) without importing Locust."""

import re

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_INPUT = re.compile(r'name="submission_key" value="([^"]+)"')
CATEGORY_OPTION = re.compile(r'<option value="(\d+)"')
CASE_NUMBER = re.compile(r'data-testid="case-number">([^<]+)<')
TOO_OFTEN = "提交过于频繁"


def csrf(html: str) -> str:
    match = CSRF_INPUT.search(html)
    return match.group(1) if match else ""
