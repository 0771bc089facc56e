"""Seed 000's guided-module routes at their root-level addresses: complete, recommend, list."""

import json

import pytest

from myApp.sessions import selectors, services
from myApp.sessions.models import Conversation, ModuleCompletion

BREATHING = {"completed_steps": ["breathing", "emotion_naming"], "emotion": "Anxious", "intensity": 65}
COMPLETE_KEYS = {"status", "module_id", "completed_at", "module_status"}


def url(conversation_id: int, action: str = "") -> str:
    return f"/conversations/{conversation_id}/modules" + (f"/{action}" if action else "")


def complete_url(conversation_id: int, module_id: str) -> str:
    return url(conversation_id, f"{module_id}/complete")


@pytest.fixture
def conversation(owner) -> Conversation:
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    return conversation


def test_it_completes_a_module_with_the_seed_response(api_as, owner, conversation):
    response = api_as(owner).post(
        complete_url(conversation.pk, "breathing_exercise"), {"completion_data": BREATHING}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == COMPLETE_KEYS
    assert body["status"] == "completed" and body["module_id"] == "breathing_exercise"
    entry = body["module_status"]["breathing_exercise"]
    assert entry == {"completed_at": body["completed_at"], "completion_data": BREATHING}
    conversation.refresh_from_db()
    assert conversation.metadata == {"module_status": body["module_status"]}
    assert ModuleCompletion.objects.filter(conversation=conversation, user=owner).count() == 1


def test_it_lists_every_module_status(api_as, owner, conversation):
    client = api_as(owner)
    assert client.get(url(conversation.pk)).json() == {"conversation_id": conversation.pk, "module_status": {}}
    client.post(complete_url(conversation.pk, "emotion_labeling"), {"completion_data": {"mood": "Calm"}})
    client.post(url(conversation.pk, "quick_assessment/recommend"))

    response = client.get(url(conversation.pk))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"conversation_id", "module_status"}
    assert set(body["module_status"]) == {"emotion_labeling", "quick_assessment"}
    assert body["module_status"]["emotion_labeling"]["completion_data"] == {"mood": "Calm"}
    assert set(body["module_status"]["quick_assessment"]) == {"recommended_at"}


def test_it_recommends_a_module(api_as, owner, conversation):
    response = api_as(owner).post(url(conversation.pk, "inner_doodling/recommend"))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"module_id", "recommended_at", "module_status"}
    assert body["module_status"] == {"inner_doodling": {"recommended_at": body["recommended_at"]}}
    conversation.refresh_from_db()
    assert conversation.module_status["inner_doodling"]["recommended_at"] == body["recommended_at"]


def test_it_keeps_the_recommendation_when_the_module_is_completed(api_as, owner, conversation):
    client = api_as(owner)
    recommended_at = client.post(url(conversation.pk, "breathing_exercise/recommend")).json()["recommended_at"]
    body = client.post(complete_url(conversation.pk, "breathing_exercise"), {"completion_data": BREATHING}).json()
    assert set(body["module_status"]["breathing_exercise"]) == {"recommended_at", "completed_at", "completion_data"}
    assert body["module_status"]["breathing_exercise"]["recommended_at"] == recommended_at


@pytest.mark.parametrize("action", ["complete", "recommend"])
def test_it_answers_400_for_an_unknown_module(api_as, owner, conversation, action):
    response = api_as(owner).post(url(conversation.pk, f"meditation/{action}"), {"completion_data": {}})
    assert response.status_code == 400
    assert response.json()["detail"] == "Invalid module_id"
    assert "module_id" in response.json()["errors"]
    conversation.refresh_from_db()
    assert conversation.metadata == {}


@pytest.mark.parametrize(
    ("module_id", "data", "field"),
    [
        ("breathing_exercise", {**BREATHING, "intensity": 101}, "completion_data.intensity"),
        ("breathing_exercise", {"completed_steps": ["running"]}, "completion_data.completed_steps.0"),
        ("breathing_exercise", {"emotion": "Calm", "intensity": "high"}, "completion_data.intensity"),
        ("emotion_labeling", {"mood": "Ecstatic"}, "completion_data.mood"),
        ("emotion_labeling", {"mood": "Happy", "note": "x" * 1001}, "completion_data.note"),
        ("inner_doodling", {"sketch_data": {"has_drawing": "maybe"}}, "completion_data.sketch_data.has_drawing"),
        ("inner_doodling", {"sketch_data": "a cat"}, "completion_data.sketch_data.non_field_errors"),
        ("quick_assessment", {"answers": {"0": 9}, "total_questions": 10}, "completion_data.answers.0"),
    ],
)
def test_it_answers_400_naming_the_invalid_field(api_as, owner, conversation, module_id, data, field):
    response = api_as(owner).post(complete_url(conversation.pk, module_id), {"completion_data": data})
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not ModuleCompletion.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [({"completion_data": "calm"}, "completion_data"), ({"completion_data": {}, "coins": 5}, "coins")],
)
def test_it_answers_400_for_a_malformed_body(api_as, owner, conversation, body, field):
    response = api_as(owner).post(complete_url(conversation.pk, "emotion_labeling"), body)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_it_answers_413_for_a_body_over_64_kb(api_as, owner, conversation):
    strokes = [[[1, 2]] * 100] * 90  # valid-looking strokes, ~72 KB of JSON
    body = json.dumps({"completion_data": {"sketch_data": {"has_drawing": True, "strokes": strokes}}})
    assert len(body) > 64 * 1024
    response = api_as(owner).generic(
        "POST", complete_url(conversation.pk, "inner_doodling"), body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "Request body too large (at most 64 KB).", "errors": {}}
    assert not ModuleCompletion.objects.exists()


def test_it_accepts_a_body_just_under_64_kb(api_as, owner, conversation):
    strokes = [[[1, 2]] * 60] * 130  # ~61 KB of JSON, 7,800 points
    body = json.dumps({"completion_data": {"sketch_data": {"has_drawing": True, "strokes": strokes}}})
    assert 50 * 1024 < len(body) < 64 * 1024
    response = api_as(owner).generic(
        "POST", complete_url(conversation.pk, "inner_doodling"), body, content_type="application/json"
    )
    assert response.status_code == 200, response.json()


NOT_FOUND = {"detail": "Conversation not found", "errors": {}}


def every_route(client, conversation_id: int) -> list:
    return [
        client.get(url(conversation_id)),
        client.post(complete_url(conversation_id, "breathing_exercise"), {"completion_data": BREATHING}),
        client.post(url(conversation_id, "breathing_exercise/recommend")),
    ]


@pytest.mark.parametrize("who", ["outsider", "member"])
def test_it_answers_404_to_anyone_else_on_every_route(api_as, conversation, request, who):
    """An outsider and even the learner's consenting parent: chats are the learner's alone."""
    responses = every_route(api_as(request.getfixturevalue(who)), conversation.pk)
    assert [(response.status_code, response.json()) for response in responses] == [(404, NOT_FOUND)] * 3
    conversation.refresh_from_db()
    assert conversation.metadata == {}


def test_it_answers_404_for_an_unknown_conversation_as_for_someone_elses(api_as, owner, conversation):
    responses = every_route(api_as(owner), conversation.pk + 1000)
    assert [(response.status_code, response.json()) for response in responses] == [(404, NOT_FOUND)] * 3


def test_it_answers_staff_like_anyone_else_for_a_learners_conversation(api_as, staff, owner, conversation):
    responses = every_route(api_as(staff), conversation.pk)
    assert [(response.status_code, response.json()) for response in responses] == [(404, NOT_FOUND)] * 3
    assert selectors.psychology_report(user=owner)["breathing_exercise"]["count"] == 0
    assert not ModuleCompletion.objects.exists()


def test_it_works_with_a_logged_in_session(client, owner, conversation):
    client.force_login(owner)
    assert client.get(url(conversation.pk)).status_code == 200


def test_it_answers_401_without_credentials(anon_api, conversation):
    assert anon_api.get(url(conversation.pk)).status_code == 401
    response = anon_api.post(complete_url(conversation.pk, "breathing_exercise"), {"completion_data": BREATHING})
    assert response.status_code == 401
    assert anon_api.post(url(conversation.pk, "breathing_exercise/recommend")).status_code == 401


def test_it_accepts_json_only(api_as, owner, conversation):
    response = api_as(owner).post(
        complete_url(conversation.pk, "emotion_labeling"), {"completion_data": "x"}, format="multipart"
    )
    assert response.status_code == 415
