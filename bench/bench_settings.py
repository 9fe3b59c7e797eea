"""The production settings with one URL more: the bare view the benchmark divides by.

Only bench/run.py starts the app with these (DJANGO_SETTINGS_MODULE=bench_settings, bench/ on
PYTHONPATH); a deployment never sees the bare view.
"""

from gridgov.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
