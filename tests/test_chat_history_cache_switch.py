"""CHAT_HISTORY_CACHE=false (the benchmark's P2 baseline): every history read comes from the database and
nothing is written to the cache; the answers are the same as with the cache on."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

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
