import io
import json
import sys

import pytest
from django.core.management import call_command

BASE = {"year": 2026, "fiscal_class": "city_district", "org_kind": "党总支", "households": 3000}
EXPECTED_TOTAL = {"amount": "230000.00", "city": "132000.00", "local": "98000.00"}


def test_the_api_answers_the_contract(world, client_for):
    response = client_for(world.users["community"]).post(
        "/api/v1/funding/estimate/", BASE, content_type="application/json"
    )
    body = response.json()
    assert response.status_code == 200
    assert [line["item"] for line in body["lines"]] == [
        "party_building",
        "service_fund",
        "grid_leader_subsidy",
        "new_staff_salaries",
        "new_venue",
    ]
    assert set(body["lines"][0]) == {"item", "amount", "city", "local", "clause"}
    assert body["total"] == EXPECTED_TOTAL


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"households": -1}, "households"),
        ({"org_kind": "党小组"}, "org_kind"),
        ({"fiscal_class": "province"}, "fiscal_class"),
        ({"year": 2019}, "year"),
        ({"new_staff_annual_salary": "-5"}, "new_staff_annual_salary"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(world, client_for, change, field):
    response = client_for(world.users["community"]).post(
        "/api/v1/funding/estimate/", {**BASE, **change}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == [field]


def test_the_api_needs_a_log_in(db, client):
    assert client.post("/api/v1/funding/estimate/", BASE, content_type="application/json").status_code == 401


def _run_command(monkeypatch, data) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(data))
    call_command("funding_estimate")


def test_the_command_reads_stdin_and_writes_the_same_json(db, monkeypatch, capsys):
    _run_command(monkeypatch, json.dumps(BASE))
    assert json.loads(capsys.readouterr().out)["total"] == EXPECTED_TOTAL


@pytest.mark.parametrize(
    ("data", "field"), [(json.dumps({**BASE, "households": -3}), "households"), ("[1, 2]", "input"), ("{oops", "input")]
)
def test_the_command_exits_non_zero_naming_the_field(db, monkeypatch, capsys, data, field):
    with pytest.raises(SystemExit) as exit_:
        _run_command(monkeypatch, data)
    assert exit_.value.code == 2
    assert field in json.loads(capsys.readouterr().err)["errors"]
