"""Seed 004's session routes under /api/session/: check, create, end, history (cache first)."""

import uuid

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from myApp.accounts.models import AccessRecord
from myApp.sessions import services
from myApp.sessions.models import Conversation
from tests.outages import DOWN_REDIS

CHECK_KEYS = {"has_session", "session_id", "message_count", "last_activity", "started_at"}
CREATED_KEYS = {"session_id", "user_id", "started_at", "message"}
HISTORY_KEYS = {"session_id", "message_count", "messages"}
MESSAGE_KEYS = {"id", "role", "content", "created_at"}


def chat_with(user, count: int) -> Conversation:
    conversation, _ = services.conversation_get_or_create_active(user=user)
    for n in range(count):
        services.message_add(conversation=conversation, role="user" if n % 2 == 0 else "assistant", content=f"m{n}")
    conversation.refresh_from_db()
    return conversation


def history(client, session_id, **params):
    return client.get("/api/session/history", {"session_id": str(session_id), **params})


def message_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if '"messages"' in q["sql"]]


# --- check -----------------------------------------------------------------------------


def test_it_checks_a_missing_session_with_null_fields(api_as, owner):
    response = api_as(owner).get("/api/session/check", {"user_id": owner.pk})
    assert response.status_code == 200
    assert response.json() == dict.fromkeys(CHECK_KEYS, None) | {"has_session": False}


def test_it_checks_the_active_session(api_as, owner):
    conversation = chat_with(owner, 3)
    body = api_as(owner).get("/api/session/check", {"user_id": owner.pk}).json()
    assert set(body) == CHECK_KEYS
    assert body["has_session"] is True
    assert body["session_id"] == str(conversation.session_id)
    assert body["message_count"] == 3
    assert body["last_activity"] and body["started_at"]


def test_it_checks_the_callers_own_session_by_default(api_as, owner, outsider):
    chat_with(outsider, 1)
    assert api_as(owner).get("/api/session/check").json()["has_session"] is False
    assert api_as(outsider).get("/api/session/check").json()["has_session"] is True


def test_it_does_not_report_an_expired_session(api_as, owner):
    from datetime import timedelta

    from django.utils import timezone

    conversation = chat_with(owner, 1)
    Conversation.objects.filter(pk=conversation.pk).update(last_activity_at=timezone.now() - timedelta(hours=25))
    assert api_as(owner).get("/api/session/check").json()["has_session"] is False


def test_it_answers_403_for_another_users_id(api_as, owner, outsider):
    chat_with(owner, 1)
    response = api_as(outsider).get("/api/session/check", {"user_id": owner.pk})
    assert response.status_code == 403
    assert "user_id" in response.json()["errors"]
    # An unknown id is refused the same way, so the answer reveals nothing.
    assert api_as(outsider).get("/api/session/check", {"user_id": 999999}).status_code == 403


def test_it_lets_staff_check_another_user(api_as, staff, owner):
    conversation = chat_with(owner, 2)
    body = api_as(staff).get("/api/session/check", {"user_id": owner.pk}).json()
    assert body["session_id"] == str(conversation.session_id)
    assert api_as(staff).get("/api/session/check", {"user_id": 999999}).status_code == 404


def test_it_answers_400_for_a_malformed_user_id(api_as, owner):
    response = api_as(owner).get("/api/session/check", {"user_id": "me"})
    assert response.status_code == 400
    assert "user_id" in response.json()["errors"]


# --- create ------------------------------------------------------------------------------


def test_it_creates_a_session_with_the_seed_response(api_as, owner):
    body = {"user_id": owner.pk, "ip_address": "192.168.1.1", "user_agent": "Mozilla/5.0", "device_type": "mobile"}
    response = api_as(owner).post("/api/session/create", body)
    assert response.status_code == 201
    created = response.json()
    assert set(created) == CREATED_KEYS
    assert created["user_id"] == owner.pk and created["message"] == "Session created successfully"
    conversation = Conversation.objects.get(session_id=created["session_id"])
    assert (conversation.user, conversation.ended_at) == (owner, None)
    assert (conversation.ip_address, conversation.client_reported_ip) == ("127.0.0.1", "192.168.1.1")
    assert (conversation.user_agent, conversation.device_type) == ("Mozilla/5.0", "mobile")


def test_it_takes_the_address_and_agent_from_the_request(api_as, owner):
    client = api_as(owner)
    response = client.post(
        "/api/session/create", {}, REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Mozilla/5.0 (iPhone; Mobile)"
    )
    assert response.status_code == 201
    conversation = Conversation.objects.get(session_id=response.json()["session_id"])
    assert conversation.ip_address == "10.1.2.3"
    assert conversation.user_agent == "Mozilla/5.0 (iPhone; Mobile)"
    assert conversation.device_type == "mobile"


def test_it_ends_the_previous_session_on_create(api_as, owner):
    client = api_as(owner)
    first = client.post("/api/session/create", {}).json()["session_id"]
    second = client.post("/api/session/create", {}).json()["session_id"]
    assert first != second
    assert Conversation.objects.get(session_id=first).ended_at is not None
    assert client.get("/api/session/check").json()["session_id"] == second


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ip_address": "not-an-ip"}, "ip_address"),
        ({"device_type": "fridge"}, "device_type"),
        ({"user_id": "x"}, "user_id"),
        ({"session_id": "mine"}, "session_id"),
    ],
)
def test_it_answers_400_naming_the_bad_create_field(api_as, owner, body, field):
    response = api_as(owner).post("/api/session/create", body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Conversation.objects.exists()


def test_it_refuses_to_create_for_another_user(api_as, owner, outsider):
    response = api_as(outsider).post("/api/session/create", {"user_id": owner.pk})
    assert response.status_code == 403
    assert not Conversation.objects.exists()


def test_it_lets_staff_create_for_another_user(api_as, staff, owner):
    response = api_as(staff).post("/api/session/create", {"user_id": owner.pk})
    assert response.status_code == 201 and response.json()["user_id"] == owner.pk
    assert Conversation.objects.get(session_id=response.json()["session_id"]).user == owner


# --- end ---------------------------------------------------------------------------------


def test_it_ends_a_session(api_as, owner):
    conversation = chat_with(owner, 1)
    response = api_as(owner).post("/api/session/end", {"session_id": str(conversation.session_id)})
    assert response.status_code == 200
    assert response.json() == {"session_id": str(conversation.session_id), "message": "Session ended successfully"}
    conversation.refresh_from_db()
    assert conversation.ended_at is not None
    assert api_as(owner).get("/api/session/check").json()["has_session"] is False


def test_it_answers_404_for_someone_elses_or_an_unknown_session(api_as, owner, outsider):
    conversation = chat_with(owner, 1)
    client = api_as(outsider)
    assert client.post("/api/session/end", {"session_id": str(conversation.session_id)}).status_code == 404
    assert client.post("/api/session/end", {"session_id": str(uuid.uuid4())}).status_code == 404
    conversation.refresh_from_db()
    assert conversation.ended_at is None


def test_it_lets_staff_end_a_learners_session_only_by_naming_the_learner(api_as, staff, owner):
    conversation = chat_with(owner, 1)
    session = str(conversation.session_id)
    # A session id alone is looked up among the caller's own: staff are no exception.
    assert api_as(staff).post("/api/session/end", {"session_id": session}).status_code == 404
    conversation.refresh_from_db()
    assert conversation.ended_at is None
    # Naming the learner is the staff operation (seed 004's user_id), and it is recorded.
    assert api_as(staff).post("/api/session/end", {"session_id": session, "user_id": owner.pk}).status_code == 200
    conversation.refresh_from_db()
    assert conversation.ended_at is not None
    assert AccessRecord.objects.filter(viewer=staff, subject=owner, through="staff_operations").count() == 1


def test_it_refuses_a_learner_naming_someone_else_to_end_a_session(api_as, owner, outsider):
    conversation = chat_with(owner, 1)
    body = {"session_id": str(conversation.session_id), "user_id": owner.pk}
    assert api_as(outsider).post("/api/session/end", body).status_code == 403


def test_it_answers_400_for_a_malformed_session_id(api_as, owner):
    for body in ({"session_id": "abc-123"}, {}):
        response = api_as(owner).post("/api/session/end", body)
        assert response.status_code == 400
        assert "session_id" in response.json()["errors"]


# --- history -----------------------------------------------------------------------------


def test_it_returns_history_with_the_seed_shape(api_as, owner):
    conversation = chat_with(owner, 2)
    response = history(api_as(owner), conversation.session_id)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == HISTORY_KEYS
    assert body["session_id"] == str(conversation.session_id) and body["message_count"] == 2
    assert [set(message) for message in body["messages"]] == [MESSAGE_KEYS, MESSAGE_KEYS]
    assert [(m["role"], m["content"]) for m in body["messages"]] == [("user", "m0"), ("assistant", "m1")]


def test_it_returns_the_last_20_messages_by_default_oldest_first(api_as, owner):
    conversation = chat_with(owner, 25)
    body = history(api_as(owner), conversation.session_id).json()
    assert body["message_count"] == 25
    assert [m["content"] for m in body["messages"]] == [f"m{n}" for n in range(5, 25)]
    limited = history(api_as(owner), conversation.session_id, limit=3).json()
    assert [m["content"] for m in limited["messages"]] == ["m22", "m23", "m24"]


@pytest.mark.parametrize("limit", [0, -1, 201, "ten"])
def test_it_answers_400_for_a_limit_outside_1_to_200(api_as, owner, limit):
    conversation = chat_with(owner, 1)
    response = history(api_as(owner), conversation.session_id, limit=limit)
    assert response.status_code == 400
    assert "limit" in response.json()["errors"]


@pytest.mark.parametrize("limit", [1, 200])
def test_it_accepts_the_limit_bounds(api_as, owner, limit):
    conversation = chat_with(owner, 3)
    body = history(api_as(owner), conversation.session_id, limit=limit).json()
    assert len(body["messages"]) == min(limit, 3)


def test_it_answers_404_for_someone_elses_history(api_as, owner, outsider):
    conversation = chat_with(owner, 1)
    assert history(api_as(outsider), conversation.session_id).status_code == 404
    assert history(api_as(owner), uuid.uuid4()).status_code == 404
    assert api_as(owner).get("/api/session/history").status_code == 400


def test_it_lets_staff_read_a_learners_history_only_by_naming_the_learner(api_as, staff, owner):
    conversation = chat_with(owner, 2)
    assert history(api_as(staff), conversation.session_id).status_code == 404
    named = api_as(staff).get("/api/session/history", {"session_id": conversation.session_id, "user_id": owner.pk})
    assert len(named.json()["messages"]) == 2
    assert AccessRecord.objects.filter(viewer=staff, subject=owner, what="chat_sessions").count() == 1


@pytest.mark.django_db(transaction=True)  # the cache is written on commit
def test_it_serves_cached_history_without_a_message_query(api_as, owner):
    conversation = chat_with(owner, 4)
    client = api_as(owner)
    with CaptureQueriesContext(connection) as queries:
        body = history(client, conversation.session_id, limit=10).json()
    assert [m["content"] for m in body["messages"]] == ["m0", "m1", "m2", "m3"]
    assert message_queries(queries) == []
    with CaptureQueriesContext(connection) as queries:
        history(client, conversation.session_id, limit=200)
    assert message_queries(queries) == []  # more than exist, but the cache holds them all
    services.message_add(conversation=conversation, role="user", content="m4")
    with CaptureQueriesContext(connection) as queries:
        body = history(client, conversation.session_id, limit=10).json()
    assert body["messages"][-1]["content"] == "m4" and body["message_count"] == 5
    assert message_queries(queries) == []  # written through on commit


@pytest.mark.parametrize("count", [3, 30])
def test_it_reads_history_in_constant_queries(api_as, owner, count, django_assert_max_num_queries):
    conversation = chat_with(owner, count)
    client = api_as(owner)
    with django_assert_max_num_queries(3):  # token, conversation, messages (a cold cache)
        body = history(client, conversation.session_id, limit=200).json()
    assert len(body["messages"]) == count


@pytest.mark.django_db(transaction=True)
def test_it_chats_and_reads_history_with_redis_unreachable(api_as, owner):
    client = api_as(owner)
    with override_settings(CACHES=DOWN_REDIS):
        chat = client.post("/api/chat", {"message": "Hi, my name is Alice"})
        assert chat.status_code == 200, chat.json()
        second = client.post("/api/chat", {"message": "What is my name?"})
        assert "Alice" in second.json()["answer"]
        response = history(client, chat.json()["session_id"])
        assert client.get("/api/session/check").json()["message_count"] == 4
    assert response.status_code == 200
    assert [m["content"] for m in response.json()["messages"]][:1] == ["Hi, my name is Alice"]
    assert response.json()["message_count"] == 4


def test_it_answers_401_without_credentials(anon_api, owner):
    conversation = chat_with(owner, 1)
    assert anon_api.get("/api/session/check").status_code == 401
    assert anon_api.post("/api/session/create", {}).status_code == 401
    assert anon_api.post("/api/session/end", {"session_id": str(conversation.session_id)}).status_code == 401
    assert history(anon_api, conversation.session_id).status_code == 401
