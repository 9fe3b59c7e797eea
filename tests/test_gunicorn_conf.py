"""gunicorn.conf.py: what it does to a worker once the app is loaded."""

import gc
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


def test_a_worker_freezes_what_it_loaded_out_of_the_collectors_reach():
    hook = runpy.run_path(str(CONF))["post_worker_init"]
    before = gc.get_freeze_count()
    try:
        hook(worker=None)
        assert gc.get_freeze_count() > before
        assert gc.get_freeze_count() > 10 * len(gc.get_objects())  # what is left to walk is small
    finally:
        gc.unfreeze()
