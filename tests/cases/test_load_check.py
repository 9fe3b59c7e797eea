"""The load test's checker (bench/load/check.py) finds what a run lost, doubled or answered with a 5xx."""

import importlib.util
import json
import uuid
from pathlib import Path

import pytest

from cases import services

_spec = importlib.util.spec_from_file_location("load_check", Path(__file__).parents[2] / "bench" / "load" / "check.py")
load_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load_check)

CLEAN = {"t": "summary", "server_errors": {}, "refused": {}}


@pytest.fixture
def ledger(tmp_path):
    path = tmp_path / "ledger.jsonl"

    def write(*entries):
        path.write_text("".join(json.dumps(entry) + "\n" for entry in entries))
        return path

    return write


@pytest.fixture
def accepted(world, report):
    """A case reported under a submission key and accepted, as the load test would have seen it."""
    key = uuid.uuid4()
    case = report(submission_key=key)
    services.accept_case(case=case, actor=world.users["community"], note="")
    return case, str(key)


def _reported(case, key):
    return {"t": "report", "key": key, "number": case.number}


def test_it_passes_when_every_acknowledged_case_and_step_is_there(accepted, ledger):
    case, key = accepted
    path = ledger(
        _reported(case, key), _reported(case, key), {"t": "step", "number": case.number, "action": "accept"}, CLEAN
    )
    assert load_check.check(path) == []


def test_it_names_a_case_the_database_does_not_have(accepted, ledger):
    case, key = accepted
    path = ledger(
        _reported(case, key), {"t": "report", "key": str(uuid.uuid4()), "number": "990102209901010001"}, CLEAN
    )
    failures = load_check.check(path)
    assert any("990102209901010001 was acknowledged but is not in the database" in f for f in failures)
    assert any("1 acknowledged submission keys have no case" in f for f in failures)


def test_it_names_a_step_missing_from_the_history(accepted, ledger):
    case, key = accepted
    path = ledger(_reported(case, key), {"t": "step", "number": case.number, "action": "whistle"}, CLEAN)
    assert load_check.check(path) == [f"case {case.number}: 1× whistle acknowledged, 0 in its history"]


def test_it_counts_each_acknowledgement_of_a_step(accepted, ledger):
    case, key = accepted
    step = {"t": "step", "number": case.number, "action": "accept"}
    assert load_check.check(ledger(_reported(case, key), step, step, CLEAN)) == [
        f"case {case.number}: 2× accept acknowledged, 1 in its history"
    ]


def test_it_names_a_key_acknowledged_as_two_cases(accepted, report, ledger):
    case, key = accepted
    other = report(description="另一件")
    path = ledger(_reported(case, key), {"t": "report", "key": key, "number": other.number}, CLEAN)
    assert load_check.check(path) == [
        f"submission key {key} was acknowledged as several cases: {sorted([case.number, other.number])}"
    ]


def test_it_fails_on_a_server_error_locust_saw(accepted, ledger):
    case, key = accepted
    summary = {**CLEAN, "server_errors": {"POST step sign 500": 1}}
    assert load_check.check(ledger(_reported(case, key), summary)) == [
        "Locust saw server errors: {'POST step sign 500': 1}"
    ]


def test_it_fails_on_a_server_error_in_gunicorns_access_log(accepted, ledger, tmp_path):
    case, key = accepted
    log = tmp_path / "gunicorn.log"
    log.write_text(
        '127.0.0.1 [01/Dec/2026:21:56:18 +0800] "GET /cases/ HTTP/1.1" 200 541 71ms rid=a\n'
        '127.0.0.1 [01/Dec/2026:21:56:19 +0800] "POST /api/v1/cases/ HTTP/1.1" 503 12 30ms rid=b\n'
    )
    assert load_check.check(ledger(_reported(case, key), CLEAN), log) == [
        "gunicorn answered with server errors: {'503': 1}"
    ]


def test_it_fails_when_locust_did_not_finish(accepted, ledger):
    case, key = accepted
    assert load_check.check(ledger(_reported(case, key))) == ["the ledger has no summary: Locust did not finish"]
