"""A Redis cache that vanishes or hangs costs a few slow cache calls, not every request.

The hung case runs against the suite's real Redis, paused with ``CLIENT PAUSE`` from a
separate connection; it is skipped when the suite runs without Redis (the SQLite pass).
Nothing here is timed: the tests count what reached Redis.
"""

import json

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from redis._parsers import _HiredisParser
from redis.backoff import NoBackoff
from redis.connection import AbstractConnection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from myApp.lib.redis_cache import CircuitBreaker, CircuitOpen, cache_breaker
from myApp.sessions import services
from tests.outages import DOWN_REDIS
from tests.test_settings import production_environ, run_django

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL); this run uses local memory")
PAUSE_MS = 3000  # ends by itself; longer than a cache call may wait (1.5 s in tests); short for a shared Redis
REQUESTS = 5


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def breaker(clock, monkeypatch):
    """The suite cache's breaker, reset, on a clock the test moves (so no test waits out a window)."""
    breaker = cache_breaker(cache)
    breaker.reset()
    monkeypatch.setattr(breaker, "clock", clock)
    yield breaker
    breaker.reset()


@pytest.fixture
def control():
    """A connection of its own to the suite's Redis, to pause it; never counted as cache traffic."""
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        single_connection_client=True,
        socket_timeout=PAUSE_MS / 1000 + 30,  # its own commands wait out the pause, however long it has left
        retry=Retry(NoBackoff(), 0),
    )
    yield client
    client.close()


@pytest.fixture
def wire(control, monkeypatch):
    """Counts, for this process's cache connections, the commands written to Redis and the replies that
    timed out (each one a cache operation that waited on Redis)."""
    counts = {"sent": 0, "timeouts": 0}
    send, read = AbstractConnection.send_packed_command, AbstractConnection.read_response

    def counting_send(self, *args, **kwargs):
        if self is not control.connection:
            counts["sent"] += 1
        return send(self, *args, **kwargs)

    def counting_read(self, *args, **kwargs):
        try:
            return read(self, *args, **kwargs)
        except RedisTimeoutError:
            counts["timeouts"] += 1
            raise

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counting_send)
    monkeypatch.setattr(AbstractConnection, "read_response", counting_read)
    return counts


def chat_with(user, count: int):
    conversation, _ = services.conversation_get_or_create_active(user=user)
    for n in range(count):
        services.message_add(conversation=conversation, role="user", content=f"m{n}")
    conversation.refresh_from_db()
    return conversation


def history(client, conversation):
    return client.get("/api/session/history", {"session_id": str(conversation.session_id)})


def message_queries(queries) -> int:
    return sum('"messages"' in query["sql"] for query in queries.captured_queries)


def outage_logs(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "myApp.cache"]


# --- A hung Redis, for real --------------------------------------------------------------


@needs_redis
@pytest.mark.django_db(transaction=True)  # the history cache is written on commit
def test_it_stops_calling_a_hung_redis_and_serves_every_request_from_the_database(
    api_as, owner, breaker, clock, control, wire, caplog
):
    conversation = chat_with(owner, 3)
    client = api_as(owner)
    with CaptureQueriesContext(connection) as warm:
        assert history(client, conversation).status_code == 200
    assert message_queries(warm) == 0  # served from the cache
    wire["sent"] = 0

    control.execute_command("CLIENT", "PAUSE", PAUSE_MS, "ALL")
    try:
        with CaptureQueriesContext(connection) as paused:
            responses = [history(client, conversation) for _ in range(REQUESTS)]
            ready = client.get("/healthz/ready")
    finally:
        control.ping()  # answers once the pause is over: Redis serves again from here on

    assert [r.status_code for r in responses] == [200] * REQUESTS
    assert all([m["content"] for m in r.json()["messages"]] == ["m0", "m1", "m2"] for r in responses)
    assert message_queries(paused) == REQUESTS  # each answered from the database
    assert ready.status_code == 200
    assert ready.json() == {"status": "degraded", "database": "ok", "cache": "degraded"}
    # One cache call (the first request's throttles-and-entry round trip) waited on Redis, once (no retry);
    # every later call, the health probe's included, was answered at once without traffic.
    assert wire == {"sent": 1, "timeouts": 1}
    assert breaker.stats.failures == 1
    # Per request, the one round trip of throttles and cached entry, then the rebuilt entry's write: all
    # refused at once but the first request's round trip (the one that waited).
    assert breaker.stats.short_circuits >= 2 * REQUESTS - 1

    clock.now += breaker.open_seconds  # the window has passed: the next call is a trial
    with CaptureQueriesContext(connection) as recovered:
        response = history(client, conversation)
    assert response.status_code == 200
    assert message_queries(recovered) == 0  # the cache answers again
    assert wire["sent"] > 1
    assert not breaker.is_open
    assert len(outage_logs(caplog)) == 2  # one when the breaker opened, one when it closed
    assert "unreachable" in outage_logs(caplog)[0]
    assert "answers again" in outage_logs(caplog)[1]


@needs_redis
def test_it_configures_connections_that_never_retry():
    client = cache.client.get_client()
    connection = client.connection_pool.get_connection()
    try:
        assert connection.retry.get_retries() == 0
        # Bounded as configured (REDIS_TIMEOUT_MS; the test settings allow a busy machine more time).
        assert connection.socket_timeout == settings.CACHES["default"]["OPTIONS"]["SOCKET_TIMEOUT"] == 1.5
        assert connection.socket_connect_timeout == settings.CACHES["default"]["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] == 1
    finally:
        client.connection_pool.release(connection)


@needs_redis
def test_it_parses_replies_with_hiredis():
    # hiredis (a requirement) parses replies in C: about 15 µs of client CPU less per cached history read's round
    # trip than redis-py's own parser, measured on the throttle script with a 13 kB entry.
    client = cache.client.get_client()
    connection = client.connection_pool.get_connection()
    try:
        assert isinstance(connection._parser, _HiredisParser)
    finally:
        client.connection_pool.release(connection)


# --- A Redis that is down (refuses connections): every run -------------------------------


def test_it_answers_cache_calls_as_misses_after_one_refused_connection(api_as, client, owner, caplog):
    with override_settings(CACHES=DOWN_REDIS):
        breaker = cache_breaker(cache)
        breaker.reset()
        try:
            api = api_as(owner)  # throttles read and write the cache on every request
            statuses = [api.get("/api/v1/me/").status_code for _ in range(REQUESTS)]
            client.force_login(owner)  # the cached_db session engine falls back to the database
            page = client.get("/")
            cache.set("key", "value")
            assert cache.get("key") is None
            assert cache.get_many(["key", "other"]) == {}
            cache.set_many({"a": 1, "b": 2})  # a pipeline
            stats = breaker.stats
        finally:
            breaker.reset()
    assert statuses == [200] * REQUESTS
    assert page.status_code == 200
    assert page.context["user"] == owner
    assert (stats.attempts, stats.failures, stats.opened) == (1, 1, 1)
    assert stats.short_circuits >= 2 * REQUESTS + 4
    assert len(outage_logs(caplog)) == 1  # not one per refused call
    assert not any(record.exc_info for record in caplog.records if record.name == "myApp.cache")


# --- The breaker itself ---------------------------------------------------------------------


def failing(error):
    def call():
        raise error

    return call


def test_it_opens_on_one_failure_and_lets_one_trial_through_after_the_window(clock, caplog):
    breaker = CircuitBreaker("redis-test", open_seconds=10, clock=clock)
    assert breaker.call(lambda: "ok") == "ok"
    with pytest.raises(RedisTimeoutError):
        breaker.call(failing(RedisTimeoutError("Timeout reading from socket")))
    assert breaker.is_open
    with pytest.raises(CircuitOpen):
        breaker.call(lambda: "never called")

    clock.now += 9.9
    with pytest.raises(CircuitOpen):
        breaker.call(lambda: "never called")

    clock.now += 0.1

    def trial():
        with pytest.raises(CircuitOpen):  # only one trial at a time; the others are still refused
            breaker.call(lambda: "never called")
        return "answered"

    assert breaker.call(trial) == "answered"
    assert not breaker.is_open
    assert breaker.stats.attempts == 3
    assert (breaker.stats.failures, breaker.stats.short_circuits) == (1, 3)
    assert (breaker.stats.opened, breaker.stats.closed) == (1, 1)
    assert [r.levelname for r in caplog.records if r.name == "myApp.cache"] == ["WARNING", "WARNING"]
    assert "3 calls were answered as misses" in outage_logs(caplog)[1]


def test_it_reopens_quietly_when_the_trial_fails(clock, caplog):
    breaker = CircuitBreaker("redis-test", open_seconds=10, clock=clock)
    for _ in range(3):
        with pytest.raises(RedisConnectionError):
            breaker.call(failing(RedisConnectionError("Connection refused")))
        clock.now += 10
    assert breaker.is_open is False  # a window has passed; the next call would be a trial
    assert (breaker.stats.failures, breaker.stats.opened) == (3, 1)
    assert len(outage_logs(caplog)) == 1


def test_it_keeps_calling_a_redis_that_answers_with_an_error_reply(clock):
    breaker = CircuitBreaker("redis-test", open_seconds=10, clock=clock)
    for _ in range(3):
        with pytest.raises(ResponseError):
            breaker.call(failing(ResponseError("OOM command not allowed")))
    assert not breaker.is_open
    assert breaker.stats.attempts == 3


def test_it_frees_the_trial_when_something_else_interrupts_it(clock):
    breaker = CircuitBreaker("redis-test", open_seconds=10, clock=clock)
    with pytest.raises(RedisTimeoutError):
        breaker.call(failing(RedisTimeoutError()))
    clock.now += 10
    with pytest.raises(KeyboardInterrupt):
        breaker.call(failing(KeyboardInterrupt()))
    assert breaker.call(lambda: "next trial") == "next trial"


# --- Settings -------------------------------------------------------------------------------


def test_it_reads_the_timeouts_and_the_window_from_the_environment():
    environ = production_environ(
        REDIS_URL="redis://127.0.0.1:6379/0",
        REDIS_CONNECT_TIMEOUT_MS="150",
        REDIS_TIMEOUT_MS="250",
        REDIS_BREAKER_SECONDS="7",
    )
    script = "import json; from django.conf import settings; print(json.dumps(settings.CACHES['default']['OPTIONS']))"
    result = run_django(environ, "shell", "--no-imports", "-c", script)
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)
    assert options["CLIENT_CLASS"] == "myApp.lib.redis_cache.CircuitBreakerClient"
    assert (options["SOCKET_CONNECT_TIMEOUT"], options["SOCKET_TIMEOUT"]) == (0.15, 0.25)
    assert options["CIRCUIT_BREAKER_SECONDS"] == 7


@pytest.mark.parametrize("variable", ["REDIS_CONNECT_TIMEOUT_MS", "REDIS_TIMEOUT_MS", "REDIS_BREAKER_SECONDS"])
def test_it_refuses_to_start_with_a_bad_cache_timeout(variable):
    result = run_django(production_environ(**{variable: "0"}), "check")  # checked with or without REDIS_URL
    assert result.returncode != 0
    assert f"{variable} must be at least 1" in result.stderr
