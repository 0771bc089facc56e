"""gunicorn on loopback for the benchmark, configured by command-line flags only (``--config`` names an
empty module, so the project's ``gunicorn.conf.py`` is not read).

The server runs ``bench.settings`` (the project plus the bare baselines), with ``DEBUG`` off as in
production and the rate limits raised so that throttles still run (and cost what they cost) but never
answer 429 to the load generator.
"""

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

from bench.loadgen import wait_until_up

ROOT = Path(__file__).resolve().parent.parent
UNLIMITED = "1000000/minute"


def server_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    # One key for the whole run: the servers must accept the log-in sessions the bench process signs.
    os.environ.setdefault("BENCH_SECRET_KEY", secrets.token_urlsafe(50))
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "false",
            "SECRET_KEY": env["BENCH_SECRET_KEY"],
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "LOG_LEVEL": "WARNING",
            # DEBUG off serves hashed static files: collected once per run (bench.dataset.collect_static).
            "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
            **{
                f"THROTTLE_{name}_RATE": UNLIMITED
                for name in ("ANON", "USER", "LOGIN", "REGISTER", "PAIRING", "CHAT", "TELEMETRY", "EXPORT")
            },
        }
    )
    env.pop("GUNICORN_CMD_ARGS", None)  # gunicorn would add these to the flags
    env.update(extra or {})
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """``with Gunicorn(workers=2, env={...}) as server: server.port``"""

    def __init__(self, *, workers: int = 2, env: dict[str, str] | None = None, name: str = "bench"):
        self.workers, self.env, self.name = workers, env or {}, name
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        self.start()
        self.wait()
        return self

    def start(self) -> "Gunicorn":
        """Start without waiting (servers boot in parallel); ``wait`` until it answers."""
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "myProject.wsgi",
            "--config",
            "python:bench.gunicorn_flags",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            "--name",
            self.name,
            "--no-control-socket",  # several servers run at once; gunicorn's default socket path is one per user
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=server_environment(self.env))
        return self

    def wait(self) -> None:
        try:
            wait_until_up(self.port)
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
