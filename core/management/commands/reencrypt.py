"""Rewrites every encrypted column under the current key and recomputes every blind index.

Run it after moving the old SECRET_KEY into SECRET_KEY_FALLBACKS, or after changing BLIND_INDEX_KEY
(docs/operations.md, "Key rotation"). Safe to run twice: a value already under the current key,
and a hash that already matches, are left alone, so a second run rewrites nothing.
"""

from collections import Counter, defaultdict

from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Cast

from core import audit
from core.blind_index import blind_index
from core.encryption import EncryptedColumn, decrypt, encrypted_columns, is_current
from core.models import Result
from core.scope import SYSTEM


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the current SECRET_KEY and recompute the blind indexes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")

    def handle(self, *args, batch_size: int, verbosity: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        by_model: dict[type[models.Model], list[EncryptedColumn]] = defaultdict(list)
        for column in encrypted_columns():
            by_model[column.model].append(column)
        counts: Counter[str] = Counter()
        try:
            for model, columns in by_model.items():
                self._model(model, columns, batch_size, counts, verbosity)
        except CommandError:
            self._record(counts, Result.FAILED)
            raise
        self._record(counts, Result.OK)
        self.stdout.write(
            f"re-encrypted {counts['re-encrypted']} values and re-indexed {counts['re-indexed']} hashes"
            f" in {counts['rows']} rows"
        )

    def _model(self, model, columns: list[EncryptedColumn], batch_size: int, counts: Counter, verbosity: int):
        # The base manager: every row, with no scope or default filter in the way.
        rows = model._base_manager
        pks = list(rows.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), batch_size):
            batch = pks[start : start + batch_size]
            with transaction.atomic():
                # Locked for the batch, so a value the application writes meanwhile is not overwritten
                # with the one read here.
                locked = rows.select_for_update().filter(pk__in=batch).order_by("pk")
                raw = {f"raw_{c.field.attname}": Cast(c.field.attname, models.TextField()) for c in columns}
                hashes = [c.hash_field.attname for c in columns if c.hash_field is not None]
                for row in locked.annotate(**raw).values("pk", *raw, *hashes):
                    self._row(model, columns, row, counts)
            counts["rows"] += len(batch)
            if verbosity:
                self.stdout.write(f"{model._meta.label}: {start + len(batch)}/{len(pks)}")

    def _row(self, model, columns: list[EncryptedColumn], row: dict, counts: Counter) -> None:
        changes = {}
        for column in columns:
            token = row[f"raw_{column.field.attname}"]
            if not token:
                continue
            try:
                value = decrypt(column.field, token)
            except InvalidToken:
                raise CommandError(
                    f"{column.label} of row {row['pk']} cannot be read with SECRET_KEY or SECRET_KEY_FALLBACKS;"
                    " its batch was not written"
                ) from None
            if not is_current(column.field, token):
                changes[column.field.attname] = value  # the field encrypts it under the current key
                counts["re-encrypted"] += 1
                counts[f"re-encrypted {column.label}"] += 1
            if column.hash_field is not None and row[column.hash_field.attname] != blind_index(value):
                changes[column.hash_field.attname] = blind_index(value)
                counts["re-indexed"] += 1
                counts[f"re-indexed {column.label}"] += 1
        if not changes:
            return
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=row["pk"]).update(**changes)
        except IntegrityError:
            # Two rows with one number under the new blind-index key: registered while the index
            # was half rotated. Someone has to merge them.
            raise CommandError(
                f"row {row['pk']} of {model._meta.label} would share its blind index with another row;"
                " its batch was not written"
            ) from None

    def _record(self, counts: Counter, result: str) -> None:
        # One entry for the run, with its counts: names and numbers, never a value.
        audit.record(
            actor=SYSTEM,
            action="core.reencrypt",
            fields=[f"{name}: {n}" for name, n in sorted(counts.items())],
            result=result,
        )
