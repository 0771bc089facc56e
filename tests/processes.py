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
    shared = {
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL or "",
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
    }
    return project_environ(**shared | overrides)


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
def gunicorn_servers(environ: dict[str, str], log_dir: Path, count: int = 1):
    """``count`` gunicorns started together with the project's gunicorn.conf.py, each on its own free loopback
    port; yields their base URLs once each answers /healthz/live, and stops them all (and their workers)
    however the test ends. Each one's output is in ``log_dir/server-N.log``."""
    servers: list[tuple[subprocess.Popen, str, Path]] = []
    try:
        for number in range(count):
            port = free_port()
            log_path = log_dir / f"server-{number}.log"
            with log_path.open("w") as log:
                process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "myProject.wsgi"],
                    cwd=ROOT,
                    env=environ | {"GUNICORN_BIND": f"127.0.0.1:{port}"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            servers.append((process, f"http://127.0.0.1:{port}", log_path))
        deadline = time.monotonic() + START_LIMIT_SECONDS
        for process, base, log_path in servers:
            _wait_until_live(process, base, log_path, deadline)
        yield [base for _, base, _ in servers]
    finally:
        for process, _, _ in servers:
            process.terminate()
        for process, _, _ in servers:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_live(process: subprocess.Popen, base: str, log_path: Path, deadline: float) -> None:
    while True:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            if requests.get(f"{base}/healthz/live", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or still loading the app for its first request
        if time.monotonic() > deadline:
            raise AssertionError(f"gunicorn did not answer within {START_LIMIT_SECONDS} s:\n{log_path.read_text()}")
        time.sleep(0.1)
