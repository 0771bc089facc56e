"""What a history read and a chat turn cost: SQL statements, and round trips to the real Redis (counted on the
wire by ``tests.round_trips``; every command still reaches Redis). Nothing here is timed.

Targets (issue 9, P2 and P8): a cached history read is one SQL statement (authentication) and one Redis round
trip (the throttles and the cached entry together); a chat turn is at most 10 SQL statements and 3 Redis round
trips, reads the history at most once and caches it once. On SQLite with the local-memory cache the SQL counts
are the same; the Redis counts are skipped.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from myApp.lib.throttling import UserRateThrottle
from myApp.sessions import history_cache, selectors, services
from myApp.sessions.models import Conversation, MessageRole
from myApp.sessions.throttling import ChatRateThrottle
from tests.outages import DOWN_REDIS
from tests.round_trips import counting_round_trips, needs_redis

pytestmark = pytest.mark.django_db(transaction=True)  # the history cache is written on commit

HISTORY = "/api/session/history"
ON_REDIS = bool(settings.REDIS_URL)  # else the local-memory cache: no round trips to count


def chat_with(user, count: int) -> Conversation:
    conversation, _ = services.conversation_get_or_create_active(user=user)
    for n in range(count):
        services.message_add(conversation=conversation, role="user" if n % 2 == 0 else "assistant", content=f"m{n}")
    conversation.refresh_from_db()
    return conversation


def history(client, conversation: Conversation, limit: int = 50):
    return client.get(HISTORY, {"session_id": str(conversation.session_id), "limit": limit})


def history_selects(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if 'FROM "messages"' in q["sql"]]


def statements(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def warm_client(api_as, owner):
    """A signed-in API client whose device has been used once: its first request writes last use (once a
    minute), opens the connections and loads the throttle script; the counts below are every later request's."""
    client = api_as(owner)
    assert client.get("/api/session/check").status_code == 200
    return client


@pytest.fixture
def wire(monkeypatch):
    with counting_round_trips(monkeypatch) as trips:
        yield trips


# --- history -------------------------------------------------------------------------------------------


def test_it_reads_cached_history_in_one_statement(warm_client, owner):
    conversation = chat_with(owner, 4)
    with CaptureQueriesContext(connection) as queries:
        response = history(warm_client, conversation)
    assert response.status_code == 200
    body = response.json()
    assert body["message_count"] == 4 and [m["content"] for m in body["messages"]] == ["m0", "m1", "m2", "m3"]
    assert len(queries) == 1, statements(queries)  # authentication, which carries the conversation's count
    assert "accounts_devicetoken" in prepared_text(statements(queries)[0])


def prepared_text(sql: str) -> str:
    """The statement itself, when ``sql`` executes one this connection prepared earlier (an earlier test's request
    prepared the token lookup: ``myApp.lib.postgresql``)."""
    if not sql.startswith("EXECUTE "):
        return sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s", [sql.split()[1].split("(")[0]])
        return cursor.fetchone()[0]


@needs_redis
def test_it_reads_cached_history_in_one_redis_round_trip(warm_client, owner, wire):
    conversation = chat_with(owner, 4)
    wire.commands.clear()
    response = history(warm_client, conversation)
    assert [m["content"] for m in response.json()["messages"]] == ["m0", "m1", "m2", "m3"]
    assert wire.commands == [["EVALSHA"]]  # the throttles and the cached entry, together


def test_it_reads_uncached_history_from_the_database_and_caches_it(warm_client, owner, monkeypatch):
    conversation = chat_with(owner, 4)
    history_cache.forget(conversation.pk)
    with CaptureQueriesContext(connection) as queries, counting_round_trips(monkeypatch) as trips:
        body = history(warm_client, conversation).json()
    assert [m["content"] for m in body["messages"]] == ["m0", "m1", "m2", "m3"] and body["message_count"] == 4
    assert len(queries) == 2, statements(queries)  # authentication, then the messages with their count
    assert len(history_selects(queries)) == 1
    if ON_REDIS:
        assert trips.commands == [["EVALSHA"], ["SET"]]  # the miss came with the throttles; the rebuilt entry
    with CaptureQueriesContext(connection) as queries:
        assert history(warm_client, conversation).json() == body
    assert len(queries) == 1  # cached again


def test_it_reads_more_than_the_cache_keeps_from_the_database(warm_client, owner, monkeypatch):
    conversation = chat_with(owner, 55)
    with CaptureQueriesContext(connection) as queries, counting_round_trips(monkeypatch) as trips:
        body = history(warm_client, conversation, limit=200).json()
    assert [m["content"] for m in body["messages"]] == [f"m{n}" for n in range(55)]
    assert len(queries) == 2, statements(queries)
    if ON_REDIS:
        assert trips.count == 1  # the entry came with the throttles and was too short: nothing written


def test_it_never_serves_an_entry_whose_count_is_not_the_databases(warm_client, owner):
    conversation = chat_with(owner, 2)
    stale = cache.get(history_cache.key(conversation.pk))
    services.message_add(conversation=conversation, role="user", content="m2")
    cache.set(history_cache.key(conversation.pk), stale)  # as after a write that could not reach Redis
    body = history(warm_client, conversation).json()
    assert [m["content"] for m in body["messages"]] == ["m0", "m1", "m2"] and body["message_count"] == 3


def test_it_reads_history_signed_in_with_a_session_without_joins(client, owner):
    conversation = chat_with(owner, 3)
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        body = history(client, conversation).json()
    assert [m["content"] for m in body["messages"]] == ["m0", "m1", "m2"]
    looked_up = [sql for sql in statements(queries) if 'FROM "conversations"' in sql]
    assert len(looked_up) == 1 and "JOIN" not in looked_up[0]


def test_it_answers_404_for_someone_elses_session_through_the_token_lookup(warm_client, outsider):
    theirs = chat_with(outsider, 2)
    with CaptureQueriesContext(connection) as queries:
        response = history(warm_client, theirs)
    assert response.status_code == 404
    assert len(queries) == 1


def test_it_reads_history_for_the_user_staff_name(api_as, staff, owner):
    conversation = chat_with(owner, 3)
    response = api_as(staff).get(HISTORY, {"session_id": str(conversation.session_id), "user_id": owner.pk, "limit": 2})
    assert [m["content"] for m in response.json()["messages"]] == ["m1", "m2"]


# --- throttling ---------------------------------------------------------------------------------------


def test_it_still_throttles_history_reads(warm_client, owner, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "rate", "3/minute", raising=False)
    conversation = chat_with(owner, 2)
    with counting_round_trips(monkeypatch) as trips:
        statuses = [history(warm_client, conversation).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # the warm-up request was the first of the three
    refused = history(warm_client, conversation)
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 60
    if ON_REDIS:
        assert trips.commands == [["EVALSHA"]] * 3  # one round trip each, the refused one included


def test_it_throttles_chat_turns_in_the_same_round_trip(warm_client, owner, monkeypatch):
    monkeypatch.setattr(ChatRateThrottle, "rate", "2/minute", raising=False)
    assert [warm_client.post("/api/chat", {"message": "hello"}).status_code for _ in range(2)] == [200, 200]
    with CaptureQueriesContext(connection) as queries, counting_round_trips(monkeypatch) as trips:
        refused = warm_client.post("/api/chat", {"message": "hello"})
    assert refused.status_code == 429
    assert len(queries) == 1  # authentication only
    if ON_REDIS:
        assert trips.commands == [["EVALSHA"]]


def test_it_lets_requests_through_when_redis_is_down(api_as, owner, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "rate", "1/minute", raising=False)
    with override_settings(CACHES=DOWN_REDIS):
        client = api_as(owner)
        chat = client.post("/api/chat", {"message": "Hi, my name is Alice"})
        second = client.post("/api/chat", {"message": "What is my name?"})
        conversation = Conversation.objects.get(session_id=chat.json()["session_id"])
        read = history(client, conversation)
    assert (chat.status_code, second.status_code, read.status_code) == (200, 200, 200)
    assert "Alice" in second.json()["answer"]
    assert [m["role"] for m in read.json()["messages"]] == ["user", "assistant", "user", "assistant"]


# --- a chat turn --------------------------------------------------------------------------------------


def knowledge():
    from tests.factories import KnowledgeBlockFactory

    KnowledgeBlockFactory(title="Taming stage fright", summary="Slow breathing calms stage fright before a talk.")


@pytest.mark.parametrize("cached", [True, False], ids=["history cached", "history not cached"])
def test_it_costs_at_most_ten_statements_per_chat_turn(warm_client, owner, cached, monkeypatch):
    knowledge()
    first = warm_client.post("/api/chat", {"message": "Hi, my name is Alice"}).json()
    conversation = Conversation.objects.get(session_id=first["session_id"])
    if not cached:
        history_cache.forget(conversation.pk)
    with CaptureQueriesContext(connection) as queries, counting_round_trips(monkeypatch) as trips:
        reply = warm_client.post("/api/chat", {"message": "How do I handle stage fright?"})
    assert reply.status_code == 200 and reply.json()["route"] == "course_query"
    assert len(queries) <= 10, statements(queries)
    assert len(history_selects(queries)) == (0 if cached else 1)  # the context read, never a rebuild
    assert not [sql for sql in statements(queries) if "SAVEPOINT" in sql]
    if ON_REDIS:
        # the throttles; the cached entry (the active conversation decides which); the entry written once
        assert trips.commands == [["EVALSHA"], ["GET"], ["SET"]]
    # What the turn cached is what the database holds.
    entry = cache.get(history_cache.key(conversation.pk))
    assert entry == history_cache.cacheable(history_cache.snapshot(conversation.pk))
    assert [m["role"] for m in history_cache.stored_messages(entry)] == [MessageRole.USER, MessageRole.ASSISTANT] * 2
    assert entry["count"] == 4


def test_a_chat_turn_stays_within_ten_statements_on_a_day_that_offers_the_check_in(warm_client, owner, monkeypatch):
    """The daily check-in (issue 10) is counted by the turn that completes it; the day's later turns stay in
    the budget (one read says it is done). Everything else here runs with no daily quest offered (conftest)."""
    from myApp.quests import daily_rules
    from myApp.quests.daily_rules import DailyQuestType

    knowledge()
    monkeypatch.setattr(daily_rules, "offered_types", lambda *, user_id, day: [DailyQuestType.CHAT_CHECK_IN])
    warm_client.post("/api/chat", {"message": "Hi, my name is Alice"})  # completes the day's check-in
    with CaptureQueriesContext(connection) as queries, counting_round_trips(monkeypatch) as trips:
        reply = warm_client.post("/api/chat", {"message": "How do I handle stage fright?"})
    assert reply.status_code == 200 and reply.json()["route"] == "course_query"
    assert len(queries) <= 10, statements(queries)
    if ON_REDIS:
        assert trips.commands == [["EVALSHA"], ["GET"], ["SET"]]


def test_a_chat_turn_on_a_day_that_offers_no_check_in_reads_one_statement_for_it(warm_client, owner, monkeypatch):
    """The check-in offered on the next UTC day only (a learner further east would have it today): a turn in the
    learner's own day, which does not offer it, reads once and stops (it read twice, and the turn made 11)."""
    import datetime

    from django.utils import timezone

    from myApp.quests import daily_rules
    from myApp.quests.daily_rules import DailyQuestType

    tomorrow = timezone.now().astimezone(datetime.UTC).date() + datetime.timedelta(days=1)
    monkeypatch.setattr(
        daily_rules,
        "offered_types",
        lambda *, user_id, day: [DailyQuestType.CHAT_CHECK_IN] if day == tomorrow else [],
    )
    knowledge()
    warm_client.post("/api/chat", {"message": "Hi, my name is Alice"})
    with CaptureQueriesContext(connection) as queries:
        reply = warm_client.post("/api/chat", {"message": "How do I handle stage fright?"})
    assert reply.status_code == 200
    assert len(queries) <= 10, statements(queries)
    assert len([sql for sql in statements(queries) if "quests_dailyquest" in sql or "accounts_profile" in sql]) == 1


def test_it_caches_a_new_conversations_first_turn_without_reading_history(warm_client, owner):
    with CaptureQueriesContext(connection) as queries:
        reply = warm_client.post("/api/chat", {"message": "Hello"}).json()
    assert history_selects(queries) == []
    conversation = Conversation.objects.get(session_id=reply["session_id"])
    assert cache.get(history_cache.key(conversation.pk)) == history_cache.cacheable(
        history_cache.snapshot(conversation.pk)
    )


def test_it_rebuilds_the_history_when_someone_wrote_during_the_turn(owner):
    conversation = chat_with(owner, 2)
    context = selectors.turn_context(conversation)
    services.message_add(conversation=Conversation.objects.get(pk=conversation.pk), role="user", content="meanwhile")
    new = services.conversations.message_new(conversation=conversation, role="assistant", content="mine")
    with CaptureQueriesContext(connection) as queries:
        services.conversations.messages_add(conversation=conversation, messages=[new], context=context)
    assert conversation.message_count == 4  # read back by the UPDATE itself
    assert len(history_selects(queries)) == 1  # the context was out of date: rebuilt from the database
    entry = cache.get(history_cache.key(conversation.pk))
    assert [m["content"] for m in history_cache.stored_messages(entry)] == ["m0", "m1", "meanwhile", "mine"]
    assert entry == history_cache.cacheable(history_cache.snapshot(conversation.pk))


def test_it_extends_the_context_when_nobody_else_wrote(owner):
    conversation = chat_with(owner, 2)
    context = selectors.turn_context(conversation)
    new = services.conversations.message_new(conversation=conversation, role="user", content="mine")
    with CaptureQueriesContext(connection) as queries:
        services.conversations.messages_add(conversation=conversation, messages=[new], context=context)
    assert history_selects(queries) == []
    assert cache.get(history_cache.key(conversation.pk)) == history_cache.cacheable(
        history_cache.snapshot(conversation.pk)
    )
