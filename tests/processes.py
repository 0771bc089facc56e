"""Other processes of the project for tests: gunicorn servers and task workers that share the test run's
PostgreSQL database and Redis, the way instances on other machines share production's.

The test database only holds what a test committed, so tests using these run with
``transactional_db`` (``@pytest.mark.django_db(transaction=True)``).
"""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import requests
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
# How long a broken server may take to answer before the test fails; a passing run never waits for it.
START_LIMIT_SECONDS = 30


def test_database_url() -> str:
    """A DATABASE_URL naming the test run's database (test_<name>), for another process."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{quote(db['NAME'], safe='')}"


def project_environ(**overrides: str) -> dict[str, str]:
    """The environment of another process of the project, on its production settings module."""
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_"))}
    environ |= {
        "DJANGO_SETTINGS_MODULE": "myProject.settings",
        "DEBUG": "true",
        "SECRET_KEY": settings.SECRET_KEY,
        "PYTHONUNBUFFERED": "1",
    }
    return environ | overrides


def shared_environ(**overrides: str) -> dict[str, str]:
    """The environment of a process that shares this test run's PostgreSQL database and Redis."""
    return project_environ(
        DATABASE_URL=test_database_url(),
        REDIS_URL=settings.REDIS_URL or "",
        CACHE_KEY_PREFIX=settings.CACHES["default"].get("KEY_PREFIX", ""),
        **overrides,
    )


def run_manage(environ: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(environ: dict[str, str], log_path: Path):
    """A gunicorn started with the project's gunicorn.conf.py on a free loopback port; yields its base URL
    once /healthz/live answers, and stops it (and its workers) however the test ends."""
    port = free_port()
    environ = environ | {"GUNICORN_BIND": f"127.0.0.1:{port}"}
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "myProject.wsgi"],
            cwd=ROOT,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_LIMIT_SECONDS
            while True:
                if server.poll() is not None:
                    raise AssertionError(f"gunicorn exited with {server.returncode}:\n{log_path.read_text()}")
                try:
                    if requests.get(f"{base}/healthz/live", timeout=2).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass  # not listening yet
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"gunicorn did not answer within {START_LIMIT_SECONDS} s:\n{log_path.read_text()}"
                    )
                time.sleep(0.1)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
