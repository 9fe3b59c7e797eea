"""The encrypted columns (django-fernet-encrypted-fields) and the keys they are read and written with.

The library derives one Fernet key per (secret, salt) pair with PBKDF2 and reads with a MultiFernet
over SECRET_KEY followed by SECRET_KEY_FALLBACKS; it writes with the first, the current one. So
an old key in the fallbacks still reads the rows it wrote, and `manage.py reencrypt` rewrites them
under the current key until the old one can be dropped.

A column `<name>_hash` beside an encrypted column `<name>` is its blind index (core.blind_index).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.db import models
from encrypted_fields.fields import EncryptedFieldMixin

# The field computes its keys once and caches them on itself (a cached_property).
_CACHED = ("keys", "f")


@dataclass(frozen=True)
class EncryptedColumn:
    model: type[models.Model]
    field: EncryptedFieldMixin
    hash_field: models.Field | None

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"


def encrypted_columns() -> Iterator[EncryptedColumn]:
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedFieldMixin):
                names = {f.name: f for f in model._meta.concrete_fields}
                yield EncryptedColumn(model=model, field=field, hash_field=names.get(f"{field.name}_hash"))


def forget_keys() -> None:
    """Drop the keys every encrypted field cached, so the next read derives them from the settings as
    they are now (for tests that change SECRET_KEY; a process that starts with new keys needs none)."""
    for column in encrypted_columns():
        for name in _CACHED:
            column.field.__dict__.pop(name, None)


def is_current(field: EncryptedFieldMixin, token: str) -> bool:
    """Whether the stored token was written under the current key (SECRET_KEY with the first salt)."""
    try:
        Fernet(field.keys[0]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def decrypt(field: EncryptedFieldMixin, token: str) -> str:
    """Unlike the field itself, which hands back the token unchanged when no key fits, this raises
    InvalidToken: a value nobody can read must not be re-encrypted as if it were the plain text."""
    return MultiFernet([Fernet(key) for key in field.keys]).decrypt(token.encode()).decode()
