"""myApp.lib.postgresql: the health check that costs no round trip, and prepared hot reads, on the real server."""

import time

import pytest
from django.db import DataError, connection, connections

pytestmark = pytest.mark.postgres


@pytest.fixture
def own_connection(db):
    """A second connection to the test database, outside the test's transaction, health-checked as in production."""
    wrapper = connections.create_connection("default")
    wrapper.health_check_enabled = True
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def _backend_pid(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _last_statement(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def _new_request(wrapper) -> None:
    wrapper.health_check_done = False  # what Django's request_started does to a persistent connection


def test_it_health_checks_a_quiet_connection_without_a_statement(own_connection):
    pid = _backend_pid(own_connection)
    _new_request(own_connection)
    with own_connection.cursor():  # the request's first cursor runs the health check
        assert own_connection.health_check_done
    assert _last_statement(pid) == "SELECT pg_backend_pid()"  # no SELECT 1 went to the server
    assert _backend_pid(own_connection) == pid


def test_it_reconnects_when_the_server_ended_the_session(own_connection):
    pid = _backend_pid(own_connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 30
        while True:  # until the server has ended it: the session's last words are then on the socket
            # A transaction reads the statistics once and keeps that snapshot unless told to read afresh.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                break
            assert time.monotonic() < deadline, "the backend did not end"
            time.sleep(0.05)
    _new_request(own_connection)
    assert _backend_pid(own_connection) != pid  # the check saw it, closed it and a new session answered


SQL = "SELECT %s::int * 2 WHERE %s::text LIKE 'a%%'"


def _prepared_names(wrapper) -> list[str]:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements ORDER BY name")
        return [row[0] for row in cursor.fetchall()]


def test_it_prepares_a_hot_read_once_per_connection(own_connection):
    own_connection.force_debug_cursor = True
    for value in (3, 4):
        with own_connection.cursor() as cursor:
            own_connection.execute_prepared(cursor, SQL, [value, "abc"])
            assert cursor.fetchall() == [(value * 2,)]
    sent = [query["sql"] for query in own_connection.queries_log]
    assert sent[0].startswith("PREPARE speakpro_") and "EXECUTE" in sent[0]
    assert sent[1].startswith("EXECUTE speakpro_")
    assert len(_prepared_names(own_connection)) == 1
    own_connection.close()
    own_connection.ensure_connection()  # a new server session holds none: prepared again on first use
    with own_connection.cursor() as cursor:
        own_connection.execute_prepared(cursor, SQL, [5, "abc"])
        assert cursor.fetchall() == [(10,)]
    assert len(_prepared_names(own_connection)) == 1


def test_it_stops_preparing_on_a_connection_whose_first_use_failed(own_connection):
    # PREPARE succeeds and EXECUTE fails: the server now holds the name, so the next use must not PREPARE it.
    with own_connection.cursor() as cursor, pytest.raises(DataError, match="invalid input syntax"):
        own_connection.execute_prepared(cursor, SQL, ["not a number", "abc"])
    with own_connection.cursor() as cursor:
        own_connection.execute_prepared(cursor, SQL, [6, "abc"])  # plain: no PREPARE of a name it may hold
        assert cursor.fetchall() == [(12,)]
    assert own_connection.preparing is False


def test_it_prepares_nothing_behind_a_transaction_pooler(own_connection):
    own_connection.settings_dict["PREPARED_STATEMENTS"] = False
    own_connection.close()
    own_connection.ensure_connection()
    with own_connection.cursor() as cursor:
        own_connection.execute_prepared(cursor, SQL, [7, "abc"])
        assert cursor.fetchall() == [(14,)]
    assert _prepared_names(own_connection) == []
