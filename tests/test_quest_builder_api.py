"""Seed 001's builder routes, ``/api/builder/sessions``, through real URLs with real tokens: create, list,
read, edit, chat, finish; the owner only (everyone else 404); bad input 400 naming the field; an illegal
stage 409; the list in constant queries; all in the OpenAPI schema with their status codes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from myApp.quests import services
from myApp.quests.models import BuilderStage, ModerationStatus, Quest, QuestBuilderSession
from myApp.sessions.services.conversations import MAX_MESSAGE_LENGTH
from myApp.sessions.throttling import ChatRateThrottle
from tests.factories import ParentFactory, UserFactory
from tests.quest_builder_helpers import ANSWERS, builder_answer_all, builder_ready
from tests.quest_graphs import small_graph

pytestmark = pytest.mark.django_db

SESSIONS = "/api/builder/sessions"


def url(session, action: str = "") -> str:
    return f"{SESSIONS}/{session.pk}" + (f"/{action}" if action else "")


def test_it_starts_a_session_with_the_first_question(api_as, author):
    response = api_as(author).post(SESSIONS, {}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["current_stage"] == "greeting"
    assert body["conversation_history"][0]["content"].endswith("How old is your child?")
    assert QuestBuilderSession.objects.get(pk=body["id"]).user == author


def test_it_refuses_fields_when_starting(api_as, author):
    response = api_as(author).post(SESSIONS, {"current_stage": "quest_ready"}, format="json")
    assert response.status_code == 400
    assert "current_stage" in response.json()["errors"]


def test_it_lists_only_the_callers_sessions(api_as, author, outsider):
    mine = services.builder_session_create(user=author)
    services.builder_session_create(user=ParentFactory(username="another_parent"))

    response = api_as(author).get(SESSIONS)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert set(response.json()["results"][0]) == {"id", "current_stage", "quest", "created_at", "updated_at"}


def test_it_lists_in_constant_queries(api_as, author):
    client = api_as(author)
    client.get(SESSIONS)  # warm up: the token's first use writes its last-seen time

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(SESSIONS).status_code == 200
        return len(captured)

    services.builder_session_create(user=author)
    few = queries()
    for _ in range(4):
        builder_ready(author)
    assert queries() == few


def test_it_chats_through_the_whole_flow_and_finishes_into_a_draft_quest(api_as, author):
    client = api_as(author)
    session_id = client.post(SESSIONS, {}, format="json").json()["id"]
    chat = f"{SESSIONS}/{session_id}/chat"

    stages = []
    for answer in [*ANSWERS, "Looks good"]:
        response = client.post(chat, {"message": answer}, format="json")
        assert response.status_code == 200, response.json()
        stages.append(response.json()["current_stage"])
    body = response.json()
    assert stages == [
        "collecting_info",
        "collecting_info",
        "clarifying",
        "clarifying",
        "clarifying",  # the summary, confirmed by the next message
        "reviewing",
        "quest_ready",
    ]
    assert body["reply"].startswith("Wonderful")
    assert body["safety_flag"] == ""
    assert {node["type"] for node in body["current_graph"]["nodes"]} >= {"start", "ending"}
    assert body["session"]["id"] == session_id

    finished = client.post(f"{SESSIONS}/{session_id}/finish", {"confirm": True, "title": "Castle"}, format="json")

    assert finished.status_code == 201
    quest = Quest.objects.get(pk=finished.json()["id"])
    assert (quest.creator, quest.title, quest.is_public, quest.moderation_status) == (
        author,
        "Castle",
        False,
        ModerationStatus.DRAFT,
    )
    assert finished.json()["quest_yaml"] == quest.quest_yaml
    assert client.get(f"{SESSIONS}/{session_id}").json()["quest"] == quest.pk
    again = client.post(f"{SESSIONS}/{session_id}/finish", {"confirm": True}, format="json")
    assert again.status_code == 409


def test_a_risk_message_gets_the_safety_answer(api_as, author):
    session = services.builder_session_create(user=author)

    response = api_as(author).post(url(session, "chat"), {"message": "I want to end my life"}, format="json")

    assert response.status_code == 200
    assert response.json()["safety_flag"]
    assert response.json()["current_stage"] == "greeting"
    assert response.json()["session"]["quest_context"] == {}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "message"),
        ({"message": ""}, "message"),
        ({"message": "   "}, "message"),
        ({"message": 5}, None),
        ({"message": "x" * (MAX_MESSAGE_LENGTH + 1)}, "message"),
        ({"message": "hi", "stage": "quest_ready"}, "stage"),
        ({"message": ["a"]}, "message"),
    ],
)
def test_it_refuses_bad_chat_input_naming_the_field(api_as, author, body, field):
    session = services.builder_session_create(user=author)
    response = api_as(author).post(url(session, "chat"), body, format="json")
    if field is None:  # a number is read as its text by DRF: an answer, not an error
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert field in response.json()["errors"]
    session.refresh_from_db()
    assert len(session.conversation_history) == 1


def test_it_edits_context_and_graph_naming_the_broken_node(api_as, author):
    session = builder_answer_all(services.builder_session_create(user=author), author)
    client = api_as(author)

    edited = client.patch(
        url(session), {"quest_context": {"child_age": 11}, "current_graph": small_graph()}, format="json"
    )
    assert edited.status_code == 200
    assert edited.json()["quest_context"]["child_age"] == 11
    assert [node["id"] for node in edited.json()["current_graph"]["nodes"]] == ["start", "brave", "hide", "end"]

    broken = small_graph()
    broken["nodes"][1]["type"] = "portal"
    refused = client.patch(url(session), {"current_graph": broken}, format="json")
    assert refused.status_code == 400
    assert "node 'brave'" in refused.json()["errors"]["graph_structure"][0]

    refused = client.patch(url(session), {"quest_context": {"child_age": "eight"}}, format="json")
    assert refused.status_code == 400
    assert "quest_context.child_age" in refused.json()["errors"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"current_stage": "quest_ready"}, 409, "current_stage"),
        ({"current_stage": "somewhere"}, 400, "current_stage"),
        ({"current_graph": small_graph()}, 409, "current_stage"),
        ({"conversation_history": []}, 400, "conversation_history"),
        ({"quest": 1}, 400, "quest"),
    ],
)
def test_it_refuses_edits_the_stage_does_not_allow(api_as, author, body, status, field):
    session = services.builder_session_create(user=author)
    response = api_as(author).patch(url(session), body, format="json")
    assert response.status_code == status
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "confirm"), ({"confirm": False}, "confirm"), ({"confirm": True, "title": "x" * 201}, "title")],
)
def test_it_refuses_to_finish_without_a_confirm(api_as, author, body, field):
    session = builder_ready(author)
    response = api_as(author).post(url(session, "finish"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Quest.objects.exists()


def test_it_refuses_to_finish_a_session_that_is_not_ready(api_as, author):
    session = builder_answer_all(services.builder_session_create(user=author), author)
    response = api_as(author).post(url(session, "finish"), {"confirm": True}, format="json")
    assert response.status_code == 409
    assert "current_stage" in response.json()["errors"]


@pytest.mark.parametrize(
    ("method", "action", "body"),
    [
        ("get", "", None),
        ("patch", "", {"quest_context": {"child_age": 8}}),
        ("post", "chat", {"message": "8"}),
        ("post", "finish", {"confirm": True}),
    ],
)
def test_only_the_owner_reaches_a_session(api_as, author, outsider, staff, member, method, action, body):
    session = builder_ready(author)
    for other in (outsider, staff, member):
        response = getattr(api_as(other), method)(url(session, action), body, format="json")
        assert response.status_code == 404, other
    session.refresh_from_db()
    assert session.current_stage == BuilderStage.QUEST_READY
    assert not Quest.objects.exists()


def test_a_missing_session_is_404_and_anonymous_callers_are_refused(api_as, anon_api, author):
    assert api_as(author).get(f"{SESSIONS}/999999").status_code == 404
    assert anon_api.get(SESSIONS).status_code in (401, 403)
    assert anon_api.post(SESSIONS, {}, format="json").status_code in (401, 403)


def test_it_documents_the_builder_routes_with_their_status_codes(client, owner):
    client.force_login(owner)
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]
    assert set(paths["/api/builder/sessions"]) >= {"get", "post"}
    assert set(paths["/api/builder/sessions/{id}"]) >= {"get", "patch"}
    assert set(paths["/api/builder/sessions/{id}/chat"]["post"]["responses"]) >= {"200", "400", "404", "409"}
    assert set(paths["/api/builder/sessions/{id}/finish"]["post"]["responses"]) >= {"201", "400", "404", "409"}
    assert set(paths["/api/builder/sessions/{id}"]["patch"]["responses"]) >= {"200", "400", "404", "409"}


def test_builder_turns_count_against_the_chat_rate(api_as, author, monkeypatch):
    monkeypatch.setattr(ChatRateThrottle, "THROTTLE_RATES", {"chat": "2/minute"})
    session = services.builder_session_create(user=author)
    client = api_as(author)
    for text in ("8", "trains"):
        assert client.post(url(session, "chat"), {"message": text}, format="json").status_code == 200

    assert client.post(url(session, "chat"), {"message": "the zoo"}, format="json").status_code == 429
    session.refresh_from_db()
    assert len(session.conversation_history) == 5


def test_only_those_the_builder_is_for_may_start_a_session(api_as):
    learner = UserFactory(username="teen")
    response = api_as(learner).post(SESSIONS, {}, format="json")
    assert response.status_code == 403
    assert "written by parents" in response.json()["detail"]
    assert not QuestBuilderSession.objects.filter(user=learner).exists()
