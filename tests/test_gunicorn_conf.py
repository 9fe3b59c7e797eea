"""gunicorn.conf.py: what it does to a worker once the app is loaded, in a fresh interpreter (a
worker's), since the test process has long imported every view."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKER = """
import gc, json, runpy, sys
import django
django.setup()
before = "cases.views" in sys.modules
runpy.run_path("gunicorn.conf.py")["post_worker_init"](worker=None)
print(json.dumps({"views_before": before, "views_after": "cases.views" in sys.modules,
                  "frozen": gc.get_freeze_count(), "left": len(gc.get_objects())}))
"""


def test_a_worker_loads_its_views_then_freezes_them_out_of_the_collectors_reach():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gridgov.settings", "DEBUG": "1"}
    done = subprocess.run([sys.executable, "-c", WORKER], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert (seen["views_before"], seen["views_after"]) == (False, True)
    assert seen["frozen"] > 100_000 > seen["left"]
