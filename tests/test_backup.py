"""The backup round trip: ``scripts/backup`` dumps a database holding known rows, ``scripts/restore`` restores
the file into a fresh database, and every table has the same rows (counts, and checksums of a few columns)."""

import os
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from myApp.accounts.models import User
from myApp.analytics import services as analytics
from myApp.analytics.models import TelemetryEvent
from myApp.sessions import services as chat
from myApp.sessions.models import Message, SessionSentence
from tests.clinical_helpers import client_create, clinician_create, session_with_transcript

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)  # the dump sees committed rows only

# A few columns whose content must survive byte for byte, not just their row counts.
CHECKSUMS = {
    User._meta.db_table: "username, email, password",
    Message._meta.db_table: "conversation_id, role, content",
    SessionSentence._meta.db_table: "session_id, sequence_number, text, keywords",
    TelemetryEvent._meta.db_table: "name, properties, created_at",
}


def url_for(name: str) -> str:
    settings = connection.settings_dict
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


def snapshot(dsn: str) -> dict[str, object]:
    """Row count of every table in the public schema, and the checksums."""
    db = psycopg2.connect(dsn)
    try:
        return _snapshot(db)
    finally:
        db.close()


def _snapshot(db) -> dict[str, object]:
    with db, db.cursor() as cursor:
        cursor.execute("select tablename from pg_tables where schemaname = 'public' order by tablename")
        tables = [row[0] for row in cursor.fetchall()]
        result: dict[str, object] = {}
        for table in tables:
            cursor.execute(f'select count(*) from "{table}"')
            result[table] = cursor.fetchone()[0]
        for table, expression in CHECKSUMS.items():
            cursor.execute(
                f"select md5(coalesce(string_agg(concat_ws('~', {expression}), '|' order by id), '')) from {table}"
            )
            result[f"{table} checksum"] = cursor.fetchone()[0]
    return result


def run(script: str, *args: str, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = psycopg2.connect(url_for("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'drop database if exists "{name}"')
        cursor.execute(f'create database "{name}"')
    yield url_for(name)
    with admin.cursor() as cursor:
        cursor.execute(f'drop database if exists "{name}" with (force)')
    admin.close()


@pytest.fixture
def known_rows(owner, outsider):
    chat.chat_send(user=owner, message="Hello, a backup is the only copy that counts")
    chat.chat_send(user=outsider, message="Ünïcode and 'quotes' survive too")
    for index in range(3):
        analytics.telemetry_record(name="screen_view", module_code=f"m{index}", properties={"n": index})
    session_with_transcript(client_create(clinician_create("dr_backup")))


@pytest.mark.postgres
def test_it_restores_every_row_into_a_fresh_database(known_rows, fresh_database, tmp_path):
    source = url_for(connection.settings_dict["NAME"])
    dump = tmp_path / "speakpro.dump"
    before = snapshot(source)

    backup = run("backup", str(dump), database_url=source)
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_size > 0 and not Path(f"{dump}.partial").exists()
    restore = run("restore", str(dump), database_url=fresh_database)
    assert restore.returncode == 0, restore.stderr

    after = snapshot(fresh_database)
    assert after == before
    assert before[Message._meta.db_table] == 4 and before[TelemetryEvent._meta.db_table] == 3
    assert before[SessionSentence._meta.db_table] == 5 and before["django_migrations"] > 50


@pytest.mark.postgres
def test_it_refuses_to_restore_over_a_database_that_has_tables(known_rows, tmp_path):
    source = url_for(connection.settings_dict["NAME"])
    dump = tmp_path / "speakpro.dump"
    assert run("backup", str(dump), database_url=source).returncode == 0

    refused = run("restore", str(dump), database_url=source)

    assert refused.returncode == 2
    assert "already has" in refused.stderr and "--clean" in refused.stderr


@pytest.mark.parametrize(
    ("script", "args", "url", "message"),
    [
        ("backup", [], "sqlite:////tmp/x.sqlite3", "not a PostgreSQL URL"),
        ("restore", [], "postgres://postgres@127.0.0.1/x", "usage: scripts/restore"),
        ("restore", ["/nonexistent.dump"], "postgres://postgres@127.0.0.1/x", "usage: scripts/restore"),
    ],
)
def test_the_scripts_refuse_bad_arguments_clearly(script, args, url, message):
    result = run(script, *args, database_url=url)

    assert result.returncode == 2
    assert message in result.stderr
