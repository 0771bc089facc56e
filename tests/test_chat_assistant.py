"""The chat assistants, always behind the safety layer: the local one answers from the knowledge base, the
OpenAI-compatible one talks to a real HTTP server on loopback (pytest-httpserver) and falls back to the local one.
Risk, wellbeing and the labelled set: test_chat_safety.py, test_chat_triage.py. Spoken replies: test_chat_audio.py."""

import io
import json
import socket
import threading

import pytest
from django.test import override_settings
from rich.console import Console
from werkzeug import Request, Response

from myApp.curriculum.seeds import load_module_a_content
from myApp.sessions import services
from myApp.sessions.assistant import get_assistant
from myApp.sessions.assistant.base import HISTORY_TURNS, Turn
from myApp.sessions.assistant.local import MODEL_NAME, LocalAssistant
from myApp.sessions.assistant.openai import SYSTEM_PROMPT
from myApp.sessions.assistant.safety import SafetyLayer
from myApp.sessions.models import Message
from tests.factories import CourseFactory, KnowledgeBlockFactory

COMPLETIONS = "/v1/chat/completions"


@pytest.fixture
def knowledge(db):
    """Two knowledge blocks and a course, worded so that each test question matches what it should."""
    breathing = KnowledgeBlockFactory(
        title="Breathing before you speak",
        summary="Slow breathing with a long exhale settles the body.",
        body="Breathe in through the nose for four counts, then a long exhale from the diaphragm for six.",
    )
    opening = KnowledgeBlockFactory(
        title="Opening strong",
        summary="Start with a question or a story.",
        body="An opening earns the audience's attention in the first thirty seconds.",
    )
    course = CourseFactory(
        title="Storytelling for presenters",
        description="Build a storytelling habit: anecdotes, structure and a clear point.",
        level="Beginner",
    )
    return breathing, opening, course


def ask(message: str, history: list[Turn] | None = None):
    """The local backend behind the safety layer, as ``chat_send`` uses it."""
    return get_assistant().reply(message=message, history=history or [])


# --- The local assistant ------------------------------------------------------------------


def test_it_answers_a_course_question_with_sources(knowledge):
    breathing, _, _ = knowledge

    reply = ask("breathing exhale diaphragm")

    assert reply.route == "course_query"
    assert reply.model_used == MODEL_NAME
    assert 0 < reply.confidence <= 1
    assert {"id", "title", "snippet"} <= set(reply.sources[0])
    assert (reply.sources[0]["id"], reply.sources[0]["title"]) == (breathing.pk, breathing.title)
    assert reply.sources[0]["snippet"]
    assert reply.answer.startswith("Breathing before you speak:")


def test_it_cites_a_course_when_a_course_matches(knowledge):
    _, _, course = knowledge

    reply = ask("storytelling anecdotes")

    assert reply.route == "course_query"
    assert {"type": "course", "id": course.pk, "title": course.title}.items() <= reply.sources[0].items()
    assert "Storytelling for presenters" in reply.answer


def test_it_is_more_confident_about_a_better_match(knowledge):
    strong = ask("breathing exhale diaphragm")
    weak = ask("breathing juggling unicycles")

    assert weak.route == strong.route == "course_query"
    assert 0 < weak.confidence < strong.confidence <= 1


@pytest.mark.parametrize("message", ["Hello!", "Hi there, how are you?", "good morning", "thanks"])
def test_it_answers_greetings_as_smalltalk_even_with_knowledge_present(knowledge, message):
    reply = ask(message)

    assert reply.route == "smalltalk"
    assert reply.sources == []


@pytest.mark.parametrize("message", ["Hi, my name is Alice", "good morning", "thanks", "Hey, how are you doing today?"])
def test_it_answers_greetings_as_smalltalk_with_the_seeded_lessons(db, message):
    load_module_a_content(Console(file=io.StringIO()))

    reply = ask(message)

    assert (reply.route, reply.sources) == ("smalltalk", [])


def test_it_answers_a_question_about_nerves_from_the_seeded_lessons(db):
    load_module_a_content(Console(file=io.StringIO()))

    reply = ask("How do I deal with nerves before a speech?")

    assert reply.route == "course_query"
    assert reply.sources[0]["title"] == "Why nerves happen, and why they can help"


def test_it_greets_someone_who_introduces_themselves(knowledge):
    reply = ask("Hi, my name is Alice")

    assert (reply.route, reply.sources) == ("smalltalk", [])
    assert "Alice" in reply.answer


def test_it_still_searches_when_a_greeting_comes_with_a_question(knowledge):
    reply = ask("Hi, how should I use breathing and the exhale?")

    assert reply.route == "course_query"


def test_it_falls_back_when_a_skill_question_matches_nothing(knowledge):
    reply = ask("How do I use a teleprompter?")

    assert (reply.route, reply.sources) == ("fallback", [])
    assert 0 < reply.confidence < 0.5


def test_it_points_an_off_topic_message_at_what_it_can_do(knowledge):
    reply = ask("quokka xylophone")

    assert (reply.route, reply.sources) == ("off_topic", [])
    assert "speaking skills" in reply.answer


def test_it_remembers_the_name_from_the_history(db):
    history = [
        Turn(role="user", content="Hi, my name is Alice and I present on Friday"),
        Turn(role="assistant", content="Nice to meet you, Alice!"),
    ]

    reply = ask("What is my name?", history)

    assert (reply.route, reply.answer) == ("memory", "Your name is Alice.")


def test_it_does_not_take_the_assistants_words_for_the_users_name(db):
    history = [Turn(role="assistant", content="Hello! my name is Coach")]

    reply = ask("What's my name?", history)

    assert reply.route == "memory"
    assert reply.answer == "You have not told me your name yet."


@pytest.mark.parametrize(
    ("message", "module"),
    [
        ("I feel anxious", "breathing_exercise"),
        ("I am so stressed about Friday", "breathing_exercise"),
        ("I feel sad and lonely", "emotion_labeling"),
        ("I can't put it into words", "inner_doodling"),
        ("How am I doing lately?", "quick_assessment"),
    ],
)
def test_it_recommends_a_module_for_distress(db, message, module):
    reply = ask(message)

    assert reply.recommended_module == module
    assert reply.route == "wellbeing"


def test_it_recommends_breathing_alongside_knowledge(knowledge):
    reply = ask("I feel anxious, how does breathing help?")

    assert reply.route == "course_query"
    assert reply.recommended_module == "breathing_exercise"
    assert "breathing exercise" in reply.answer.lower()


def test_it_recommends_nothing_for_a_calm_question(knowledge):
    assert ask("breathing exhale diaphragm").recommended_module is None


# --- The OpenAI-compatible assistant against a real server on loopback ----------------------


def openai_settings(httpserver, **extra):
    return override_settings(
        ASSISTANT_BACKEND="openai",
        LLM_BASE_URL=httpserver.url_for("/"),
        LLM_MODEL="test-model",
        LLM_API_KEY="k",
        LLM_TIMEOUT_SECONDS=1,
        **extra,
    )


class FakeLLM:
    """A /v1/chat/completions handler that records each request and answers in the protocol's shape."""

    def __init__(self, answers: list[str] | None = None):
        self.bodies: list[dict] = []
        self.headers: list[dict] = []
        self.answers = answers or []

    def __call__(self, request: Request) -> Response:
        self.bodies.append(request.get_json())
        self.headers.append(dict(request.headers))
        n = len(self.bodies)
        answer = self.answers[n - 1] if n <= len(self.answers) else f"Answer number {n}"
        body = {
            "id": f"chatcmpl-{n}",
            "object": "chat.completion",
            "model": "test-model-2026",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 30 + n, "completion_tokens": 12, "total_tokens": 42 + n},
        }
        return Response(json.dumps(body), status=200, content_type="application/json")


def serve(httpserver, handler) -> None:
    httpserver.expect_request(COMPLETIONS, method="POST").respond_with_handler(handler)


def test_it_picks_the_backend_from_the_settings_at_call_time(httpserver):
    assert isinstance(get_assistant(), SafetyLayer)
    assert isinstance(get_assistant().backend, LocalAssistant)
    with openai_settings(httpserver):
        layer = get_assistant()
    assert isinstance(layer, SafetyLayer)
    assistant = layer.backend
    assert assistant.url == httpserver.url_for(COMPLETIONS)
    assert (assistant.model, assistant.timeout) == ("test-model", 1)


def test_it_sends_the_earlier_turns_to_the_server(owner, httpserver):
    llm = FakeLLM(["Hello Alice! How can I help you?", "Your name is Alice."])
    serve(httpserver, llm)

    with openai_settings(httpserver):
        first = services.chat_send(user=owner, message="Hi, my name is Alice")
        second = services.chat_send(user=owner, message="What is my name?")

    assert len(llm.bodies) == 2
    sent = llm.bodies[1]
    assert sent["model"] == "test-model"
    assert sent["messages"][0]["role"] == "system"
    assert SYSTEM_PROMPT in sent["messages"][0]["content"]
    assert sent["messages"][1:] == [
        {"role": "user", "content": "Hi, my name is Alice"},
        {"role": "assistant", "content": "Hello Alice! How can I help you?"},
        {"role": "user", "content": "What is my name?"},
    ]
    assert llm.bodies[0]["messages"][1:] == [{"role": "user", "content": "Hi, my name is Alice"}]
    assert all(headers["Authorization"] == "Bearer k" for headers in llm.headers)
    # The route says which path answered: the model answered the memory question.
    assert (second.reply.route, second.reply.answer) == ("memory", "Your name is Alice.")
    assert first.reply.route == "smalltalk"
    assert first.conversation.pk == second.conversation.pk


def test_it_stores_the_tokens_and_model_the_server_reports(owner, httpserver):
    serve(httpserver, FakeLLM(["Hello Alice!"]))

    with openai_settings(httpserver):
        result = services.chat_send(user=owner, message="Hi, my name is Alice")

    stored = Message.objects.get(pk=result.assistant_message.pk)
    assert (stored.content, stored.tokens_used, stored.model_used) == ("Hello Alice!", 43, "test-model-2026")
    assert stored.metadata["route"] == "smalltalk"
    user_message = Message.objects.get(pk=result.user_message.pk)
    assert (user_message.tokens_used, user_message.model_used) == (None, "")


def test_it_sends_only_the_last_ten_turns(owner, httpserver):
    llm = FakeLLM()
    serve(httpserver, llm)

    with openai_settings(httpserver):
        for n in range(1, 13):
            services.chat_send(user=owner, message=f"Message {n}")
        services.chat_send(user=owner, message="Message 13")

    assert len(llm.bodies) == 13
    history = llm.bodies[12]["messages"][1:-1]
    assert len(history) == HISTORY_TURNS == 10
    # The ten most recent turns, oldest first: user 8 .. answer 12.
    assert history[0] == {"role": "user", "content": "Message 8"}
    assert history[-1] == {"role": "assistant", "content": "Answer number 12"}
    assert llm.bodies[12]["messages"][-1] == {"role": "user", "content": "Message 13"}


def slow_handler(released: threading.Event):
    def handle(request: Request) -> Response:
        released.wait(timeout=5)  # longer than LLM_TIMEOUT_SECONDS=1: the client gives up first
        return Response("{}", status=200, content_type="application/json")

    return handle


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(lambda server: server.respond_with_data("upstream broke", status=500), id="server-error"),
        pytest.param(
            lambda server: server.respond_with_data('{"choices": [', content_type="application/json"),
            id="malformed-json",
        ),
        pytest.param(lambda server: server.respond_with_json({"choices": []}), id="no-choices"),
        pytest.param(lambda server: server.respond_with_json({"error": "model not loaded"}), id="no-answer"),
    ],
)
def test_it_answers_locally_when_the_server_fails(owner, httpserver, failure):
    failure(httpserver.expect_request(COMPLETIONS, method="POST"))

    with openai_settings(httpserver):
        result = services.chat_send(user=owner, message="Hi, my name is Alice")

    assert len(httpserver.log) == 1  # the server really was asked
    assert result.reply.route == "fallback"
    assert result.reply.model_used == MODEL_NAME
    assert "Alice" in result.reply.answer
    saved = list(Message.objects.filter(conversation=result.conversation).values_list("role", "content"))
    assert saved == [("user", "Hi, my name is Alice"), ("assistant", result.reply.answer)]
    assert Message.objects.get(role="assistant").metadata["route"] == "fallback"


def test_it_answers_locally_when_the_server_is_too_slow(owner, httpserver):
    released = threading.Event()
    serve(httpserver, slow_handler(released))

    try:
        with openai_settings(httpserver):
            result = services.chat_send(user=owner, message="Hi, my name is Alice")
    finally:
        released.set()

    assert result.reply.route == "fallback"
    assert result.conversation.message_count == 2
    assert Message.objects.filter(conversation=result.conversation).count() == 2


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_it_answers_locally_when_nothing_listens(owner):
    with override_settings(
        ASSISTANT_BACKEND="openai", LLM_BASE_URL=f"http://127.0.0.1:{closed_port()}/", LLM_MODEL="m", LLM_API_KEY=""
    ):
        result = services.chat_send(user=owner, message="Hello")

    assert result.reply.route == "fallback"
    assert Message.objects.filter(conversation=result.conversation).count() == 2


def test_it_follows_no_redirect_and_sends_the_key_nowhere_else(owner, httpserver):
    """A server answering 302 elsewhere is an error (the local assistant answers): urllib alone would follow it
    as a GET and send the API key to wherever it points (myApp.lib.outbound)."""
    from werkzeug import Response as WerkzeugResponse

    seen = []
    httpserver.expect_request(COMPLETIONS, method="POST").respond_with_response(
        WerkzeugResponse(status=302, headers={"Location": httpserver.url_for("/elsewhere")})
    )
    httpserver.expect_request("/elsewhere").respond_with_handler(
        lambda request: seen.append(request.headers.get("Authorization")) or WerkzeugResponse("{}")
    )

    with openai_settings(httpserver):
        result = services.chat_send(user=owner, message="Hi, my name is Alice")

    assert result.reply.route == "fallback"
    assert seen == []
