import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.env import env_secret

KEYS = ("SECRET_KEY", "FIELD_ENCRYPTION_SALT", "BLIND_INDEX_KEY")
LONG_ENOUGH = "k" * 32


def _start(env: dict[str, str], code: str = "import gridgov.settings") -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", *KEYS}}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("name", KEYS)
def test_a_key_shorter_than_32_characters_is_refused_at_start_and_named(name):
    env = {"DEBUG": "0", **dict.fromkeys(KEYS, LONG_ENOUGH), name: "k" * 31}
    refused = _start(env)
    assert refused.returncode != 0
    assert f"{name} is 31 characters long; it must be at least 32" in refused.stderr


def test_keys_of_32_characters_start():
    started = _start({"DEBUG": "0", **dict.fromkeys(KEYS, LONG_ENOUGH)})
    assert started.returncode == 0, started.stderr


def test_a_short_key_is_refused_even_under_debug(monkeypatch):
    monkeypatch.setenv("X_SECRET", "short")
    with pytest.raises(ImproperlyConfigured, match="X_SECRET is 5 characters long"):
        env_secret("X_SECRET", debug=True, debug_default="dev")


def test_the_dev_and_test_keys_are_long_enough():
    assert min(len(settings.SECRET_KEY), len(settings.SALT_KEY), len(settings.BLIND_INDEX_KEY)) >= 32
    lengths = "import gridgov.settings as s; print(min(map(len, (s.SECRET_KEY, s.SALT_KEY, s.BLIND_INDEX_KEY))))"
    debug = _start({"DEBUG": "1"}, lengths)
    assert int(debug.stdout) >= 32, debug.stderr
