"""pg_dump of the database in custom format, and, kept apart, the keys without which the dump's
encrypted columns are unreadable (docs/operations.md, "Backup and restore")."""

import os
import shlex
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.management import pg


def keys_file_text() -> str:
    """The environment variables that carry the keys, as the settings read them, in a form a
    shell (`set -a; . keys.env`) and systemd's EnvironmentFile both take."""
    keys = {
        "SECRET_KEY": settings.SECRET_KEY,
        "SECRET_KEY_FALLBACKS": ",".join(settings.SECRET_KEY_FALLBACKS),
        "FIELD_ENCRYPTION_SALT": settings.SALT_KEY,
        "BLIND_INDEX_KEY": settings.BLIND_INDEX_KEY,
    }
    return "".join(f"{name}={shlex.quote(value)}\n" for name, value in keys.items())


class Command(BaseCommand):
    help = "Dump the PostgreSQL database (pg_dump, custom format); with --keys, write the keys to a separate 0600 file."

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path, help="the dump file to write (it must not exist)")
        parser.add_argument("--keys", type=Path, help="also write the keys here: 0600, never beside the dump")

    def handle(self, *args, dump: Path, keys: Path | str | None, **options):
        keys = Path(keys) if keys else None  # call_command passes options unconverted
        db = pg.database()
        if dump.exists():
            raise CommandError(f"{dump} exists; a backup never overwrites another")
        if keys is not None and keys.resolve().parent == dump.resolve().parent:
            raise CommandError("the keys file must not go in the dump's directory: whoever has both reads every ID")
        pg.run("pg_dump", "--format=custom", f"--file={dump}", db=db)
        self.stdout.write(f"dump written: {dump} ({dump.stat().st_size} bytes, no keys in it)")
        if keys is not None:
            # Created 0600 in one step (no moment when it is readable by others), and never over another file.
            fd = os.open(keys, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(keys_file_text())
            self.stdout.write(f"keys written: {keys} (mode 0600; store apart from the dumps)")
