"""CHAT_HISTORY_CACHE=false (the benchmark's P2 baseline): every history read comes from the database and
nothing is written to the cache; the answers are the same as with the cache on."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from myApp.lib.renderers import RenderedJSON
from myApp.sessions import history_cache, selectors, services


def message_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if '"messages"' in q["sql"]]


@pytest.mark.django_db(transaction=True)  # the cache is written on commit
@override_settings(CHAT_HISTORY_CACHE=False)
def test_it_reads_history_from_the_database_when_the_cache_is_off(owner):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    for n in range(3):
        services.message_add(conversation=conversation, role="user", content=f"message {n}")
    conversation.refresh_from_db()
    assert history_cache.cache.get(history_cache.key(conversation.pk)) is None
    with CaptureQueriesContext(connection) as queries:
        history = selectors.conversation_history(conversation, 2)
    assert [m["content"] for m in history] == ["message 1", "message 2"]
    assert len(message_queries(queries)) == 1
    assert history_cache.cache.get(history_cache.key(conversation.pk)) is None


@pytest.mark.django_db(transaction=True)
def test_it_caches_history_when_the_cache_is_on(owner):
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    services.message_add(conversation=conversation, role="user", content="hello")
    conversation.refresh_from_db()
    assert history_cache.cache.get(history_cache.key(conversation.pk))["count"] == 1
    with CaptureQueriesContext(connection) as queries:
        assert [m["content"] for m in selectors.conversation_history(conversation, 5)] == ["hello"]
    assert message_queries(queries) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("limit", [50, 5, 200], ids=["the whole entry", "part of it", "more than it keeps"])
@pytest.mark.parametrize("accept", ["application/json", "application/json; indent=2"])
def test_a_cached_history_answer_is_byte_for_byte_the_databases(api_as, owner, limit, accept):
    """A hit answers with the messages' JSON stored in the entry (``history_cache.cached_body``): the same
    bytes and headers as the answer built from the database with the cache off, whatever the text holds."""
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    texts = ["plain", "ünïcödé ✓ 漢字", "line\u2028sep\u2029para", 'quote " back \\ slash', "<b>&amp;</b>", "emoji 🙂"]
    for n in range(60):
        services.message_add(
            conversation=conversation, role="user" if n % 2 else "assistant", content=f"{n} {texts[n % len(texts)]}"
        )
    conversation.refresh_from_db()
    client = api_as(owner)
    query = {"session_id": str(conversation.session_id), "limit": limit}
    assert len(history_cache.cache.get(history_cache.key(conversation.pk))[history_cache.PARTS]) == 50
    # The stored JSON answers when the entry holds every message asked for (it keeps 50 of 60).
    assert isinstance(selectors.history_answer(conversation, limit), RenderedJSON) == (limit <= 50)
    cached = client.get("/api/session/history", query, HTTP_ACCEPT=accept)
    with override_settings(CHAT_HISTORY_CACHE=False):
        uncached = client.get("/api/session/history", query, HTTP_ACCEPT=accept)
    assert cached.status_code == uncached.status_code == 200
    assert cached.content == uncached.content
    assert dict(cached.items()) == dict(uncached.items())
    body = cached.json()
    assert body["message_count"] == 60 and len(body["messages"]) == min(limit, 60)
    assert list(body["messages"][-1]) == ["id", "role", "content", "created_at"]
    assert ("\n" in cached.content.decode()) == ("indent" in accept)
    assert b"\\u2028" in cached.content and "\u2028".encode() not in cached.content


def test_the_renderer_passes_a_rendered_body_through_as_it_is():
    from myApp.lib.renderers import JSONRenderer, RenderedJSON, encode

    data = {"a": ["\u2028", 1, None], "b": "é"}
    assert JSONRenderer().render(RenderedJSON(encode(data))) == encode(data) == JSONRenderer().render(data)
    indented = JSONRenderer().render(RenderedJSON(encode(data)), "application/json; indent=4")
    assert indented == JSONRenderer().render(data, "application/json; indent=4") != encode(data)
