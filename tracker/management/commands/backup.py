"""`python manage.py backup FILE`: a consistent copy of the database while the site runs.

SQLite: the online backup API of `sqlite3` (pages copied under a read lock, so writers keep
working and the copy is one consistent state); restore by stopping the site and putting the
file in place of the database file. PostgreSQL: `pg_dump --format=custom`; restore into an
empty database with `pg_restore --no-owner --dbname=URL FILE`.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Write a consistent backup of the database to FILE (SQLite copy or pg_dump custom format)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup; an existing file is refused.")
        parser.add_argument("--pg-dump", default="pg_dump", help="The pg_dump program (PostgreSQL only).")

    def handle(self, *args, file: str, pg_dump: str, **options):
        target = Path(file)
        if target.exists():
            raise CommandError(f"{target} exists; choose a new file name (a backup never overwrites).")
        if connection.vendor == "sqlite":
            tables = sqlite_backup(target)
        elif connection.vendor == "postgresql":
            tables = postgres_dump(target, program=pg_dump)
        else:
            raise CommandError(f"No backup for the {connection.vendor} database.")
        self.stdout.write(f"backup: {target} ({target.stat().st_size:,} bytes, {tables} tables)")


def sqlite_backup(target: Path) -> int:
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
        return copy.execute("select count(*) from sqlite_master where type = 'table'").fetchone()[0]


def postgres_dump(target: Path, *, program: str) -> int:
    if shutil.which(program) is None:
        raise CommandError(f"{program} not found; install the PostgreSQL client or pass --pg-dump PATH.")
    settings = connection.settings_dict
    command = [program, "--format=custom", "--no-owner", f"--file={target}", settings["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command.insert(1, f"{flag}={settings[key]}")
    env = {"PGPASSWORD": settings.get("PASSWORD") or ""}
    # The arguments come from the settings and the operator's command line; no shell.
    done = subprocess.run(command, capture_output=True, text=True, env={**_path_env(), **env}, check=False)  # noqa: S603
    if done.returncode != 0:
        raise CommandError(f"pg_dump failed: {done.stderr.strip()}")
    with connection.cursor() as cursor:
        cursor.execute("select count(*) from information_schema.tables where table_schema = 'public'")
        return cursor.fetchone()[0]


def _path_env() -> dict:
    return {name: value for name, value in os.environ.items() if name in ("PATH", "LANG", "HOME")}
