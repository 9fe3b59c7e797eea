"""The floors of the house hold: the import contract in pyproject.toml, and a ground floor that
works with no app of GridGov loaded."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_floors_import_only_downwards():
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


GROUND_ONLY = """
import sys
from decimal import Decimal
import datetime

from core.money import split
from core.masking import mask_phone
from core.workdays import WorkCalendar
from core.scope import Scope

assert split(Decimal("100.01"), 5, 5) == (Decimal("50.01"), Decimal("50.00"))
assert mask_phone("+8613812345678") == "138****5678"
calendar = WorkCalendar(official_through=2026)
assert not calendar.is_working_day(datetime.date(2026, 10, 1))
assert not Scope().may("report_case") and Scope(unrestricted=True).may("report_case")
apps = {"grids", "orgs", "cobuilding", "cases", "funding", "gridwork", "hall", "appraisal", "estates",
        "alliances", "gridgov", "demo"}
loaded = sorted(name for name in sys.modules if name.split(".")[0] in apps)
assert not loaded, loaded
print("ground ok")
"""


def test_the_ground_floor_works_without_any_app():
    result = subprocess.run(
        [sys.executable, "-c", GROUND_ONLY],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "", "DJANGO_SETTINGS_MODULE": ""},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ground ok"
