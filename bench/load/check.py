"""After a load run: is everything the app acknowledged in the database, and nothing twice?

Run: uv run python bench/load/check.py LEDGER [--access-log FILE]   (DATABASE_URL picks the database)

Reads the ledger the locustfile wrote and checks that
- every case number the app acknowledged is a case in the database;
- every step the load test saw acknowledged on a case is an event of that case (as many events of
  each action as acknowledgements), and every reported case has its report event;
- no submission key made two cases: one case per key in the database, and a key sent twice was
  acknowledged with the same number both times;
- Locust saw no 5xx, and neither did gunicorn's access log when given.
Prints what it found and exits 1 on any failure.
"""

import argparse
import collections
import json
import os
import re
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")

import django

django.setup()

from django.db.models import Count  # noqa: E402

from cases.models import Action, Case, CaseEvent  # noqa: E402

WHY = "the load test's checker reads every case it was told about"
SERVER_ERROR = re.compile(r'" (5\d\d) ')


def read_ledger(path: Path) -> tuple[list[dict], list[dict], dict | None]:
    reports, steps, summary = [], [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["t"] == "report":
            reports.append(entry)
        elif entry["t"] == "step":
            steps.append(entry)
        elif entry["t"] == "summary":
            summary = entry
    return reports, steps, summary


def check(ledger: Path, access_log: Path | None = None) -> list[str]:
    """The failures found, each a sentence; none means the run kept everything it acknowledged."""
    reports, steps, summary = read_ledger(ledger)
    failures = []
    if summary is None:
        failures.append("the ledger has no summary: Locust did not finish")
    elif summary["server_errors"]:
        failures.append(f"Locust saw server errors: {summary['server_errors']}")
    if access_log is not None:
        statuses = collections.Counter(SERVER_ERROR.findall(access_log.read_text(encoding="utf-8", errors="replace")))
        if statuses:
            failures.append(f"gunicorn answered with server errors: {dict(statuses)}")

    numbers_of_key = collections.defaultdict(set)
    for entry in reports:
        numbers_of_key[entry["key"]].add(entry["number"])
    for key, numbers in numbers_of_key.items():
        if len(numbers) > 1:
            failures.append(f"submission key {key} was acknowledged as several cases: {sorted(numbers)}")

    acknowledged = collections.defaultdict(collections.Counter)  # number -> action -> times
    for entry in reports:
        acknowledged[entry["number"]][Action.REPORT] = 1
    for entry in steps:
        acknowledged[entry["number"]][entry["action"]] += 1

    cases = {
        case.number: case
        for case in Case.objects.unscoped(WHY).filter(number__in=list(acknowledged)).only("pk", "number")
    }
    for number in sorted(set(acknowledged) - set(cases)):
        failures.append(f"case {number} was acknowledged but is not in the database")
    recorded = collections.defaultdict(collections.Counter)
    events = (
        CaseEvent.objects.filter(case__in=list(cases.values()))
        .values_list("case__number", "action")
        .annotate(n=Count("pk"))
    )
    for number, action, n in events:
        recorded[number][action] = n
    for number in sorted(cases):
        for action, times in acknowledged[number].items():
            if recorded[number][action] < times:
                failures.append(
                    f"case {number}: {times}× {action} acknowledged, {recorded[number][action]} in its history"
                )

    keys = [uuid.UUID(key) for key in numbers_of_key]
    per_key = (
        Case.objects.unscoped(WHY).filter(submission_key__in=keys).values("submission_key").annotate(n=Count("pk"))
    )
    for row in per_key:
        if row["n"] > 1:
            failures.append(f"submission key {row['submission_key']} made {row['n']} cases")
    missing_keys = set(keys) - {row["submission_key"] for row in per_key}
    if missing_keys:
        failures.append(f"{len(missing_keys)} acknowledged submission keys have no case")

    print(
        f"{len(numbers_of_key)} cases reported ({len(reports) - len(numbers_of_key)} resubmissions of a key), "
        f"{len(steps)} steps acknowledged on {len({e['number'] for e in steps})} cases; "
        f"refused as designed: {summary['refused'] if summary else '?'}"
    )
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ledger", type=Path)
    parser.add_argument("--access-log", type=Path)
    args = parser.parse_args()
    failures = check(args.ledger, args.access_log)
    for failure in failures:
        print("FAIL", failure)
    print("checker: " + ("FAILED" if failures else "every acknowledged case and step is there, none twice"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
