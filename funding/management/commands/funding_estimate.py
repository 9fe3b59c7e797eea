import json
import sys

from django.core.management.base import BaseCommand
from rest_framework.exceptions import ValidationError

from funding.estimate import as_json, run


class Command(BaseCommand):
    help = "Read one JSON object of estimate inputs on stdin, write the budget lines as JSON on stdout."

    def handle(self, *args, **options) -> None:
        try:
            data = json.load(sys.stdin)
        except json.JSONDecodeError as exc:
            self._fail({"input": [f"not JSON: {exc}"]})
        if not isinstance(data, dict):
            self._fail({"input": ["expected one JSON object"]})
        try:
            result = run(data)
        except ValidationError as exc:
            self._fail(exc.detail)
        self.stdout.write(json.dumps(as_json(result), ensure_ascii=False))

    def _fail(self, errors) -> None:
        self.stderr.write(json.dumps({"errors": errors}, ensure_ascii=False))
        raise SystemExit(2)
