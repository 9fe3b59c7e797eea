"""The case fixtures of tests/cases, for the scale tests."""

from tests.cases.conftest import depts, dispatched, report

__all__ = ["depts", "dispatched", "report"]
