"""A fresh test database for a benchmark, created and dropped around it (DATABASE_URL picks the server)."""

import contextlib

from django.test.runner import DiscoverRunner
from django.test.utils import setup_test_environment


@contextlib.contextmanager
def fresh_database():
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        yield
    finally:
        runner.teardown_databases(old)
