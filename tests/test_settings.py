"""Settings come from the environment; bad values stop start-up naming the variable."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from myProject import env

ROOT = Path(__file__).resolve().parent.parent


def run_django(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Start a fresh process on the production settings module with ``environ`` on top."""
    base = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    base["DJANGO_SETTINGS_MODULE"] = "myProject.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base | environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_environ(**overrides: str) -> dict[str, str]:
    return {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "app.example.com"} | overrides


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (lambda e: env.env_bool("DEBUG", False, environ=e), "maybe", "DEBUG must be one of"),
        (lambda e: env.env_int("DEBUG", 1, environ=e), "ten", "DEBUG must be an integer"),
        (lambda e: env.env_int("DEBUG", 1, minimum=0, environ=e), "-5", "DEBUG must be at least 0"),
        (lambda e: env.env_choice("DEBUG", "a", ("a", "b"), environ=e), "c", "DEBUG must be one of a, b"),
        (lambda e: env.env_throttle_rate("DEBUG", "1/minute", environ=e), "lots", "DEBUG must look like"),
    ],
)
def test_it_rejects_bad_values_naming_the_variable(reader, value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        reader({"DEBUG": value})


def test_it_parses_good_values_and_defaults():
    environ = {"FLAG": "yes", "COUNT": "7", "HOSTS": "a.example, b.example,,", "BLANK": "  "}
    assert env.env_bool("FLAG", False, environ=environ) is True
    assert env.env_bool("BLANK", False, environ=environ) is False
    assert env.env_int("COUNT", 1, environ=environ) == 7
    assert env.env_list("HOSTS", environ=environ) == ["a.example", "b.example"]
    assert env.env_str("MISSING", "fallback", environ=environ) == "fallback"


def test_it_defaults_to_an_embedded_sqlite_file_in_the_project(tmp_path):
    config = env.database_config(None, base_dir=tmp_path, environ={})
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(config["NAME"]).parent == tmp_path / "var"


def test_it_keeps_connections_alive_with_health_checks_on_postgres():
    config = env.database_config("postgres://u@db.internal:5432/app", base_dir=ROOT, environ={})
    assert config["CONN_MAX_AGE"] == 600
    assert config["CONN_HEALTH_CHECKS"] is True
    assert "sslmode" not in config.get("OPTIONS", {})
    ssl = env.database_config("postgres://u@db.internal/app", base_dir=ROOT, environ={"DATABASE_SSL_REQUIRE": "1"})
    assert ssl["OPTIONS"]["sslmode"] == "require"


def test_it_bounds_the_wait_for_a_postgres_connection():
    config = env.database_config("postgres://u@db.internal:5432/app", base_dir=ROOT, environ={})
    assert config["OPTIONS"]["connect_timeout"] == 5
    custom = env.database_config(
        "postgres://u@db.internal/app", base_dir=ROOT, environ={"DATABASE_CONNECT_TIMEOUT": "2"}
    )
    assert custom["OPTIONS"]["connect_timeout"] == 2


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_django({"DEBUG": "false"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "sometimes"),
        ("REDIS_URL", "http://cache"),
        ("THROTTLE_LOGIN_RATE", "fast"),
        ("CSP_MODE", "loose"),
        ("TASKS_BACKEND", "celery"),
    ],
)
def test_it_refuses_to_start_with_a_bad_value(variable, value):
    result = run_django(production_environ(**{variable: value}), "check")
    assert result.returncode != 0
    assert variable in result.stderr


TASKS_SHOWN = "from django.conf import settings as s; t = s.TASKS['default']; print(t['BACKEND'], t.get('OPTIONS'))"


def test_it_queues_tasks_in_the_database_by_default():
    result = run_django(production_environ(TASKS_BACKEND=""), "shell", "--no-imports", "-c", TASKS_SHOWN)
    assert result.stdout.strip() == "django_tasks_db.DatabaseBackend None", result.stderr


def test_it_switches_tasks_to_the_redis_queue_from_the_environment():
    result = run_django(
        production_environ(TASKS_BACKEND="rq", REDIS_URL="redis://cache:6379/0", TASKS_REDIS_URL=""),
        "shell",
        "--no-imports",
        "-c",
        TASKS_SHOWN,
    )
    assert result.stdout.startswith("myApp.lib.rq_tasks.RQBackend {'REDIS_URL': 'redis://cache:6379/0'"), result.stderr
    own = run_django(
        production_environ(TASKS_BACKEND="rq", REDIS_URL="", TASKS_REDIS_URL="redis://queue:6379/1"),
        "shell",
        "--no-imports",
        "-c",
        TASKS_SHOWN,
    )
    assert "'REDIS_URL': 'redis://queue:6379/1'" in own.stdout, own.stderr


def test_it_refuses_the_redis_queue_without_a_redis():
    result = run_django(production_environ(TASKS_BACKEND="rq", REDIS_URL="", TASKS_REDIS_URL=""), "check")
    assert result.returncode != 0
    assert "TASKS_BACKEND=rq needs TASKS_REDIS_URL (or REDIS_URL)" in result.stderr


@pytest.fixture
def existing_database_url(django_db_setup) -> str:
    """The test database's URL: the model checks ask the server its version (``GeneratedField``), so a deploy
    check needs a database that exists, as it has in production."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return os.environ.get("DATABASE_URL", "sqlite://:memory:")
    user, host, port = database["USER"] or "postgres", database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    return f"postgres://{quote(user, safe='')}{password}@{host}:{port}/{database['NAME']}"


def test_it_passes_the_deploy_check_with_only_the_required_variables(existing_database_url):
    environ = production_environ(DATABASE_URL=existing_database_url)
    result = run_django(environ, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_lets_a_deployment_behind_a_tls_proxy_relax_the_redirect(existing_database_url):
    environ = production_environ(SECURE_SSL_REDIRECT="false", DATABASE_URL=existing_database_url)
    result = run_django(environ, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W008" in result.stderr


def test_it_keeps_a_local_secret_key_for_debug_runs(tmp_path):
    path = tmp_path / "var" / "dev-secret-key"
    first = env.local_secret_key(path)
    assert len(first) >= 50
    assert env.local_secret_key(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"
