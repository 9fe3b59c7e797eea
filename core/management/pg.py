"""PostgreSQL's own client programs for a Django database: the connection goes in PG* environment
variables, so a password never appears on a command line (visible to every user in `ps`)."""

import os
import subprocess

import dj_database_url
from django.core.management.base import CommandError
from django.db import connection


def database(url: str | None = None) -> dict:
    """The settings of the database at `url`, or of the configured one; PostgreSQL only."""
    settings_dict = dj_database_url.parse(url) if url else connection.settings_dict
    if "postgresql" not in settings_dict["ENGINE"]:
        raise CommandError("backup and restore are for PostgreSQL (pg_dump/pg_restore); this database is not")
    return settings_dict


def run(program: str, *args: str, db: dict) -> None:
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, variable in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")]:
        if db.get(key):
            env[variable] = str(db[key])
    done = subprocess.run([program, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise CommandError(f"{program} failed ({done.returncode}): {done.stderr.strip()}")
