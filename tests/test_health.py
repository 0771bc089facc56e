"""Liveness (/healthz/live) and readiness (/healthz/ready, and /healthz for older probes)."""

import logging

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from myApp.lib.redis_cache import cache_breaker
from tests.outages import DOWN_REDIS

READY_URLS = ["/healthz/ready", "/healthz"]


@pytest.fixture
def redis_down():
    """The cache is a Redis that refuses connections; its breaker starts closed and is reset afterwards."""
    with override_settings(CACHES=DOWN_REDIS):
        breaker = cache_breaker(cache)
        breaker.reset()
        yield breaker
        breaker.reset()


@pytest.mark.parametrize("url", READY_URLS)
def test_it_reports_ready_when_the_database_and_the_cache_answer(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_live_without_touching_the_database_or_the_cache(client, redis_down):
    # No db fixture: pytest-django makes any database access in this test raise.
    response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert redis_down.stats.attempts == 0


@pytest.mark.parametrize("url", READY_URLS)
def test_it_stays_ready_when_only_the_cache_is_down(client, db, redis_down, url, caplog):
    response = client.get(url)
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "degraded"}
    assert "Retry-After" not in response
    assert redis_down.is_open
    outage_logs = [r for r in caplog.records if r.name == "myApp.cache"]
    assert [r.levelno for r in outage_logs] == [logging.WARNING]
    assert "unreachable" in outage_logs[0].getMessage()


def test_it_reports_the_cache_degraded_without_calling_redis_while_the_breaker_is_open(client, db, redis_down):
    client.get("/healthz/ready")
    attempts = redis_down.stats.attempts
    assert attempts == 1  # the probe's write failed at once; its read was never sent

    for _ in range(3):
        assert client.get("/healthz/ready").json()["cache"] == "degraded"
    assert redis_down.stats.attempts == attempts


@pytest.mark.postgres  # SQLite's in-memory test database cannot be made unreachable
@pytest.mark.django_db(transaction=True)
def test_it_answers_503_with_retry_after_when_the_database_is_down_but_stays_live(client):
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # a real refused connection, not a mock
    try:
        ready = client.get("/healthz/ready")
        legacy = client.get("/healthz")
        live = client.get("/healthz/live")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    for response in (ready, legacy):
        assert response.status_code == 503
        assert response["Retry-After"] == "10"
        assert response.json() == {"status": "unavailable", "database": "error", "cache": "ok"}
    assert live.status_code == 200
    assert live.json() == {"status": "ok"}


@pytest.mark.parametrize("url", ["/healthz/live", *READY_URLS])
def test_it_is_never_redirected_to_https(client, db, url):
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get(url).status_code == 200
        assert client.get("/api/v1/me/").status_code == 301  # every other route still is


@pytest.mark.parametrize("url", ["/healthz/live", *READY_URLS])
def test_it_answers_head_and_refuses_writes(client, db, url):
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("url", ["/healthz", "/healthz/live", "/healthz/ready"])
def test_it_answers_405_not_a_csrf_page_to_a_post(url, db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(url)
    assert response.status_code == 405
