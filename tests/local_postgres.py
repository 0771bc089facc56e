"""Throw-away PostgreSQL servers, a PgBouncer and a gunicorn on loopback, for the scale-out tests.

Everything lives in one temporary folder and listens on 127.0.0.1 ports picked free; ``Stack.close()`` stops
every process it started (immediately: the data is thrown away) and removes the folder. As root, the
PostgreSQL and PgBouncer programs run as the ``postgres`` user (both refuse to run as root).
"""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "speakpro"
START_TIMEOUT = 30


def postgres_bindir() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian keeps them out of PATH)."""
    found = shutil.which("initdb")
    if found and (Path(found).resolve().parent / "pg_basebackup").exists():
        return Path(found).resolve().parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(Path(path).parts[-3].split(".")[0])
    )
    return Path(candidates[-1]).parent if candidates else None


def pgbouncer_binary() -> str | None:
    return shutil.which("pgbouncer") or next(iter(glob.glob("/usr/sbin/pgbouncer")), None)


def missing_programs(*, pgbouncer: bool = False) -> str | None:
    """Why these tests cannot run here, or None."""
    if postgres_bindir() is None:
        return "PostgreSQL server programs (initdb, pg_ctl, pg_basebackup) are not installed"
    if pgbouncer and pgbouncer_binary() is None:
        return "pgbouncer is not installed (scripts/test installs Debian's package)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no postgres user to run PostgreSQL as"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_server_user() -> dict:
    """Popen arguments that run a program as the postgres user when the tests run as root."""
    if os.geteuid() != 0:
        return {}
    return {"user": "postgres", "group": "postgres", "extra_groups": [], "cwd": "/"}


def _run(command: list[str], log: Path) -> None:
    with log.open("ab") as out:
        result = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, timeout=60, **as_server_user())
    if result.returncode:
        raise RuntimeError(f"{command[0]} failed ({result.returncode}); see {log}:\n{log.read_text()[-2000:]}")


def _wait(check, what: str, timeout: float = START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
        except (psycopg2.Error, OSError):
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what} after {timeout} s")
        time.sleep(0.05)


class Server:
    """A PostgreSQL server on 127.0.0.1:port with its data in ``data``."""

    def __init__(self, bindir: Path, data: Path, port: int):
        self.bindir, self.data, self.port = bindir, data, port
        self.log = data.parent / f"{data.name}.log"  # our commands' output (written by this process)
        self.server_log = data.parent / f"{data.name}-server.log"  # the server's own (written by postgres)

    def url(self, database: str = DATABASE) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = DATABASE):
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, connect_timeout=3
        )
        connection.autocommit = True
        return connection

    def query(self, sql: str, params=(), database: str = DATABASE):
        connection = self.connect(database)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else None
        finally:
            connection.close()

    def configure(self, **settings) -> None:
        lines = [
            f"{name} = {value!r}" if isinstance(value, str) else f"{name} = {value}" for name, value in settings.items()
        ]
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n# tests/local_postgres.py\n" + "\n".join(lines) + "\n")

    def start(self) -> None:
        _run(
            [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.server_log), "-w", "-t", "30", "start"],
            self.log,
        )

    def stop(self) -> None:
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return
        subprocess.run(
            [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=30,
            **as_server_user(),
        )
        if pid_file.exists():  # pg_ctl could not stop it: do not leave a postmaster behind
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)


class Stack:
    """The processes one test module starts, stopped together by ``close()`` even when starting failed."""

    def __init__(self):
        # As root, under /tmp: the postgres user must be able to reach the folder (TMPDIR may be root's own).
        self.folder = Path(tempfile.mkdtemp(prefix="speakpro-scale-", dir="/tmp" if os.geteuid() == 0 else None))
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.bindir = postgres_bindir()
        self.servers: list[Server] = []
        self.processes: list[subprocess.Popen] = []
        self.apps: dict[str, subprocess.Popen] = {}
        self.timings: dict[str, float] = {}

    def _timed(self, name: str, started: float) -> None:
        self.timings[name] = round(time.monotonic() - started, 2)

    def primary(self) -> Server:
        """A new server that can stream to replicas, with an empty ``speakpro`` database."""
        started = time.monotonic()
        server = Server(self.bindir, self.folder / "primary", free_port())
        self.servers.append(server)
        _run(
            [str(self.bindir / "initdb"), "-D", str(server.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "-N"],
            server.log,
        )
        server.configure(
            port=server.port,
            listen_addresses="127.0.0.1",
            unix_socket_directories=str(self.folder),
            wal_level="replica",
            max_wal_senders=4,
            max_connections=60,
            shared_buffers="32MB",
            fsync="off",
            synchronous_commit="off",
            full_page_writes="off",
        )
        with (server.data / "pg_hba.conf").open("w") as hba:
            hba.write("host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n")
        server.start()
        server.query(f"CREATE DATABASE {DATABASE}", database="postgres")
        self._timed("primary", started)
        return server

    def copy_schema(self, source: dict, primary: Server) -> None:
        """The app's tables (and its migration records) from ``source``, a migrated database's Django settings:
        the test database, which pytest-django has just migrated; a second ``migrate`` would take 5-20 s more."""
        started = time.monotonic()
        env = {
            **os.environ,
            "PGHOST": source["HOST"] or "127.0.0.1",
            "PGPORT": str(source["PORT"] or 5432),
            "PGUSER": source["USER"] or "postgres",
            "PGPASSWORD": source["PASSWORD"] or "",
            "PGDATABASE": source["NAME"],
        }
        dump = [str(self.bindir / "pg_dump"), "--no-owner", "--no-privileges"]
        schema = subprocess.run([*dump, "--schema-only"], env=env, capture_output=True, check=True, timeout=60)
        records = subprocess.run(
            [*dump, "--data-only", "--table=django_migrations"], env=env, capture_output=True, check=True, timeout=60
        )
        subprocess.run(
            [str(self.bindir / "psql"), "-q", "-v", "ON_ERROR_STOP=1", primary.url()],
            input=schema.stdout + records.stdout,
            capture_output=True,
            check=True,
            timeout=60,
        )
        self._timed("schema", started)

    def standby(self, primary: Server) -> Server:
        """A streaming replica of ``primary`` (pg_basebackup -R), in recovery and streaming when returned."""
        started = time.monotonic()
        server = Server(self.bindir, self.folder / "standby", free_port())
        self.servers.append(server)
        _run(
            [
                str(self.bindir / "pg_basebackup"),
                *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
                *("-D", str(server.data), "-R", "-X", "stream", "-c", "fast", "-N"),
            ],
            server.log,
        )
        server.configure(port=server.port, hot_standby="on")
        server.start()
        _wait(lambda: server.query("SELECT pg_is_in_recovery()")[0][0], "the standby to be in recovery")
        _wait(
            lambda: primary.query("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")[0][0],
            "the standby to stream",
        )
        self._timed("standby", started)
        return server

    def pgbouncer(self, server: Server, *, pool_size: int = 2) -> int:
        """PgBouncer in transaction mode in front of ``server``; returns its port. Two server connections: the
        cursor test needs a second one, and the app's workers and scripts share them, transaction by transaction."""
        started = time.monotonic()
        port = free_port()
        folder = self.folder / "pgbouncer"
        folder.mkdir()
        (folder / "userlist.txt").write_text('"postgres" ""\n')
        (folder / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"{DATABASE} = host=127.0.0.1 port={server.port} dbname={DATABASE}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
            "auth_type = trust\nadmin_users = postgres\n"
            f"auth_file = {folder / 'userlist.txt'}\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {pool_size}\nmax_client_conn = 100\n"
            # LIFO reuse of server connections: the order the interleaving test relies on.
            "server_round_robin = 0\n"
            f"logfile = {folder / 'pgbouncer.log'}\npidfile = {folder / 'pgbouncer.pid'}\n"
        )
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            for path in (folder, *folder.iterdir()):
                os.chown(path, account.pw_uid, account.pw_gid)
        process = subprocess.Popen(
            [pgbouncer_binary(), str(folder / "pgbouncer.ini")],
            stdout=subprocess.DEVNULL,
            stderr=(folder / "stderr.log").open("wb"),
            **as_server_user(),
        )
        self.processes.append(process)
        _wait(lambda: self._answers(port), "pgbouncer to accept connections", timeout=10)
        self._timed("pgbouncer", started)
        return port

    @staticmethod
    def pgbouncer_show(port: int, what: str) -> list[dict]:
        """A PgBouncer admin console listing (``SHOW STATS``, ``SHOW DATABASES``...) as dictionaries."""
        connection = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="pgbouncer")
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SHOW {what}")
                names = [column.name for column in cursor.description]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            connection.close()

    @staticmethod
    def _answers(port: int) -> bool:
        psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname=DATABASE, connect_timeout=2).close()
        return True

    def manage(self, env: dict[str, str], *args: str) -> str:
        """``manage.py`` with the app pointed at these servers; its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        return result.stdout

    def python(self, env: dict[str, str], script: str) -> str:
        """A Python script run with the app's settings (``django.setup()`` done); its standard output."""
        code = "import django\ndjango.setup()\n" + script
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        if result.returncode:
            raise RuntimeError(f"the script failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
        return result.stdout

    def gunicorn(self, env: dict[str, str], *, workers: int = 1) -> str:
        """The app under gunicorn on a free loopback port; returns its base URL once it answers."""
        started = time.monotonic()
        port = free_port()
        config = self.folder / "gunicorn.conf.py"
        config.write_text("# empty: the command line says everything\n")
        log = self.folder / f"gunicorn-{port}.log"
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "myProject.wsgi:application", "-c", str(config)),
                *("-b", f"127.0.0.1:{port}", "-w", str(workers), "--timeout", "30"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )
        self.processes.append(process)
        base = f"http://127.0.0.1:{port}"
        self.apps[base] = process

        def live() -> bool:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-4000:]}")
            with urllib.request.urlopen(f"{base}/healthz/live", timeout=2) as response:
                return response.status == 200

        _wait(live, "gunicorn to answer")
        self._timed("gunicorn", started)
        return base

    def app_log(self, base: str) -> str:
        return (self.folder / f"gunicorn-{base.rsplit(':', 1)[1]}.log").read_text()

    def stop_app(self, base: str) -> None:
        self._stop(self.apps.pop(base))

    def _stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            # gunicorn's quick shutdown (SIGTERM would wait for its workers' keep-alive connections); the same
            # signal stops PgBouncer at once.
            process.send_signal(signal.SIGINT if process in self.apps.values() else signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def close(self) -> None:
        for process in reversed(self.processes):
            self._stop(process)
        for server in reversed(self.servers):
            server.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment the app runs with against these servers: its own settings, nothing from the test run's
    database or cache (local-memory cache: the app under test is one process)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="myProject.settings",
        DATABASE_URL=database_url,
        REDIS_URL="",
        DEBUG="1",
        SECRET_KEY="local-postgres-tests",
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def caught_up(primary: Server, standby: Server) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    (target,) = primary.query("SELECT pg_current_wal_insert_lsn()::text")[0]
    _wait(
        lambda: standby.query("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,))[0][0],
        "the standby to replay the primary's writes",
    )


class paused_replay:
    """Replication lag on demand: the standby receives WAL but applies none of it until the block ends."""

    def __init__(self, standby: Server):
        self.standby = standby

    def __enter__(self):
        self.standby.query("SELECT pg_wal_replay_pause()")
        _wait(lambda: self.standby.query("SELECT pg_get_wal_replay_pause_state() = 'paused'")[0][0], "replay to pause")
        return self

    def __exit__(self, *exc_info):
        self.standby.query("SELECT pg_wal_replay_resume()")


@pytest.fixture(scope="session")
def local_postgres(request):
    """A primary with the app's schema and a streaming standby of it, on loopback, for this test session."""
    from django.conf import settings
    from django.db import connection

    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("starts its own PostgreSQL servers (replication, PgBouncer); this run is on SQLite")
    reason = missing_programs()
    if reason:
        pytest.skip(reason)
    request.getfixturevalue("django_db_setup")  # the migrated test database, whose schema the primary copies
    stack = Stack()
    try:
        primary = stack.primary()
        stack.copy_schema(connection.settings_dict, primary)
        standby = stack.standby(primary)
        yield stack, primary, standby
    finally:
        print(f"\nlocal PostgreSQL stack start-up, seconds: {stack.timings}")
        stack.close()


@pytest.fixture(scope="session")
def local_pgbouncer(local_postgres):
    """PgBouncer in transaction mode in front of the ``local_postgres`` primary: its port."""
    reason = missing_programs(pgbouncer=True)
    if reason:
        pytest.skip(reason)
    stack, primary, _ = local_postgres
    return stack.pgbouncer(primary)
