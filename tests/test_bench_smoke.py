"""The benchmark suite (bench/) at its smoke size, so it cannot rot: it must run to the end and print every
measure of issue 9 with a numeric ratio. Speeds are not asserted here (they are the benchmark's own output).

It runs ``python -m bench --smoke`` as a subprocess against its own database, ``<test database>_bench``,
created and dropped around the test, and the test run's Redis under its own key prefix."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
MEASURES = ("P1", "P2", "P3", "P5", "P6", "P7", "P8", "C1", "C2", "C3", "C4", "P9", "P10", "P11")

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="the benchmark runs on PostgreSQL and Redis only (gunicorn against a database of its own)",
)


def _url(settings_dict: dict, name: str) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _drop(name: str) -> None:
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def bench_database(django_db_setup, django_db_blocker):
    if not settings.REDIS_URL:
        pytest.skip("the benchmark needs Redis (REDIS_URL); this run uses the local-memory cache")
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_bench"
    with django_db_blocker.unblock():
        _drop(name)
        yield _url(settings_dict, name)
        _drop(name)


def test_it_runs_the_benchmark_at_smoke_size_and_prints_every_measure(bench_database, tmp_path):
    report = tmp_path / "bench.json"
    env = {
        **os.environ,
        "DATABASE_URL": bench_database,
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_KEY_PREFIX": "bench-smoke",
        "COLUMNS": "200",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "bench", "--smoke", "--rebuild", "--json", str(report)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = json.loads(report.read_text())["rows"]
    for ident in MEASURES:
        ratios = [row["ratio"] for row in rows if row["id"] == ident]
        assert any(isinstance(ratio, int | float) for ratio in ratios), (ident, rows)
        # and the table printed it: the id, then later on its line a decimal ratio
        assert re.search(rf"│ {ident} +│.*│\s+\d+\.\d{{3}} │", result.stdout), (ident, result.stdout[-3000:])
    # A smoke run's few samples say nothing about speed: no row is judged.
    assert "n/a (smoke)" in result.stdout and " fail " not in result.stdout


def test_it_runs_the_speech_probe_without_a_data_set(bench_database, tmp_path):
    """P11 analyses a generated talk in process: ``--only P11`` builds nothing (the database stays empty)."""
    report = tmp_path / "bench.json"
    env = {**os.environ, "DATABASE_URL": bench_database, "REDIS_URL": settings.REDIS_URL, "COLUMNS": "200"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "bench", "--smoke", "--only", "P11", "--json", str(report)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (row,) = json.loads(report.read_text())["rows"]
    assert row["id"] == "P11" and row["ratio"] > 0 and row["a"].endswith(" s")
    assert "real-time factor" in row["note"] and "no data set was built" in result.stdout
    import psycopg2

    with psycopg2.connect(bench_database) as bench, bench.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        assert cursor.fetchone()[0] == 0
