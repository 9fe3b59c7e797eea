"""Importing through the services, one row at a time: for the kinds a district has hundreds of
(buildings, posts, party members), where each row must pass the very checks its page makes (who
may, at which place, the model's rules). Each row is written in a savepoint of its own, so a row
the service refuses leaves nothing behind; the caller's transaction keeps or drops the rest."""

import datetime
import re
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grids.imports.columns import Column
from grids.imports.residents import Outcome


class Refused(Exception):
    """A row refused, naming its column (a key of the kind's columns, or "" for the row as a whole)."""

    def __init__(self, key: str, message):
        super().__init__(message)
        self.key = key
        self.message = str(message)


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?: 00:00:00)?$")


def parse_date(key: str, text: str) -> datetime.date | None:
    if not text:
        return None
    found = _DATE.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    try:
        return datetime.date(*(int(part) for part in found.groups())) if found else _bad_date(key)
    except ValueError:
        return _bad_date(key)


def _bad_date(key: str):
    raise Refused(key, _("应为日期,如2024-07-01"))


def parse_int(key: str, text: str, low: int, high: int) -> int | None:
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise Refused(key, _("应为%(low)d到%(high)d之间的整数") % {"low": low, "high": high})
    return value


def choice(key: str, text: str, values: dict[str, str]) -> str:
    if text and text not in values:
        raise Refused(key, _("“%(value)s”不是可选的值") % {"value": text[:20]})
    return values.get(text, "")


class RowByRow:
    """Subclasses set `columns`, `fields` (a model field → the column key that names it in an
    error) and write `row(cells)`, returning "created", "updated" or "unchanged" or raising
    Refused, a ValidationError or PermissionDenied."""

    columns: list[Column] = []
    fields: dict[str, str] = {}
    # The column a refusal of who may is about (the place the row is at).
    place_key = ""
    max_length: dict[str, int] = {}

    def __init__(self, *, actor, scope):
        self.actor = actor
        self.scope = scope
        self.by_key = {column.key: column for column in self.columns}

    def chunk(self, raw: Iterable[tuple[int, dict[str, str]]]) -> list[Outcome]:
        return [self._one(number, cells) for number, cells in raw]

    def done(self) -> None:
        """Each row is written whole, through its object's service: nothing is left for the end."""

    def _named(self, key: str, message) -> str:
        column = self.by_key.get(key)
        return f"{column.heading}:{message}" if column else str(message)

    def _one(self, number: int, cells: dict[str, str]) -> Outcome:
        missing = [self._named(c.key, _("不能为空")) for c in self.columns if c.required and not cells[c.key]]
        missing += [
            self._named(key, _("不能超过%(n)d个字") % {"n": limit})
            for key, limit in self.max_length.items()
            if len(cells[key]) > limit
        ]
        if missing:
            return Outcome(number, "refused", ";".join(missing), cells)
        try:
            with transaction.atomic():
                outcome = self.row(number, cells)
        except Refused as exc:
            return Outcome(number, "refused", self._named(exc.key, exc.message), cells)
        except PermissionDenied as exc:
            return Outcome(number, "refused", self._named(self.place_key, str(exc) or _("无权办理")), cells)
        except ValidationError as exc:
            return Outcome(number, "refused", self._reason(exc), cells)
        except IntegrityError:  # written by someone else between the check and the write
            return Outcome(number, "refused", _("与同时写入的记录冲突,请重新导入这一行"), cells)
        return Outcome(number, outcome)

    def _reason(self, exc: ValidationError) -> str:
        if not hasattr(exc, "error_dict"):
            return ";".join(exc.messages)
        parts = []
        for field, errors in exc.message_dict.items():
            key = self.fields.get(field, "")
            for message in errors:
                parts.append(message if field == NON_FIELD_ERRORS else self._named(key, message))
        return ";".join(parts)

    def row(self, number: int, cells: dict[str, str]) -> str:
        raise NotImplementedError
