"""The safety layer in front of every assistant backend, through the API, the page and the service:
the crisis response (flagged, logged without text, never sent to the model server, even later as
history), wellbeing replies, skill answers in whole sentences, and the model server's context and sources
(a real HTTP server on loopback). How well the triage routes: test_chat_triage.py."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError
from django.test import override_settings
from django.urls import reverse
from rich.console import Console
from werkzeug import Request, Response

from myApp.analytics.models import AnalyticsEvent
from myApp.curriculum.models import KnowledgeBlock
from myApp.curriculum.seeds import load_module_a_content
from myApp.sessions import services
from myApp.sessions.assistant import get_assistant
from myApp.sessions.assistant.base import Turn
from myApp.sessions.assistant.knowledge import MAX_ANSWER_CHARS
from myApp.sessions.assistant.openai import CONTEXT_PROMPT
from myApp.sessions.assistant.safety import WITHHELD
from myApp.sessions.assistant.text import sentences
from myApp.sessions.models import Conversation, Message, SafetyFlag
from myProject import env
from myProject import settings as project_settings
from tests.factories import KnowledgeBlockFactory
from tests.test_chat_assistant import COMPLETIONS, FakeLLM, openai_settings, serve

HELPLINES = ["Test emergency line: call 000", "Test crisis text line: text HELLO to 111"]
CHAT_URL = reverse("chat:conversation")
ROUTES_CSV = Path(__file__).parent / "data" / "assistant_routes.csv"


@pytest.fixture
def helplines(settings):
    settings.CRISIS_HELPLINES = HELPLINES
    return HELPLINES


@pytest.fixture
def lessons(db):
    load_module_a_content(Console(file=io.StringIO()))


def risk_messages() -> list[str]:
    with ROUTES_CSV.open(newline="", encoding="utf-8") as handle:
        return [row["message"] for row in csv.DictReader(handle) if row["label"] == "risk" and row["split"] == "dev"]


def sent_text(llm: FakeLLM) -> str:
    return json.dumps(llm.bodies)


# --- Risk -------------------------------------------------------------------------------------


def test_it_answers_risk_with_the_crisis_response_and_never_asks_the_model(api_as, owner, httpserver, helplines):
    llm = FakeLLM()
    serve(httpserver, llm)

    with openai_settings(httpserver):
        response = api_as(owner).post("/api/chat", {"message": "I don't see the point anymore"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"answer", "session_id", "user_id", "route", "confidence", "sources"}
    assert (body["route"], body["sources"], body["confidence"]) == ("crisis", [], 1.0)
    assert all(line in body["answer"] for line in helplines)
    assert llm.bodies == [] and len(httpserver.log) == 0
    said, answered = Message.objects.filter(conversation__session_id=body["session_id"]).order_by("id")
    assert (said.safety_flag, answered.safety_flag) == (SafetyFlag.SELF_HARM, "")
    assert answered.metadata["route"] == "crisis" and answered.content == body["answer"]
    event = AnalyticsEvent.objects.get(event_type="chat_safety_flag")
    assert event.user == owner
    assert event.event_data == {"flag": "self_harm", "message_id": said.pk, "session_id": body["session_id"]}
    logged = json.dumps(list(AnalyticsEvent.objects.values_list("event_data", flat=True)))
    assert "point" not in logged and "anymore" not in logged  # what was flagged and where, never the words


@pytest.mark.parametrize(
    ("message", "flag"),
    [("he hits me when he's drunk", SafetyFlag.ABUSE), ("I'm going to hurt someone", SafetyFlag.HARM_TO_OTHERS)],
)
def test_it_flags_each_kind_of_risk(owner, message, flag, helplines):
    result = services.chat_send(user=owner, message=message)

    assert result.reply.route == "crisis"
    assert Message.objects.get(pk=result.user_message.pk).safety_flag == flag
    assert all(line in result.reply.answer for line in helplines)


def test_it_never_sends_a_risk_message_to_the_model_server(owner, httpserver):
    """Every risk message of the labelled set, one after another in one conversation, then a follow-up:
    the server is asked once (the follow-up), and no risk message is in anything it received."""
    llm = FakeLLM(["I'm here with you."])
    serve(httpserver, llm)
    messages = risk_messages()
    assert len(messages) >= 40

    with openai_settings(httpserver):
        routes = {services.chat_send(user=owner, message=message).reply.route for message in messages}
        follow_up = services.chat_send(user=owner, message="ok")

    assert routes == {"crisis"}
    assert len(llm.bodies) == len(httpserver.log) == 1
    assert (follow_up.reply.route, follow_up.reply.answer) == ("smalltalk", "I'm here with you.")
    received = sent_text(llm)
    assert not [message for message in messages if json.dumps(message)[1:-1] in received]
    history = [m for m in llm.bodies[0]["messages"] if m["role"] == "user"]
    assert history[-1] == {"role": "user", "content": "ok"}
    assert {m["content"] for m in history[:-1]} == {WITHHELD}
    assert Message.objects.filter(user=owner).exclude(safety_flag="").count() == len(messages)


def test_it_shows_the_crisis_response_clearly_on_the_page(client, owner, helplines):
    client.force_login(owner)

    response = client.post(CHAT_URL, {"message": "i want to end it all"})

    assert response.status_code == 302
    html = client.get(CHAT_URL).content.decode()
    crisis = re.search(r'data-testid="crisis-response".*?</section>', html, re.S).group(0)
    assert "You deserve support right now" in crisis
    assert all(line in crisis for line in helplines)
    assert 'data-route="crisis"' in html and "chat-turn-crisis" in html
    detail = client.get(reverse("chat:detail", args=[Conversation.objects.get(user=owner).pk])).content.decode()
    assert 'data-testid="crisis-response"' in detail


def test_it_puts_no_exercise_suggestion_above_the_crisis_response(client, owner, helplines):
    client.force_login(owner)
    client.post(CHAT_URL, {"message": "I feel really anxious and can't sleep"})
    assert 'data-testid="suggestion"' in client.get(CHAT_URL).content.decode()

    client.post(CHAT_URL, {"message": "I want to kill myself"})
    html = client.get(CHAT_URL).content.decode()

    assert 'data-testid="crisis-response"' in html
    assert 'data-testid="suggestion"' not in html


def test_it_names_no_phone_number_by_default(owner):
    defaults = project_settings.DEFAULT_CRISIS_HELPLINES
    assert defaults and not any(character.isdigit() for line in defaults for character in line)
    with override_settings(CRISIS_HELPLINES=list(defaults)):
        answer = services.chat_send(user=owner, message="I want to die").reply.answer
    assert "local emergency number" in answer and "crisis" in answer


def test_it_reads_helplines_from_the_environment_and_refuses_bad_ones():
    read = env.env_lines
    assert read("CRISIS_HELPLINES", ("x",), environ={}) == ["x"]
    assert read("CRISIS_HELPLINES", ("x",), environ={"CRISIS_HELPLINES": "A: call 1, or text 2| B "}) == [
        "A: call 1, or text 2",
        "B",
    ]
    with pytest.raises(ImproperlyConfigured, match="CRISIS_HELPLINES"):
        read("CRISIS_HELPLINES", ("x",), environ={"CRISIS_HELPLINES": "|".join("abcdefghijk")})
    with pytest.raises(ImproperlyConfigured, match="CRISIS_HELPLINES"):
        read("CRISIS_HELPLINES", ("x",), environ={"CRISIS_HELPLINES": "y" * 301})


def test_it_lets_staff_find_flagged_messages_in_the_admin(staff_client, owner):
    flagged = services.chat_send(user=owner, message="my dad beats me").user_message
    services.chat_send(user=owner, message="Hello")

    response = staff_client.get("/admin/usersessions/message/?safety_flag=abuse")

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [flagged]


def test_it_refuses_a_safety_flag_on_an_assistant_message(owner):
    conversation = services.conversation_create(user=owner)
    with pytest.raises(IntegrityError):
        services.message_add(conversation=conversation, role="assistant", content="x", safety_flag="abuse")


# --- Wellbeing --------------------------------------------------------------------------------


def test_it_hears_a_feeling_instead_of_quoting_a_lesson(owner, lessons):
    feeling = services.chat_send(user=owner, message="I feel really anxious and can't sleep").reply
    question = services.chat_send(user=owner, message="How do I calm my nerves before a talk?").reply

    assert (feeling.route, feeling.sources, feeling.recommended_module) == ("wellbeing", [], "breathing_exercise")
    assert "you're feeling anxious" in feeling.answer and "Not sleeping well" in feeling.answer
    assert "Breathing exercise" in feeling.answer
    titles = KnowledgeBlock.objects.values_list("title", flat=True)
    assert not any(title in feeling.answer for title in titles)
    assert question.route == "course_query" and question.sources
    assert question.answer.startswith(question.sources[0]["title"])
    conversation = Conversation.objects.get(user=owner)
    assert conversation.module_status["breathing_exercise"]["recommended_at"]


@pytest.mark.parametrize(
    ("message", "module", "reflected"),
    [
        ("I feel so lonely lately", "emotion_labeling", "Feeling lonely"),
        ("my mind keeps racing and I can't put it into words", "inner_doodling", "hard to put into words"),
        ("How am I doing lately?", "quick_assessment", "Checking in"),
        ("I'm so stressed about work", "breathing_exercise", "you're feeling stressed"),
    ],
)
def test_it_offers_the_module_that_fits_the_feeling(owner, message, module, reflected):
    reply = services.chat_send(user=owner, message=message).reply

    assert (reply.route, reply.recommended_module) == ("wellbeing", module)
    assert reflected in reply.answer


def test_it_answers_wellbeing_without_the_model_server(owner, httpserver):
    llm = FakeLLM()
    serve(httpserver, llm)

    with openai_settings(httpserver):
        reply = services.chat_send(user=owner, message="I've been crying a lot").reply

    assert reply.route == "wellbeing" and llm.bodies == []


def test_it_adds_where_to_find_help_after_a_risk_message_or_to_a_low_mood(owner, helplines):
    calm = services.chat_send(user=owner, message="I'm a bit stressed").reply.answer
    low = services.chat_send(user=owner, message="I feel hopeless").reply.answer
    services.chat_send(user=owner, message="I want to die")
    after_risk = services.chat_send(user=owner, message="I'm a bit stressed").reply.answer

    assert not any(line in calm for line in helplines)
    assert all(line in low for line in helplines)
    assert all(line in after_risk for line in helplines)


# --- Skill questions --------------------------------------------------------------------------

SKILL_QUESTIONS = [
    "How do I calm my nerves before a talk?",
    "How should I open my presentation?",
    "How do I use pauses?",
    "How do I tell a story in a speech?",
    "How can I speak louder without shouting?",
]


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("question", SKILL_QUESTIONS)
def test_it_answers_a_skill_question_in_whole_sentences_from_the_lessons(owner, lessons, question):
    reply = services.chat_send(user=owner, message=question).reply

    assert reply.route == "course_query" and reply.sources
    assert len(reply.answer) <= MAX_ANSWER_CHARS and "…" not in reply.answer
    title = reply.sources[0]["title"]  # a title may hold ": " itself ("Open, body, close: a frame ...")
    assert reply.answer.startswith(f"{title}:")
    rest = reply.answer.removeprefix(f"{title}:").lstrip()
    lessons_text = " ".join(_flat(f"{b.summary} {b.body}") for b in KnowledgeBlock.objects.all())
    for paragraph in rest.split("\n\n"):
        assert paragraph.rstrip().endswith((".", "!", "?", "”", "'", '"', ")")), paragraph
        if not paragraph.startswith("See also"):
            # every sentence is one of the lessons' own, whole
            assert all(_flat(sentence) in lessons_text for sentence in sentences(paragraph)), paragraph


def test_it_offers_a_module_alongside_a_skill_answer_when_a_feeling_comes_with_it(owner, lessons):
    reply = services.chat_send(user=owner, message="I'm nervous, how do I open my talk?").reply

    assert reply.route == "course_query" and reply.sources
    assert reply.recommended_module == "breathing_exercise"
    assert reply.answer.endswith("You'll find it under Guided exercises.")


def test_it_recalls_what_was_said_without_repeating_a_risk_message(db):
    history = [
        Turn("user", WITHHELD),
        Turn("assistant", "I'm really glad you told me."),
        Turn("user", "My talk is on Friday."),
        Turn("assistant", "Good luck on Friday."),
    ]

    said = get_assistant().reply(message="What did I say earlier?", history=history)
    answered = get_assistant().reply(message="What did you just say?", history=history)

    assert said.route == "memory" and "My talk is on Friday." in said.answer and WITHHELD not in said.answer
    assert answered.answer == "Earlier I said: “Good luck on Friday.”"


# --- The model server gets the lessons as context and they come back as sources ---------------


def test_it_sends_the_best_lessons_to_the_model_and_returns_them_as_sources(api_as, owner, lessons, httpserver):
    llm = FakeLLM(["Relabel the nerves as excitement, then breathe out slowly."])
    serve(httpserver, llm)

    with openai_settings(httpserver):
        body = api_as(owner).post("/api/chat", {"message": "How do I calm my nerves before a talk?"}).json()

    assert body["route"] == "course_query"
    assert body["answer"] == "Relabel the nerves as excitement, then breathe out slowly."
    assert body["sources"] and {"type", "id", "title", "snippet", "rank"} == set(body["sources"][0])
    system, context = llm.bodies[0]["messages"][:2]
    assert system["role"] == context["role"] == "system"
    assert context["content"].startswith(CONTEXT_PROMPT)
    for source in body["sources"]:
        assert source["title"] in context["content"]
    top = KnowledgeBlock.objects.get(pk=body["sources"][0]["id"])
    assert any(sentence in context["content"] for sentence in sentences(top.body))
    assert llm.bodies[0]["messages"][-1] == {"role": "user", "content": "How do I calm my nerves before a talk?"}
    stored = Message.objects.get(role="assistant")
    assert stored.metadata["sources"] == body["sources"] and stored.model_used == "test-model-2026"


def test_it_bounds_the_context_it_sends_and_cites_only_what_fitted(owner, httpserver):
    long_body = " ".join(f"Sentence {n} about breathing and the exhale before a speech." for n in range(60))
    blocks = [
        KnowledgeBlockFactory(title=f"Breathing {n}", summary="Breathe out slowly.", body=long_body) for n in "ABC"
    ]
    llm = FakeLLM(["Breathe out slowly."])
    serve(httpserver, llm)

    with openai_settings(httpserver, LLM_CONTEXT_CHARS=1500):
        reply = services.chat_send(user=owner, message="How should I use breathing before a speech?").reply

    context = llm.bodies[0]["messages"][1]["content"].removeprefix(CONTEXT_PROMPT)
    assert 0 < len(context) <= 1500
    assert all(part.rstrip().endswith(".") for part in context.split("\n\n"))  # cut at sentences
    cited = [source["title"] for source in reply.sources]
    assert cited and all(title in context for title in cited)
    assert len(cited) < len(blocks)  # the rest did not fit, so they are not cited


def test_it_trims_an_answer_the_server_cut_off_to_its_last_whole_sentence(owner, httpserver):
    def cut_off(request: Request) -> Response:
        body = {
            "model": "m",
            "choices": [
                {"message": {"content": "Pause before your key point. Then let the sil"}, "finish_reason": "length"}
            ],
        }
        return Response(json.dumps(body), content_type="application/json")

    serve(httpserver, cut_off)
    with openai_settings(httpserver):
        reply = services.chat_send(user=owner, message="How long should my pauses be?").reply

    assert reply.answer == "Pause before your key point."


def test_it_answers_from_the_lessons_with_sources_when_the_server_fails(owner, lessons, httpserver):
    httpserver.expect_request(COMPLETIONS, method="POST").respond_with_data("down", status=503)

    with openai_settings(httpserver):
        reply = services.chat_send(user=owner, message="How do I calm my nerves before a talk?").reply

    assert len(httpserver.log) == 1
    assert reply.route == "fallback" and reply.sources
    assert reply.answer.startswith(reply.sources[0]["title"])


# --- What the rules do not recognise ----------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "i have the pills in front of me",  # held-out risk rows the rules route off-topic
        "my coach touches me in a way that makes me uncomfortable",
        "I deserve to be punished, I should just disappear",
    ],
)
def test_it_answers_an_unrecognised_statement_about_oneself_with_a_door_to_help(owner, helplines, message):
    reply = services.chat_send(user=owner, message=message).reply

    assert reply.route == "off_topic"
    assert all(line in reply.answer for line in helplines)


@pytest.mark.parametrize(
    "message", ["What's the capital of France?", "Can you book me a table for two", "how do I cook rice"]
)
def test_it_answers_an_off_topic_request_without_helplines(owner, helplines, message):
    reply = services.chat_send(user=owner, message=message).reply

    assert reply.route == "off_topic"
    assert not any(line in reply.answer for line in helplines)
