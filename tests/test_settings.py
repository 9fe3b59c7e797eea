import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_int, env_list, env_secret


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("yes", True), ("off", False), ("", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG") is value


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG='maybe' is not a boolean"):
        env_bool("X_FLAG")


def test_env_int_refuses_a_non_number(monkeypatch):
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_INT='ten' is not an integer"):
        env_int("X_INT", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("X_LIST", "a.example, b.example,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]


def test_a_secret_is_required_in_production(monkeypatch):
    monkeypatch.delenv("X_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="X_SECRET must be set"):
        env_secret("X_SECRET", debug=False, debug_default="dev")
    assert env_secret("X_SECRET", debug=True, debug_default="dev") == "dev"


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import gridgov.settings as s; print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
        ],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_refuse_to_start_without_a_secret_key_unless_debug():
    refused = _import_settings({"DEBUG": "0"})
    assert refused.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in refused.stderr
    assert _import_settings({"DEBUG": "1"}).returncode == 0


def test_an_http_sms_provider_without_its_url_refuses_to_start():
    refused = _import_settings({"DEBUG": "1", "SMS_BACKEND": "http", "SMS_HTTP_URL": ""})
    assert refused.returncode != 0 and "SMS_BACKEND=http needs SMS_HTTP_URL" in refused.stderr
    assert (
        _import_settings({"DEBUG": "1", "SMS_BACKEND": "http", "SMS_HTTP_URL": "http://127.0.0.1:9/sms"}).returncode
        == 0
    )


def test_default_is_sqlite_with_eager_celery_and_urls_switch_to_postgres_and_redis():
    embedded = _import_settings({"DEBUG": "1"})
    assert embedded.stdout.split() == ["django.db.backends.sqlite3", "True"]
    served = _import_settings(
        {"DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1:1/x", "REDIS_URL": "redis://127.0.0.1:1/0"}
    )
    assert served.stdout.split() == ["django.db.backends.postgresql", "False"]


def test_production_keeps_database_connections_open():
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("SQLite connections are not pooled")
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
