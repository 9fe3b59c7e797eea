"""Production settings pass Django's own deployment checklist, warnings included."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "grid.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://grid.example.gov.cn",
    "BEHIND_TLS_PROXY": "1",
}
# Variables of the test run that would change what production looks like (the browser tests
# allow sync ORM calls in their event loop, which the checklist rightly refuses).
NOT_INHERITED = {
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "REDIS_URL",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _run(args: list[str], **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED and k not in PRODUCTION}
    env |= {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_SALT": secrets.token_urlsafe(32),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "DJANGO_SETTINGS_MODULE": "gridgov.settings",
        **PRODUCTION,
        **extra,
    }
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
    )


def test_check_deploy_passes_at_warning_level():
    done = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert done.returncode == 0, done.stdout + done.stderr


def test_hsts_and_the_https_redirect_are_on_by_default_only_behind_tls():
    show = ["-c", "import gridgov.settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)"]
    assert _run(show).stdout.split() == ["31536000", "True"]
    assert _run(show, BEHIND_TLS_PROXY="0").stdout.split() == ["0", "False"]
    assert _run(show, DEBUG="1").stdout.split() == ["0", "False"]
    assert _run(show, SECURE_HSTS_SECONDS="600").stdout.split() == ["600", "True"]
