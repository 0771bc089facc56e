"""Read replicas (myApp/lib/db_routing.py): which database each read uses, then the app under gunicorn against a
real streaming replica on loopback (tests/local_postgres.py), with replication lag made on demand by pausing
the standby's replay."""

import os
import re
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connection, router, transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from myApp.accounts.models import AccessRecord, ChildPrivacySettings, DeviceToken, Profile, User
from myApp.lib import db_routing
from myApp.lib.db_routing import PIN_COOKIE, ReplicaReadsMiddleware, ReplicaRouter, replica_reads
from myApp.sessions import history_cache
from myApp.sessions.models import Conversation, Message
from myProject import env
from tests.factories import PASSWORD, UserFactory
from tests.live_http import HttpClient
from tests.local_postgres import app_env, caught_up, free_port, paused_replay

REPLICA = "replica1"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def routed(monkeypatch):
    """The router active, with one replica alias (only named: these tests ask where a read would go)."""
    monkeypatch.setattr(db_routing, "replica_aliases", lambda: [REPLICA])
    monkeypatch.setattr(db_routing, "replica_reachable", lambda alias: True)
    with override_settings(DATABASE_ROUTERS=["myApp.lib.db_routing.ReplicaRouter"]):
        yield


# --- Settings ------------------------------------------------------------------------------------------------

PRIMARY_URL = "postgres://app@db.internal:5432/app"


def test_it_adds_one_alias_per_replica_configured_like_the_primary():
    environ = {"DATABASE_CONNECT_TIMEOUT": "3"}
    default = env.database_config(PRIMARY_URL, base_dir=ROOT, environ=environ)
    replicas = env.database_replicas(
        ["postgres://app@replica-a.internal/app", "postgres://app@replica-b.internal/app"],
        default=default,
        base_dir=ROOT,
        environ=environ,
    )
    assert list(replicas) == ["replica1", "replica2"]
    assert [config["HOST"] for config in replicas.values()] == ["replica-a.internal", "replica-b.internal"]
    assert replicas["replica1"]["OPTIONS"]["connect_timeout"] == 3
    assert replicas["replica1"]["TEST"] == {"MIRROR": "default"}  # tests read the test database through it
    assert env.database_replicas([], default=default, base_dir=ROOT) == {}


@pytest.mark.parametrize(
    ("primary", "replica", "message"),
    [
        ("sqlite:///app.sqlite3", "postgres://app@replica.internal/app", "needs a PostgreSQL DATABASE_URL"),
        (PRIMARY_URL, "sqlite:///copy.sqlite3", "entry 1 must be a postgres:// URL"),
        (PRIMARY_URL, "nonsense://x", "entry 1 is not a usable database URL"),
    ],
)
def test_it_refuses_replicas_it_cannot_use(primary, replica, message):
    default = env.database_config(primary, base_dir=ROOT, environ={})
    with pytest.raises(ImproperlyConfigured, match=message):
        env.database_replicas([replica], default=default, base_dir=ROOT, environ={})


@pytest.mark.parametrize("replicas", ["", "postgres://app@replica.internal/app"])
def test_it_routes_only_when_a_replica_is_configured(replicas):
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.DATABASES), getattr(settings, 'DATABASE_ROUTERS', []), "
        "'myApp.lib.db_routing.ReplicaReadsMiddleware' in settings.MIDDLEWARE)"
    )
    environ = {
        **{name: value for name, value in os.environ.items() if not name.startswith("DATABASE_")},
        "DJANGO_SETTINGS_MODULE": "myProject.settings",
        "DEBUG": "1",
        "DATABASE_URL": PRIMARY_URL,
        "DATABASE_REPLICA_URLS": replicas,
    }
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environ, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    expected = (
        "['default', 'replica1'] ['myApp.lib.db_routing.ReplicaRouter'] True" if replicas else "['default'] [] False"
    )
    assert result.stdout.strip() == expected


# --- Where reads go ------------------------------------------------------------------------------------------


def test_it_reads_from_the_primary_outside_a_request_as_commands_and_tasks_do(routed):
    assert db_routing.current() is None
    assert Conversation.objects.all().db == DEFAULT_DB_ALIAS


def test_it_reads_from_the_replica_until_the_first_write_then_from_the_primary(routed):
    with replica_reads() as state:
        assert state.replica == REPLICA
        assert Conversation.objects.all().db == REPLICA
        assert router.db_for_write(Conversation) == DEFAULT_DB_ALIAS  # what every ORM write asks first
        assert Conversation.objects.all().db == DEFAULT_DB_ALIAS
    assert db_routing.current() is None


def test_it_keeps_sessions_tokens_and_the_task_queue_on_the_primary(routed):
    from django_tasks_db.models import DBTaskResult

    with replica_reads():
        assert Session.objects.all().db == DEFAULT_DB_ALIAS
        assert DeviceToken.objects.all().db == DEFAULT_DB_ALIAS
        assert DBTaskResult.objects.all().db == DEFAULT_DB_ALIAS
        assert Conversation.objects.all().db == REPLICA


def test_it_decides_who_may_see_what_on_the_primary(routed):
    """Users, roles, consent and permissions: a revocation holds on the next request, whatever the lag."""
    from django.contrib.auth.models import Permission

    with replica_reads():
        for model in (User, Profile, ChildPrivacySettings, AccessRecord, Permission):
            assert model.objects.all().db == DEFAULT_DB_ALIAS, model


@pytest.mark.django_db(transaction=True)
def test_it_fills_the_shared_history_cache_from_the_primary(routed, owner):
    """A lagging replica may still hold a deleted chat: what other requests will trust is read on the primary
    (the routed replica alias has no connection here, so a read sent to it would fail)."""
    conversation = Conversation.objects.create(user=owner)
    with replica_reads() as state, CaptureQueriesContext(connection) as queries:
        entry = history_cache.rebuild(conversation.pk)
        assert not state.wrote  # reading on the primary is not a write: the request keeps its replica
        assert Conversation.objects.all().db == REPLICA
    assert entry["session_id"] == str(conversation.session_id) and len(queries) == 2
    gone = history_cache.rebuild(conversation.pk + 1000)
    assert gone["session_id"] is None and history_cache.cache.get(history_cache.key(conversation.pk + 1000)) is None


def test_a_write_inside_a_nested_block_keeps_the_enclosing_request_on_the_primary(routed):
    with replica_reads() as request:
        with replica_reads():
            assert router.db_for_write(Conversation) == DEFAULT_DB_ALIAS
        assert request.wrote
        assert Conversation.objects.all().db == DEFAULT_DB_ALIAS
        with db_routing.primary_reads():
            router.db_for_write(Conversation)
    assert db_routing.current() is None


def test_it_locks_and_get_or_creates_on_the_primary(routed):
    with replica_reads() as state:
        assert Conversation.objects.select_for_update().db == DEFAULT_DB_ALIAS
        assert state.wrote  # a lock is taken to write: the rest of the request stays on the primary


@pytest.mark.django_db(transaction=True)
def test_it_reads_from_the_primary_inside_a_transaction(routed):
    with replica_reads():
        assert Conversation.objects.all().db == REPLICA
        with transaction.atomic():
            assert Conversation.objects.all().db == DEFAULT_DB_ALIAS
        assert Conversation.objects.all().db == REPLICA


@pytest.mark.django_db(transaction=True)
def test_it_reads_back_a_row_the_request_saved_from_the_primary(routed):
    with replica_reads():
        user = UserFactory()
        assert User.objects.filter(pk=user.pk).db == DEFAULT_DB_ALIAS
        assert User.objects.get(pk=user.pk) == user


def test_it_migrates_the_primary_only_and_relates_rows_read_from_either(routed):
    routing = ReplicaRouter()
    assert routing.allow_migrate(DEFAULT_DB_ALIAS, "accounts") is True
    assert routing.allow_migrate(REPLICA, "accounts") is False
    from_replica, from_primary, elsewhere = User(), User(), User()
    from_replica._state.db, from_primary._state.db, elsewhere._state.db = REPLICA, DEFAULT_DB_ALIAS, "other"
    assert routing.allow_relation(from_replica, from_primary) is True
    assert routing.allow_relation(from_replica, elsewhere) is None  # not ours to allow


@pytest.fixture
def two_replicas(monkeypatch):
    monkeypatch.setattr(db_routing, "replica_aliases", lambda: ["replica1", "replica2"])
    monkeypatch.setattr(db_routing, "_unreachable_until", {})
    asked = []

    def reachable(alias):
        asked.append(alias)
        return alias == "replica2"

    monkeypatch.setattr(db_routing, "replica_reachable", reachable)
    monkeypatch.setattr(db_routing.random, "choice", lambda aliases: aliases[0])  # replica1 first, when it may
    with override_settings(DATABASE_ROUTERS=["myApp.lib.db_routing.ReplicaRouter"]):
        yield asked


def test_it_skips_an_unreachable_replica_for_a_while_saying_so_once(two_replicas, caplog):
    read_from = []
    for _ in range(3):
        with replica_reads():
            read_from += [Conversation.objects.all().db, Message.objects.all().db]
    assert read_from == ["replica2"] * 6
    # replica1 asked once, then left alone in the retry window; replica2 checked once per request.
    assert two_replicas == ["replica1", "replica2", "replica2", "replica2"]
    assert [record.getMessage() for record in caplog.records if record.name == "myApp.db"] == [
        "Database replica replica1 does not answer; reads skip it for 10 s."
    ]


def test_it_reads_from_the_primary_when_no_replica_answers(routed, monkeypatch):
    monkeypatch.setattr(db_routing, "_unreachable_until", {})
    monkeypatch.setattr(db_routing, "replica_reachable", lambda alias: False)
    with replica_reads() as state:
        assert Conversation.objects.all().db == DEFAULT_DB_ALIAS
        assert state.replica is None
    with replica_reads() as state:
        assert state.replica is None  # not picked again within the retry window


# --- Per request ----------------------------------------------------------------------------------------------


def _through_middleware(request, view):
    seen = {}

    def get_response(request):
        return view(request, seen)

    return ReplicaReadsMiddleware(get_response)(request), seen


def _reads_only(request, seen):
    seen["reads"] = Conversation.objects.all().db
    return HttpResponse("ok")


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_it_lets_a_safe_request_read_from_a_replica(routed, method):
    response, seen = _through_middleware(getattr(RequestFactory(), method)("/"), _reads_only)
    assert seen["reads"] == REPLICA
    assert PIN_COOKIE not in response.cookies
    assert db_routing.current() is None  # reset after the request


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_keeps_a_request_that_changes_things_on_the_primary(routed, method):
    _, seen = _through_middleware(getattr(RequestFactory(), method)("/"), _reads_only)
    assert seen["reads"] == DEFAULT_DB_ALIAS


def test_it_keeps_a_client_that_just_wrote_on_the_primary(routed, settings):
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = "1"
    _, seen = _through_middleware(request, _reads_only)
    assert seen["reads"] == DEFAULT_DB_ALIAS


@pytest.mark.django_db(transaction=True)
def test_it_pins_a_get_that_wrote_for_the_rest_of_it_and_for_a_while_after(routed, settings):
    settings.DATABASE_REPLICA_PIN_SECONDS = 7

    def writes_then_reads(request, seen):
        seen["before"] = Conversation.objects.all().db
        UserFactory()
        seen["after"] = Conversation.objects.all().db
        return HttpResponse("ok")

    response, seen = _through_middleware(RequestFactory().get("/"), writes_then_reads)
    assert (seen["before"], seen["after"]) == (REPLICA, DEFAULT_DB_ALIAS)
    assert response.cookies[PIN_COOKIE]["max-age"] == 7
    assert response.cookies[PIN_COOKIE]["httponly"]


# --- A real streaming replica ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def replica_app(local_postgres):
    stack, primary, standby = local_postgres
    base = stack.gunicorn(app_env(primary.url(), DATABASE_REPLICA_URLS=standby.url()))
    yield stack, primary, standby, base
    stack.stop_app(base)


def _register(base: str) -> tuple[HttpClient, dict]:
    client = HttpClient(base)
    username = f"replica_{secrets.token_hex(4)}"
    response = client.post("/api/v1/auth/register/", json_body={"username": username, "password": PASSWORD})
    assert response.status == 201, response.text
    client.token = response.json()["token"]
    return client, response.json()


def _user_rows(server, username: str) -> int:
    return server.query("SELECT count(*) FROM accounts_user WHERE username = %s", (username,))[0][0]


def test_it_reads_a_post_s_own_write_back_while_the_replica_lags(replica_app):
    _, primary, standby, base = replica_app
    with paused_replay(standby):
        client, body = _register(base)  # creates the user, then reads it back through a selector
        username = body["user"]["username"]
        assert (_user_rows(primary, username), _user_rows(standby, username)) == (1, 0)
        assert client.cookies[PIN_COOKIE] == "1"
        # The next request reads the primary too (the client keeps the pin cookie, as a browser does).
        assert client.get("/api/v1/me/").json()["username"] == username


def test_it_serves_safe_reads_from_the_replica(replica_app):
    _, primary, standby, base = replica_app
    client, _ = _register(base)
    client.forget(PIN_COOKIE)
    caught_up(primary, standby)
    with paused_replay(standby):
        created = client.post("/api/session/create", json_body={})
        assert created.status == 201, created.text
        session_id = created.json()["session_id"]
        assert client.cookies[PIN_COOKIE] == "1"

        def listed(client) -> list[str]:
            response = client.get("/api/v1/conversations/")
            assert response.status == 200, response.text
            return [row["session_id"] for row in response.json()["results"]]

        pinned = listed(client)
        client.forget(PIN_COOKIE)
        from_replica = listed(client)
    assert session_id in pinned
    assert session_id not in from_replica  # the list came from the standby, which had not replayed the write
    caught_up(primary, standby)
    assert session_id in listed(client)  # and, once it has, the replica serves it


def test_it_keeps_a_login_s_next_page_on_the_primary(replica_app):
    _, _, standby, base = replica_app
    with paused_replay(standby):
        _, body = _register(base)
        username = body["user"]["username"]
        browser = HttpClient(base)
        login_page = browser.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
        home = browser.post("/login/", form={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
        assert home.status == 200, home.text
        assert username in home.text  # signed in: the session and the user were read where they were written
        assert _user_rows(standby, username) == 0


def test_it_refuses_a_deactivated_account_at_once_while_the_replica_lags(replica_app):
    _, primary, standby, base = replica_app
    _, body = _register(base)
    username = body["user"]["username"]
    browser = HttpClient(base)
    login_page = browser.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    browser.post("/login/", form={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    browser.forget(PIN_COOKIE)
    caught_up(primary, standby)
    assert browser.get("/api/v1/me/").status == 200
    with paused_replay(standby):
        primary.query("UPDATE accounts_user SET is_active = false WHERE username = %s", (username,))
        refused = browser.get("/api/v1/me/")
        assert standby.query("SELECT is_active FROM accounts_user WHERE username = %s", (username,)) == [(True,)]
    assert refused.status in (401, 403), refused.text


def test_it_serves_reads_from_the_primary_while_the_replica_is_down(replica_app):
    stack, primary, _, _ = replica_app
    # A replica URL whose port nothing listens on: a replica that is down.
    base = stack.gunicorn(
        app_env(primary.url(), DATABASE_REPLICA_URLS=f"postgres://postgres@127.0.0.1:{free_port()}/x")
    )
    try:
        client, body = _register(base)
        client.forget(PIN_COOKIE)
        for _ in range(3):
            me = client.get("/api/v1/me/")
            assert me.status == 200, me.text
            assert me.json()["username"] == body["user"]["username"]
    finally:
        stack.stop_app(base)
    assert stack.app_log(base).count("Database replica replica1 does not answer") == 1


def test_it_reads_from_the_replica_then_the_primary_after_a_write_on_the_real_servers(replica_app):
    """The same rules outside a request (``replica_reads``), on the real connections: which server answered."""
    stack, primary, standby, _ = replica_app
    script = textwrap.dedent(
        """
        import json, secrets
        from django.db import connections, transaction
        from myApp.lib.db_routing import replica_reads
        from tests.factories import UserFactory
        from myApp.accounts.models import User
        from myApp.sessions.models import Conversation

        def server(queryset):
            with connections[queryset.db].cursor() as cursor:
                cursor.execute("SELECT pg_is_in_recovery()")
                return "standby" if cursor.fetchone()[0] else "primary"

        seen = {"outside": server(Conversation.objects.all())}
        with replica_reads():
            seen["read"] = server(Conversation.objects.all())
            with transaction.atomic():
                seen["in_transaction"] = server(Conversation.objects.all())
            user = UserFactory(username=f"routed_{secrets.token_hex(4)}")
            seen["after_write"] = server(Conversation.objects.all())
            seen["found"] = User.objects.filter(pk=user.pk).exists()
        print(json.dumps(seen))
        """
    )
    with paused_replay(standby):
        out = stack.python(app_env(primary.url(), DATABASE_REPLICA_URLS=standby.url()), script)
    assert out.strip().splitlines()[-1] == (
        '{"outside": "primary", "read": "standby", "in_transaction": "primary", "after_write": "primary", '
        '"found": true}'
    )
