"""Seed 004's /api/chat and /api/chat-with-audio, and the /api/v1/ conversations and messages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from myApp.sessions import services
from myApp.sessions.models import Conversation, Message
from myApp.sessions.throttling import ChatRateThrottle

CHAT_KEYS = {"answer", "session_id", "user_id", "route", "confidence", "sources"}
AUDIO_KEYS = CHAT_KEYS | {"audio_data", "metadata"}
V1 = "/api/v1"
BREATHING = {"completed_steps": ["breathing"], "emotion": "Calm", "intensity": 20}


def chat(client, message: str, **extra):
    return client.post("/api/chat", {"message": message, **extra})


def chat_with(user, count: int) -> Conversation:
    conversation, _ = services.conversation_get_or_create_active(user=user)
    for n in range(count):
        services.message_add(conversation=conversation, role="user" if n % 2 == 0 else "assistant", content=f"m{n}")
    conversation.refresh_from_db()
    return conversation


# --- /api/chat ---------------------------------------------------------------------------


def test_it_chats_with_the_seed_request_and_response(api_as, owner):
    body = {
        "user_id": owner.pk,
        "message": "Hi there",
        "language": "en-IN",
        "ip_address": "192.168.1.1",
        "user_agent": "Mozilla/5.0",
    }
    response = api_as(owner).post("/api/chat", body)
    assert response.status_code == 200, response.json()
    reply = response.json()
    assert set(reply) == CHAT_KEYS
    assert reply["user_id"] == owner.pk and reply["route"] == "smalltalk" and reply["sources"] == []
    assert 0 <= reply["confidence"] <= 1
    conversation = Conversation.objects.get(session_id=reply["session_id"])
    assert (conversation.user, conversation.message_count) == (owner, 2)
    # The body's address is the client's claim: kept apart; the session records what the server saw.
    assert (conversation.ip_address, conversation.client_reported_ip) == ("127.0.0.1", "192.168.1.1")
    assert list(conversation.messages.values_list("role", "content")) == [
        ("user", "Hi there"),
        ("assistant", reply["answer"]),
    ]


def test_it_remembers_alice_across_turns(api_as, owner):
    client = api_as(owner)
    first = chat(client, "Hi, my name is Alice").json()
    second = chat(client, "What is my name?").json()
    assert "Alice" in second["answer"]
    assert second["session_id"] == first["session_id"]
    assert Conversation.objects.get(session_id=first["session_id"]).message_count == 4


def test_it_answers_from_the_knowledge_base_with_sources(api_as, owner):
    from tests.factories import KnowledgeBlockFactory

    KnowledgeBlockFactory(title="Taming stage fright", summary="Slow breathing calms stage fright before a talk.")
    reply = chat(api_as(owner), "How do I handle stage fright?").json()
    assert reply["route"] == "course_query"
    assert reply["sources"] and reply["sources"][0]["title"] == "Taming stage fright"


@pytest.mark.parametrize("message", ["", "   ", "x" * 4001])
def test_it_answers_400_for_an_empty_or_long_message(api_as, owner, message):
    response = chat(api_as(owner), message)
    assert response.status_code == 400
    assert "message" in response.json()["errors"]
    assert not Message.objects.exists()


def test_it_answers_400_when_the_message_is_missing(api_as, owner):
    response = api_as(owner).post("/api/chat", {"language": "en"})
    assert response.status_code == 400
    assert "message" in response.json()["errors"]


def test_it_accepts_a_message_of_4000_characters(api_as, owner):
    assert chat(api_as(owner), "x" * 4000).status_code == 200


def test_it_answers_403_for_another_users_id(api_as, owner, outsider):
    for url in ("/api/chat", "/api/chat-with-audio"):
        response = api_as(outsider).post(url, {"user_id": owner.pk, "message": "hello"})
        assert response.status_code == 403, url
    assert not Conversation.objects.exists()


def test_it_lets_staff_chat_for_another_user(api_as, staff, owner):
    reply = chat(api_as(staff), "Hello", user_id=owner.pk).json()
    assert reply["user_id"] == owner.pk
    assert Conversation.objects.get(session_id=reply["session_id"]).user == owner


def test_it_throttles_chat_per_user(api_as, owner, outsider, monkeypatch):
    monkeypatch.setattr(ChatRateThrottle, "rate", "2/minute", raising=False)
    client = api_as(owner)
    assert [chat(client, "hello").status_code for _ in range(2)] == [200, 200]
    throttled = chat(client, "hello")
    assert throttled.status_code == 429
    assert set(throttled.json()) == {"detail", "errors"}
    assert client.post("/api/chat-with-audio", {"message": "hello"}).status_code == 429
    assert Message.objects.filter(user=owner).count() == 4
    assert chat(api_as(outsider), "hello").status_code == 200  # a per-user limit


def test_it_reads_the_chat_rate_from_settings(settings):
    assert ChatRateThrottle.scope == "chat"
    assert ChatRateThrottle().rate == settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["chat"]


def test_it_answers_401_without_credentials(anon_api):
    assert chat(anon_api, "hello").status_code == 401
    assert anon_api.post("/api/chat-with-audio", {"message": "hello"}).status_code == 401


# (/api/chat-with-audio: tests/test_chat_audio.py)


# --- /api/v1/conversations and /api/v1/messages ------------------------------------------


def test_it_lists_only_the_callers_conversations(api_as, owner, outsider):
    mine = chat_with(owner, 2)
    chat_with(outsider, 1)
    response = api_as(owner).get(f"{V1}/conversations/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["id"] for row in results] == [mine.pk]
    assert {
        "session_id",
        "is_active",
        "message_count",
        "started_at",
        "last_activity_at",
        "module_status",
    } <= set(results[0])
    assert results[0]["session_id"] == str(mine.session_id) and results[0]["message_count"] == 2


def test_it_shows_module_status_on_a_conversation(api_as, owner):
    conversation = chat_with(owner, 0)
    services.conversation_module_complete(
        conversation=conversation, user=owner, module_id="breathing_exercise", completion_data=BREATHING
    )
    body = api_as(owner).get(f"{V1}/conversations/{conversation.pk}/").json()
    assert body["module_status"]["breathing_exercise"]["completion_data"] == BREATHING


def test_it_answers_404_to_an_outsider_on_every_conversation_route(api_as, owner, outsider):
    conversation = chat_with(owner, 1)
    message = conversation.messages.get()
    client = api_as(outsider)
    for url in (
        f"{V1}/conversations/{conversation.pk}/",
        f"{V1}/conversations/{conversation.pk}/messages/",
        f"{V1}/conversations/{conversation.pk}/report/",
        f"{V1}/messages/{message.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"{V1}/messages/").json()["results"] == []


def test_it_shows_staff_only_their_own_conversations(api_as, staff, owner, outsider):
    chat_with(owner, 1)
    chat_with(outsider, 1)
    theirs = chat_with(staff, 1)
    client = api_as(staff)
    assert [row["id"] for row in client.get(f"{V1}/conversations/").json()["results"]] == [theirs.pk]
    assert [row["session_id"] for row in client.get(f"{V1}/messages/").json()["results"]] == [str(theirs.session_id)]


def test_it_lists_a_conversations_messages_oldest_first(api_as, owner):
    conversation = chat_with(owner, 3)
    other = services.conversation_create(user=owner)
    services.message_add(conversation=other, role="user", content="elsewhere")
    body = api_as(owner).get(f"{V1}/conversations/{conversation.pk}/messages/").json()
    assert body["count"] == 3
    assert [m["content"] for m in body["results"]] == ["m0", "m1", "m2"]
    assert body["results"][0]["session_id"] == str(conversation.session_id)
    page = api_as(owner).get(f"{V1}/conversations/{conversation.pk}/messages/", {"page_size": 2, "page": 2}).json()
    assert [m["content"] for m in page["results"]] == ["m2"]


def test_it_counts_the_callers_messages_from_their_conversations_counters(api_as, owner, outsider):
    """The messages list's ``count`` is the sum of the caller's conversations' ``message_count`` (no COUNT over
    the messages, which grows with a heavy user's history); it equals the rows, page by page."""
    first = chat_with(owner, 3)
    services.conversation_end(conversation=first)
    chat_with(owner, 2)
    api_as(owner).post("/api/chat", {"message": "How do I slow down when I speak?"}, format="json")  # 2 more
    chat_with(outsider, 4)
    client = api_as(owner)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"{V1}/messages/", {"page_size": 3}).json()
    assert body["count"] == Message.objects.filter(user=owner).count() == 7
    assert not any("COUNT(*)" in q["sql"] and '"messages"' in q["sql"] for q in queries.captured_queries)
    seen = [m["id"] for m in body["results"]]
    for page in (2, 3):
        seen += [m["id"] for m in client.get(f"{V1}/messages/", {"page_size": 3, "page": page}).json()["results"]]
    assert seen == list(Message.objects.filter(user=owner).order_by("created_at", "id").values_list("id", flat=True))
    assert client.get(f"{V1}/messages/", {"page_size": 3, "page": 4}).status_code == 404
    assert api_as(outsider).get(f"{V1}/messages/").json()["count"] == 4


def test_it_counts_a_conversations_messages_from_its_counter(api_as, owner):
    conversation = chat_with(owner, 5)
    with CaptureQueriesContext(connection) as queries:
        body = api_as(owner).get(f"{V1}/conversations/{conversation.pk}/messages/", {"page_size": 2}).json()
    assert body["count"] == 5 and body["next"] and len(body["results"]) == 2
    assert not any("COUNT(*)" in q["sql"] for q in queries.captured_queries)
    assert api_as(owner).get(f"{V1}/conversations/").json()["count"] == 1  # the list counts its rows


def test_it_lists_and_retrieves_own_messages(api_as, owner, outsider):
    conversation = chat_with(owner, 2)
    chat_with(outsider, 1)
    client = api_as(owner)
    assert [m["content"] for m in client.get(f"{V1}/messages/").json()["results"]] == ["m0", "m1"]
    message = conversation.messages.first()
    assert client.get(f"{V1}/messages/{message.pk}/").json()["content"] == "m0"
    assert client.post(f"{V1}/messages/", {"content": "x"}).status_code == 405


def test_it_reports_a_learners_modules_to_the_learner_only(api_as, owner, staff):
    conversation = chat_with(owner, 0)
    services.conversation_module_complete(
        conversation=conversation, user=owner, module_id="breathing_exercise", completion_data=BREATHING
    )
    services.conversation_module_complete(
        conversation=conversation,
        user=owner,
        module_id="quick_assessment",
        completion_data={"answers": {"0": 2, "1": 5}, "total_questions": 10},
    )
    for user in (owner,):
        response = api_as(user).get(f"{V1}/conversations/{conversation.pk}/report/")
        assert response.status_code == 200
        report = response.json()
        assert set(report) == {
            "total_completions",
            "trend_points",
            "breathing_exercise",
            "emotion_labeling",
            "inner_doodling",
            "quick_assessment",
        }
        assert report["breathing_exercise"]["count"] == 1
        assert report["breathing_exercise"]["trend"][0]["intensity"] == 20
        assert report["quick_assessment"]["totals"][0]["total"] == 7
        assert report["inner_doodling"] == {"count": 0, "latest": None, "drawings": 0}
    # Staff read a learner's report on the report page (a recorded staff operation) or in the admin.
    assert api_as(staff).get(f"{V1}/conversations/{conversation.pk}/report/").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_conversations_in_constant_queries(api_as, owner, count, django_assert_max_num_queries):
    for _ in range(count):
        services.message_add(conversation=services.conversation_create(user=owner), role="user", content="hi")
    client = api_as(owner)
    with django_assert_max_num_queries(3):  # token, count, page
        body = client.get(f"{V1}/conversations/", {"page_size": 100}).json()
    assert body["count"] == count


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_messages_in_constant_queries(api_as, owner, count, django_assert_max_num_queries):
    conversation = chat_with(owner, count)
    client = api_as(owner)
    with django_assert_max_num_queries(4):  # token, conversation, count, page
        nested = client.get(f"{V1}/conversations/{conversation.pk}/messages/", {"page_size": 100}).json()
    with django_assert_max_num_queries(3):  # token, count, page
        flat = client.get(f"{V1}/messages/", {"page_size": 100}).json()
    assert nested["count"] == flat["count"] == count


def test_it_documents_every_chat_route(client, owner):
    client.force_login(owner)
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    assert {
        "/api/chat",
        "/api/chat-with-audio",
        "/api/session/check",
        "/api/session/create",
        "/api/session/end",
        "/api/session/history",
        "/conversations/{conversation_id}/modules",
        "/conversations/{conversation_id}/modules/{module_id}/complete",
        "/conversations/{conversation_id}/modules/{module_id}/recommend",
        "/api/v1/conversations/",
        "/api/v1/conversations/{id}/",
        "/api/v1/conversations/{id}/messages/",
        "/api/v1/conversations/{id}/report/",
        "/api/v1/messages/",
        "/api/v1/messages/{id}/",
    } <= set(paths)
