"""Typed readers for environment variables.

Every reader raises ``ImproperlyConfigured`` naming the variable when its value
cannot be used, so a bad deployment fails at start-up instead of at first use.
"""

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
POOL_MODES = ("session", "transaction")
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None) -> str | None:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, got {value!r}.")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}.")
    return number


def env_list(name: str, default: list[str] | None = None, *, environ: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_lines(
    name: str,
    default: tuple[str, ...],
    *,
    separator: str = "|",
    max_items: int = 10,
    max_length: int = 300,
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """Short lines of text separated by ``separator`` (commas are allowed inside a line)."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    lines = [line.strip() for line in value.split(separator) if line.strip()]
    if not lines or len(lines) > max_items:
        raise ImproperlyConfigured(f"{name} must hold 1-{max_items} entries separated by {separator!r}.")
    too_long = next((line for line in lines if len(line) > max_length), None)
    if too_long is not None:
        raise ImproperlyConfigured(f"{name}: each entry must be at most {max_length} characters, got {too_long!r}.")
    return lines


def env_choice(
    name: str,
    default: str,
    choices: tuple[str, ...],
    *,
    environ: Mapping[str, str] | None = None,
) -> str:
    value = _raw(name, environ)
    if value is None:
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}.")
    return value


def env_throttle_rate(name: str, default: str, *, environ: Mapping[str, str] | None = None) -> str:
    """A DRF rate such as ``10/minute``; validated here so a typo fails at start-up."""
    value = _raw(name, environ) or default
    count, _, period = value.partition("/")
    if not count.isdigit() or not period or period[0] not in "smhd":
        raise ImproperlyConfigured(f"{name} must look like '10/minute' (count/second|minute|hour|day), got {value!r}.")
    return value


def psycopg3_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("psycopg") is not None


def database_config(url: str | None, *, base_dir, environ: Mapping[str, str] | None = None) -> dict:
    """Parse ``DATABASE_URL``; unset means an embedded SQLite file in the project folder."""
    import dj_database_url

    sqlite_default = f"sqlite:///{base_dir / 'var' / 'db.sqlite3'}"
    try:
        config = dj_database_url.parse(
            url or sqlite_default,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600, minimum=0, environ=environ),
            conn_health_checks=True,
            ssl_require=env_bool("DATABASE_SSL_REQUIRE", False, environ=environ),
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {error}") from None
    if config.get("ENGINE", "").endswith("postgresql"):
        # Django's backend with a health check that costs no round trip and prepared hot reads (its docstring).
        config["ENGINE"] = "myApp.lib.postgresql"
        # A database that hangs must fail a request (and the readiness probe) quickly, not hold it.
        config.setdefault("OPTIONS", {})["connect_timeout"] = env_int(
            "DATABASE_CONNECT_TIMEOUT", 5, minimum=1, environ=environ
        )
        # Behind a transaction-mode pooler (PgBouncer) consecutive transactions may run on different server
        # connections, so a cursor kept open across them (QuerySet.iterator() outside a transaction) would be
        # lost: fetch results client-side instead.
        if env_choice("DATABASE_POOL_MODE", "session", POOL_MODES, environ=environ) == "transaction":
            config["DISABLE_SERVER_SIDE_CURSORS"] = True
            config["PREPARED_STATEMENTS"] = False  # myApp.lib.postgresql: a PREPARE would stay on one server connection
            if psycopg3_installed():
                # Django prefers psycopg 3 when it is installed; it prepares a statement run five times on one
                # connection, and the next transaction's server connection would not know it.
                config["OPTIONS"]["prepare_threshold"] = None
    if config.get("ENGINE", "").endswith("sqlite3"):
        # SQLite holds one writer at a time; persistent connections only add lock contention.
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {})["timeout"] = 20
    return config


def database_replicas(
    urls: list[str], *, default: dict, base_dir, environ: Mapping[str, str] | None = None
) -> dict[str, dict]:
    """``DATABASE_REPLICA_URLS``: one alias per streaming replica of the default database (``replica1``, ...),
    configured like the primary. Tests read the primary through them (``TEST["MIRROR"]``)."""
    if not urls:
        return {}
    if not default.get("ENGINE", "").endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs a PostgreSQL DATABASE_URL (replicas of it).")
    replicas = {}
    for number, url in enumerate(urls, start=1):
        try:
            config = database_config(url, base_dir=base_dir, environ=environ)
        except ImproperlyConfigured:
            raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS entry {number} is not a usable database URL.") from None
        if not config.get("ENGINE", "").endswith("postgresql"):
            raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS entry {number} must be a postgres:// URL.")
        config["TEST"] = {"MIRROR": "default"}
        replicas[f"replica{number}"] = config
    return replicas


def local_secret_key(path) -> str:
    """A per-checkout signing key for DEBUG runs, kept in a git-ignored file so
    sessions survive restarts; never used with DEBUG off."""
    from django.core.management.utils import get_random_secret_key

    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()
