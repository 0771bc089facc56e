"""gunicorn.conf.py: every setting read from the environment with its default, bad values refused, and a
server started with it answers."""

import os
import subprocess
import sys

import pytest
import requests

from tests.processes import ROOT, gunicorn_servers, project_environ


def gunicorn_config(*, cpus: set[int] | None = None, **environ: str) -> subprocess.CompletedProcess:
    """What gunicorn resolves from gunicorn.conf.py with ``environ`` on top (--print-config loads the app too)."""
    base = project_environ(DATABASE_URL="sqlite:///:memory:", **environ)
    for name in [key for key in base if key.startswith("GUNICORN_") or key in {"WEB_CONCURRENCY"}]:
        if name not in environ:
            del base[name]
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--print-config", "myProject.wsgi"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
    )


def resolved(*, cpus: set[int] | None = None, **environ: str) -> dict[str, str]:
    result = gunicorn_config(cpus=cpus, **environ)
    assert result.returncode == 0, result.stderr
    values = {}
    for line in result.stdout.splitlines():
        name, separator, value = line.partition("=")
        if separator:
            values[name.strip()] = value.strip()
    return values


def test_it_sizes_the_workers_by_the_cpus_it_may_use_not_the_machines():
    one = {min(os.sched_getaffinity(0))}  # as under taskset or a container's CPU set
    assert resolved(cpus=one)["workers"] == "3"


def test_it_has_sane_defaults():
    config = resolved()
    assert config["bind"] == "['0.0.0.0:8000']"
    assert config["workers"] == str(len(os.sched_getaffinity(0)) * 2 + 1)
    assert (config["threads"], config["worker_class"]) == ("1", "sync")
    assert (config["timeout"], config["graceful_timeout"], config["keepalive"]) == ("30", "30", "5")
    assert (config["max_requests"], config["max_requests_jitter"]) == ("1000", "100")
    assert (config["accesslog"], config["errorlog"], config["loglevel"]) == ("-", "-", "info")
    assert config["preload_app"] == "False"
    assert config["control_socket_disable"] == "True"  # two instances on one host would share its default path


def test_it_reads_every_setting_from_the_environment():
    config = resolved(
        GUNICORN_BIND="127.0.0.1:9001, unix:/tmp/speakpro.sock",
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="4",
        GUNICORN_TIMEOUT="45",
        GUNICORN_GRACEFUL_TIMEOUT="20",
        GUNICORN_KEEPALIVE="2",
        GUNICORN_MAX_REQUESTS="500",
        GUNICORN_MAX_REQUESTS_JITTER="50",
        GUNICORN_ACCESSLOG="/tmp/access.log",
        GUNICORN_LOGLEVEL="WARNING",
        GUNICORN_PRELOAD="yes",
    )
    assert config["bind"] == "['127.0.0.1:9001', 'unix:/tmp/speakpro.sock']"
    assert (config["workers"], config["threads"], config["worker_class"]) == ("3", "4", "gthread")
    assert (config["timeout"], config["graceful_timeout"], config["keepalive"]) == ("45", "20", "2")
    assert (config["max_requests"], config["max_requests_jitter"]) == ("500", "50")
    assert (config["accesslog"], config["loglevel"], config["preload_app"]) == ("/tmp/access.log", "warning", "True")


def test_it_takes_the_worker_count_from_web_concurrency_unless_told_otherwise():
    assert resolved(WEB_CONCURRENCY="6")["workers"] == "6"
    assert resolved(WEB_CONCURRENCY="6", GUNICORN_WORKERS="2")["workers"] == "2"


def test_it_gives_an_instance_its_own_control_socket_when_asked():
    config = resolved(GUNICORN_CONTROL_SOCKET="/run/speakpro/web-1.ctl")
    assert (config["control_socket_disable"], config["control_socket"]) == ("False", "/run/speakpro/web-1.ctl")


def test_it_turns_the_access_log_off():
    assert resolved(GUNICORN_ACCESSLOG="off")["accesslog"] == "None"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("GUNICORN_WORKERS", "many", "GUNICORN_WORKERS must be an integer, got 'many'."),
        ("GUNICORN_WORKERS", "0", "GUNICORN_WORKERS must be at least 1, got 0."),
        ("GUNICORN_TIMEOUT", "-1", "GUNICORN_TIMEOUT must be at least 1, got -1."),
        ("GUNICORN_PRELOAD", "maybe", "GUNICORN_PRELOAD must be one of"),
        ("GUNICORN_LOGLEVEL", "loud", "GUNICORN_LOGLEVEL must be one of"),
    ],
)
def test_it_refuses_a_bad_value_naming_the_variable(variable, value, message):
    result = gunicorn_config(**{variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_a_server_started_with_it_answers_and_logs_each_request(tmp_path):
    environ = project_environ(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL="",
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESSLOG=str(tmp_path / "access.log"),
    )
    with gunicorn_servers(environ, tmp_path) as [base]:
        live = requests.get(f"{base}/healthz/live", timeout=10)
        ready = requests.get(f"{base}/healthz/ready", timeout=10)
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()["database"]) == (200, "ok")
    access_log = (tmp_path / "access.log").read_text()
    assert '"GET /healthz/ready HTTP/1.1" 200' in access_log
    assert access_log.rstrip().endswith("ms")
    assert "Booting worker" in (tmp_path / "server-0.log").read_text()
