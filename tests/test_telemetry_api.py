"""POST /api/v1/telemetry/: a client's batch of events, validated and inserted in one statement."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from myApp.analytics.api import TelemetryRateThrottle
from myApp.analytics.models import TelemetryEvent
from myApp.analytics.services import MAX_TELEMETRY_BATCH

URL = "/api/v1/telemetry/"


def _events(count: int) -> list[dict]:
    return [
        {"name": "screen.view", "module_code": "1A", "properties": {"screen": f"lesson-{n}", "ms": n}}
        for n in range(count)
    ]


def _inserts(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if query["sql"].startswith("INSERT")]


def test_it_records_a_batch_in_one_insert_whatever_its_size(api_as, owner):
    api = api_as(owner)
    counts = []
    for size in (1, MAX_TELEMETRY_BATCH):
        with CaptureQueriesContext(connection) as queries:
            response = api.post(URL, {"events": _events(size)})
        assert (response.status_code, response.json()) == (201, {"recorded": size})
        inserts = [sql for sql in _inserts(queries) if "analytics_telemetryevent" in sql]
        assert len(inserts) == 1, inserts
        counts.append(len(queries))
    assert counts[0] == counts[1]  # one statement for 1 event or 100

    assert TelemetryEvent.objects.count() == 1 + MAX_TELEMETRY_BATCH
    event = TelemetryEvent.objects.filter(properties__screen="lesson-7").get()
    assert (event.user, event.name, event.module_code, event.properties) == (
        owner,
        "screen.view",
        "1A",
        {"screen": "lesson-7", "ms": 7},
    )


def test_it_needs_a_signed_in_client(anon_api, db):
    assert anon_api.post(URL, {"events": _events(1)}).status_code == 401
    assert not TelemetryEvent.objects.exists()


@pytest.mark.parametrize(
    ("events", "field"),
    [
        ([], "events"),
        (_events(MAX_TELEMETRY_BATCH + 1), "events"),
        ([{"name": "Screen View"}], "events.0.name"),
        ([{"name": "a" * 65}], "events.0.name"),
        ([{"name": "screen..view"}], "events.0.name"),
        ([{"name": "ok"}, {"name": "drop table;"}], "events.1.name"),
        ([{"name": "ok", "module_code": "1 A"}], "events.0.module_code"),
        ([{"name": "ok", "properties": ["not", "an", "object"]}], "events.0.properties"),
        ([{"name": "ok", "properties": {"big": "x" * 3000}}], "events.0.properties"),
        ([{"name": "ok", "properties": {"a": {"b": {"c": {"d": {"e": 1}}}}}}], "events.0.properties"),
        ([{"name": "ok", "properties": {"nul": "a\u0000b"}}], "events.0.properties"),
        ([{"name": "ok", "user": 1}], "events.0.user"),
    ],
)
def test_it_refuses_a_batch_with_a_bad_event_and_records_none(api_as, owner, events, field):
    response = api_as(owner).post(URL, {"events": events})

    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    assert any(name == field or name.startswith(f"{field}.") for name in errors), errors
    assert not TelemetryEvent.objects.exists()


def test_it_refuses_a_body_without_events(api_as, owner):
    for body in ({}, {"events": "screen.view"}, {"events": [_events(1)[0]], "extra": 1}):
        assert api_as(owner).post(URL, body).status_code == 400, body
    assert not TelemetryEvent.objects.exists()


def test_it_throttles_batches_per_user(api_as, owner, outsider, monkeypatch):
    monkeypatch.setattr(TelemetryRateThrottle, "rate", "2/minute", raising=False)
    api = api_as(owner)

    assert [api.post(URL, {"events": _events(1)}).status_code for _ in range(3)] == [201, 201, 429]
    assert api_as(outsider).post(URL, {"events": _events(1)}).status_code == 201
    assert TelemetryEvent.objects.count() == 3
