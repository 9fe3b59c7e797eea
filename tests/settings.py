"""Fast settings for the test suite: the real settings, with a cheap hasher and fixed test keys.

DATABASE_URL and REDIS_URL still decide the database and the broker, so the same suite runs
on SQLite with eager Celery and on PostgreSQL with Redis.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789abcdef")
os.environ.setdefault("FIELD_ENCRYPTION_SALT", "test-only-field-salt-0123456789abcdef")
os.environ.setdefault("BLIND_INDEX_KEY", "test-only-blind-index-key-0123456789ab")

from gridgov.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["*"]

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The router's tests turn DATABASE_REPLICA_URL on (tests/scale/test_replica_*.py); its alias is
# declared for the whole run, as a mirror of the test database, so each test can say it reads it.
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405

# Under pytest-xdist each worker's cache is a Redis database of its own: a test's cache.clear()
# (Django's RedisCache flushes its database) must not reset the rate limits another worker's test
# is counting. The broker stays shared.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    _location = CACHES["default"]["LOCATION"]  # noqa: F405
    _base, _, _db = _location.rpartition("/")
    if not _db.isdigit():
        _base, _db = _location.rstrip("/"), "0"
    CACHES["default"]["LOCATION"] = f"{_base}/{int(_db) + 1 + int(_worker[2:]) % 15}"  # noqa: F405
