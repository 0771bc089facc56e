"""The builder on an OpenAI-compatible server: a real HTTP server on loopback (pytest-httpserver) that
speaks the chat-completions protocol. The model's graph is accepted only once it validates; an invalid one
is reported and not kept; a server that cannot be reached falls back to the local template; a risk
message never reaches the server."""

import copy
import json
import socket

import pytest
from django.test import override_settings
from werkzeug import Request, Response

from myApp.quests import graph, services
from myApp.quests.builder import get_builder
from myApp.quests.builder.local import MODEL_NAME
from myApp.quests.builder.openai import SYSTEM_PROMPT, OpenAIBuilder
from myApp.quests.models import BuilderStage
from myApp.sessions.assistant.safety import WITHHELD
from tests.quest_builder_helpers import ANSWERS, builder_answer_all
from tests.quest_graphs import small_graph

pytestmark = pytest.mark.django_db

COMPLETIONS = "/v1/chat/completions"
S = BuilderStage


def openai_settings(base_url: str):
    return override_settings(
        ASSISTANT_BACKEND="openai",
        LLM_BASE_URL=base_url,
        LLM_MODEL="test-model",
        LLM_API_KEY="k",
        LLM_TIMEOUT_SECONDS=2,
    )


class FakeLLM:
    """Answers each request with the next of ``contents`` (a dict is sent as JSON text), recording bodies."""

    def __init__(self, *contents):
        self.contents = list(contents)
        self.bodies: list[dict] = []

    def __call__(self, request: Request) -> Response:
        self.bodies.append(request.get_json())
        content = self.contents[min(len(self.bodies), len(self.contents)) - 1]
        text = json.dumps(content) if isinstance(content, dict) else content
        body = {
            "id": f"chatcmpl-{len(self.bodies)}",
            "object": "chat.completion",
            "model": "quest-model-1",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        }
        return Response(json.dumps(body), status=200, content_type="application/json")


@pytest.fixture
def llm_server(httpserver):
    def serve(*contents) -> FakeLLM:
        llm = FakeLLM(*contents)
        httpserver.expect_request(COMPLETIONS, method="POST").respond_with_handler(llm)
        return llm

    with openai_settings(httpserver.url_for("/")):
        yield serve


def broken_graph() -> dict:
    document = small_graph()
    document["edges"].append({"id": "e9", "source": "end", "target": "start"})
    return document


@pytest.fixture
def session(author):
    return services.builder_session_create(user=author)


def test_it_picks_the_openai_builder_from_the_chats_settings(httpserver):
    with openai_settings(httpserver.url_for("/")):
        builder = get_builder()
    assert isinstance(builder.backend, OpenAIBuilder)
    assert builder.backend.url == httpserver.url_for(COMPLETIONS)


def test_it_accepts_the_models_graph_once_it_validates(llm_server, session, author):
    llm = llm_server(small_graph())

    session = builder_answer_all(session, author)

    assert session.current_stage == S.REVIEWING
    assert session.current_graph == graph.validate(small_graph())
    assert session.conversation_history[-1]["model"] == "quest-model-1"
    (body,) = llm.bodies
    assert body["model"] == "test-model"
    assert body["messages"][0] == {"role": "system", "content": SYSTEM_PROMPT}
    assert (
        "sandcastle" in body["messages"][-1]["content"]
        and '"psychological_module": "CBT"' in body["messages"][-1]["content"]
    )


def test_it_reads_a_graph_in_a_fenced_block(llm_server, session, author):
    llm_server("```json\n" + json.dumps(small_graph()) + "\n```")
    session = builder_answer_all(session, author)
    assert session.current_stage == S.REVIEWING


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (broken_graph(), "edge 'e9'"),
        ("Once upon a time", "did not answer with JSON"),
        ({"nodes": [], "edges": []}, "start node"),
    ],
)
def test_it_reports_an_invalid_graph_and_stays_generating(llm_server, session, author, content, said):
    llm_server(content, small_graph())

    session = builder_answer_all(session, author)

    assert session.current_stage == S.GENERATING
    assert session.current_graph == {}
    assert said in session.conversation_history[-1]["content"]

    session, _ = services.builder_chat(session=session, by=author, message="Please try again")
    assert session.current_stage == S.REVIEWING
    assert session.current_graph == graph.validate(small_graph())


def test_it_revises_the_graph_as_asked_and_keeps_it_when_the_revision_is_invalid(llm_server, session, author):
    revised = copy.deepcopy(small_graph())
    revised["nodes"][1]["title"] = "Talk to the cat"
    llm = llm_server(small_graph(), revised, broken_graph())
    session = builder_answer_all(session, author)

    session, _ = services.builder_chat(session=session, by=author, message="Add a talking cat")
    assert session.current_stage == S.REVIEWING
    assert session.current_graph["nodes"][1]["title"] == "Talk to the cat"
    asked = llm.bodies[1]["messages"][-1]["content"]
    assert "Add a talking cat" in asked and '"The dark forest"' in asked

    session, turn = services.builder_chat(session=session, by=author, message="Now make it longer")
    assert session.current_stage == S.REVIEWING
    assert session.current_graph["nodes"][1]["title"] == "Talk to the cat"
    assert "edge 'e9'" in turn.answer


def test_a_risk_message_never_reaches_the_server(llm_server, session, author):
    llm = llm_server(small_graph())
    session = builder_answer_all(session, author, ANSWERS[:2])

    session, turn = services.builder_chat(session=session, by=author, message="I want to kill myself")
    assert turn.safety_flag
    assert llm.bodies == []

    builder_answer_all(session, author, ANSWERS[2:])
    (body,) = llm.bodies
    sent = json.dumps(body)
    assert "kill myself" not in sent
    assert WITHHELD in [message["content"] for message in body["messages"]]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_it_uses_the_local_template_when_nothing_listens(session, author):
    with openai_settings(f"http://127.0.0.1:{closed_port()}/"):
        session = builder_answer_all(session, author)
        assert session.current_stage == S.REVIEWING
        assert session.conversation_history[-1]["model"] == MODEL_NAME

        session, turn = services.builder_chat(session=session, by=author, message="Add a talking cat")
    assert session.current_stage == S.REVIEWING
    assert "could not be reached" in turn.answer


def test_a_parent_may_draw_the_graph_themselves_when_the_model_fails(llm_server, session, author, api_as):
    llm_server(broken_graph())
    session = builder_answer_all(session, author)
    assert session.current_stage == S.GENERATING

    response = api_as(author).patch(
        f"/api/builder/sessions/{session.pk}", {"current_graph": small_graph()}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["current_stage"] == "reviewing"
    assert response.json()["current_graph"] == graph.validate(small_graph())
