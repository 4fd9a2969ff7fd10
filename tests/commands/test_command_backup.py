"""`manage.py backup`: an online copy of the database; restored into an empty database it holds
the same records and the same history, row by row."""

import os
import shutil
import sqlite3
import subprocess

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.views.conftest import build_timeline

PG_BIN = "/usr/lib/postgresql/15/bin"


def _tracker_tables() -> list[str]:
    """Every table of the tracker (records and their history) and the accounts."""
    models = [m for m in apps.get_models() if m._meta.app_label in ("tracker", "auth")]
    return sorted(m._meta.db_table for m in models)


def _rows(cursor, table: str) -> list[tuple]:
    cursor.execute(f'select * from "{table}" order by 1')  # noqa: S608  (names from the models)
    return [tuple(str(value) for value in row) for row in cursor.fetchall()]


@pytest.fixture
def filled(patient, staff_user):
    build_timeline(patient, staff_user, count=3)
    from tracker.services.patients import patient_update

    patient_update(patient=patient, actor=staff_user, given_name="Adaline")
    return patient


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite online backup; PostgreSQL below")
def test_sqlite_backup_restores_identical_records_and_history(filled, tmp_path):
    target = tmp_path / "poems-backup.sqlite3"
    call_command("backup", str(target))
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(target, restored)  # restoring a SQLite backup is putting the file in place
    copy = sqlite3.connect(restored)
    live = sqlite3.connect(connection.settings_dict["NAME"])
    tables = _tracker_tables()
    for table in tables:
        assert _rows(copy.cursor(), table) == _rows(live.cursor(), table), table
    assert sum(len(_rows(live.cursor(), table)) for table in tables) > 50
    history = copy.execute("select count(*) from tracker_historicalpatient").fetchone()[0]
    assert history == 2
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(target))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql" or not os.path.exists(f"{PG_BIN}/pg_restore"),
    reason="needs DATABASE_URL on PostgreSQL and the PostgreSQL 15 client programs",
)
def test_postgres_dump_restores_identical_records_and_history(filled, tmp_path):
    target = tmp_path / "poems.dump"
    call_command("backup", str(target), pg_dump=f"{PG_BIN}/pg_dump")
    settings = connection.settings_dict
    empty = f"poems_restore_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'create database "{empty}"')
    server = f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}"
    url = f"{server}/{empty}"
    try:
        done = subprocess.run(
            [f"{PG_BIN}/pg_restore", "--no-owner", f"--dbname={url}", str(target)], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        import psycopg

        with psycopg.connect(url) as restored, psycopg.connect(f"{server}/{settings['NAME']}") as live:
            tables = _tracker_tables()
            for table in tables:
                assert _rows(restored.cursor(), table) == _rows(live.cursor(), table), table
            assert sum(len(_rows(live.cursor(), table)) for table in tables) > 50
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'drop database if exists "{empty}"')
