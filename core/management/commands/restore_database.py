"""pg_restore of a backup_database dump into an empty PostgreSQL database (docs/operations.md)."""

from pathlib import Path

import psycopg
from django.core.management.base import BaseCommand, CommandError

from core.management import pg


def _tables(db: dict) -> int:
    params = {"dbname": db["NAME"], "host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER")}
    params["password"] = db.get("PASSWORD")
    with psycopg.connect(**{k: v for k, v in params.items() if v}) as conn:
        return conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]


class Command(BaseCommand):
    help = "Restore a backup_database dump into an empty database (the configured one, or --database-url)."

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path)
        parser.add_argument("--database-url", help="restore here instead of the configured database")

    def handle(self, *args, dump: Path, database_url: str | None, **kwargs):
        db = pg.database(database_url)
        if not dump.is_file():
            raise CommandError(f"{dump} is not a file")
        # Into an empty database only: restoring over live rows would mix two histories, and the
        # audit log's triggers refuse the deletes a --clean would need anyway.
        if _tables(db):
            raise CommandError(f"database {db['NAME']} is not empty; restore into a freshly created one")
        # One transaction: a restore that fails half-way leaves the database empty, not half full.
        options = ["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"]
        pg.run("pg_restore", *options, f"--dbname={db['NAME']}", str(dump), db=db)
        self.stdout.write(
            f"restored {dump} into {db['NAME']}; start the app with the keys file, then run manage.py audit_verify"
        )
