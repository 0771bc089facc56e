"""The app through PgBouncer in transaction mode: consecutive transactions of one Django connection may run on
different server connections, so nothing may outlive a transaction on the server (a cursor, a SET, a lock)."""

import re
import secrets
import textwrap
from pathlib import Path

import pytest

from myProject import env
from tests.factories import PASSWORD
from tests.live_http import HttpClient
from tests.local_postgres import Stack, app_env

ROOT = Path(__file__).resolve().parent.parent
URL = "postgres://app@db.internal:6432/app"


def test_it_fetches_results_client_side_behind_a_transaction_pooler():
    pooled = env.database_config(URL, base_dir=ROOT, environ={"DATABASE_POOL_MODE": "transaction"})
    direct = env.database_config(URL, base_dir=ROOT, environ={})
    assert pooled["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert direct["DISABLE_SERVER_SIDE_CURSORS"] is False
    assert pooled["PREPARED_STATEMENTS"] is False  # myApp.lib.postgresql prepares nothing behind the pooler
    assert direct.get("PREPARED_STATEMENTS", True) is True
    assert pooled["ENGINE"] == direct["ENGINE"] == "myApp.lib.postgresql"


def test_it_turns_off_psycopg3_s_prepared_statements_behind_a_transaction_pooler(monkeypatch):
    transaction_mode = {"DATABASE_POOL_MODE": "transaction"}
    assert "prepare_threshold" not in env.database_config(URL, base_dir=ROOT, environ=transaction_mode)["OPTIONS"]
    monkeypatch.setattr(env, "psycopg3_installed", lambda: True)  # psycopg2 is what requirements.txt installs
    assert env.database_config(URL, base_dir=ROOT, environ=transaction_mode)["OPTIONS"]["prepare_threshold"] is None
    assert "prepare_threshold" not in env.database_config(URL, base_dir=ROOT, environ={})["OPTIONS"]


def test_it_applies_the_pool_mode_to_the_replicas_too():
    environ = {"DATABASE_POOL_MODE": "transaction"}
    default = env.database_config(URL, base_dir=ROOT, environ=environ)
    replicas = env.database_replicas(
        ["postgres://app@replica.internal/app"], default=default, base_dir=ROOT, environ=environ
    )
    assert replicas["replica1"]["DISABLE_SERVER_SIDE_CURSORS"] is True


def test_it_refuses_an_unknown_pool_mode():
    with pytest.raises(env.ImproperlyConfigured, match="DATABASE_POOL_MODE"):
        env.database_config(URL, base_dir=ROOT, environ={"DATABASE_POOL_MODE": "statement"})


def _pooled(port: int, **extra: str) -> dict[str, str]:
    return app_env(f"postgres://postgres@127.0.0.1:{port}/speakpro", **extra)


@pytest.fixture(scope="module")
def pooled_app(local_postgres, local_pgbouncer):
    stack, _, _ = local_postgres
    base = stack.gunicorn(_pooled(local_pgbouncer, DATABASE_POOL_MODE="transaction"), workers=2)
    yield stack, local_pgbouncer, base
    stack.stop_app(base)


def _transactions(port: int) -> int:
    return next(row for row in Stack.pgbouncer_show(port, "STATS") if row["database"] == "speakpro")["total_xact_count"]


def test_it_serves_sign_up_log_in_chat_and_lists_through_pgbouncer(pooled_app):
    _, port, base = pooled_app
    config = {row["key"]: row["value"] for row in Stack.pgbouncer_show(port, "CONFIG")}
    assert config["pool_mode"] == "transaction"
    before = _transactions(port)

    api = HttpClient(base)
    username = f"pooled_{secrets.token_hex(4)}"
    registered = api.post("/api/v1/auth/register/", json_body={"username": username, "password": PASSWORD})
    assert registered.status == 201, registered.text
    api.token = registered.json()["token"]
    for message in ("How do I calm my nerves before a talk?", "And how should I open it?"):
        chat = api.post("/api/chat", json_body={"message": message})
        assert chat.status == 200, chat.text
    session_id = chat.json()["session_id"]
    history = api.get(f"/api/session/history?session_id={session_id}&limit=10")
    assert history.status == 200, history.text
    assert history.json()["message_count"] == 4
    listed = api.get("/api/v1/conversations/")
    assert [row["session_id"] for row in listed.json()["results"]] == [session_id]

    browser = HttpClient(base)
    login_page = browser.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    home = browser.post("/login/", form={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert home.status == 200, home.text
    assert username in home.text
    assert browser.get("/chat/").status == 200  # the session cookie works on the next request

    assert _transactions(port) - before >= 20  # every request went through the pooler, in many transactions
    servers = Stack.pgbouncer_show(port, "SERVERS")
    assert len(servers) <= 2  # two workers and this test's console shared at most two server connections


# An iterator over more rows than one fetch, while another client takes the server connection the cursor was
# declared on (PgBouncer hands out the most recently used one first): the next fetch runs on another server.
INTERLEAVED_ITERATOR = textwrap.dedent(
    """
    import json, os, secrets
    import psycopg2
    from myApp.accounts.models import User

    User.objects.bulk_create(User(username=f"iterated_{secrets.token_hex(4)}") for _ in range(3))
    rows = User.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=1)
    seen = [next(rows)]
    other = psycopg2.connect(os.environ["DATABASE_URL"])
    other.cursor().execute("SELECT 1")  # opens a transaction: holds a server connection until rollback
    try:
        seen += list(rows)
        result = {"ok": seen == list(User.objects.order_by("pk").values_list("pk", flat=True))}
    except psycopg2.Error as error:  # the lost cursor; anything else fails the script
        result = {"ok": False, "error": type(error).__name__}
    finally:
        other.rollback()
        other.close()
    print(json.dumps(result))
    """
)


def test_it_iterates_through_pgbouncer_only_with_client_side_cursors(local_postgres, local_pgbouncer):
    stack, _, _ = local_postgres
    pooled = stack.python(_pooled(local_pgbouncer, DATABASE_POOL_MODE="transaction"), INTERLEAVED_ITERATOR)
    assert pooled.strip().splitlines()[-1] == '{"ok": true}'
    # The same code with server-side cursors (the setting for a direct connection) loses its cursor: the
    # failure DATABASE_POOL_MODE=transaction prevents.
    direct = stack.python(_pooled(local_pgbouncer, DATABASE_POOL_MODE="session"), INTERLEAVED_ITERATOR)
    assert direct.strip().splitlines()[-1] == '{"ok": false, "error": "InvalidCursorName"}'
