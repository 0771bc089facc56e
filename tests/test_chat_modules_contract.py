"""Seed 000's contract as its clients send it: optional completion_data, open schemas, check order."""

import json

import pytest
from django.urls import reverse

from myApp.lib.exceptions import ServiceError
from myApp.sessions import services
from myApp.sessions.models import Conversation, ModuleCompletion, WellbeingModule

MODULES = list(WellbeingModule.values)
INVALID_MODULE = "Invalid module_id"
NOT_FOUND = {"detail": "Conversation not found", "errors": {}}


def complete_url(conversation_id: int, module_id: str) -> str:
    return f"/conversations/{conversation_id}/modules/{module_id}/complete"


def recommend_url(conversation_id: int, module_id: str) -> str:
    return f"/conversations/{conversation_id}/modules/{module_id}/recommend"


def post_raw(client, path: str, body: str):
    return client.generic("POST", path, body.encode("utf-8"), content_type="application/json")


@pytest.fixture
def conversation(owner) -> Conversation:
    conversation, _ = services.conversation_get_or_create_active(user=owner)
    return conversation


# --- completion_data is optional -------------------------------------------------------


@pytest.mark.parametrize("module_id", MODULES)
@pytest.mark.parametrize(
    "body", [{"completion_data": {}}, {}, {"completion_data": None}], ids=["empty", "absent", "null"]
)
def test_it_accepts_absent_or_empty_completion_data(api_as, owner, conversation, module_id, body):
    response = api_as(owner).post(complete_url(conversation.pk, module_id), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["module_status"][module_id]["completion_data"] == {}
    completion = ModuleCompletion.objects.get(conversation=conversation, module_id=module_id)
    assert completion.completion_data == {}


def test_it_replaces_older_data_when_a_completion_has_none(api_as, owner, conversation):
    client = api_as(owner)
    client.post(complete_url(conversation.pk, "emotion_labeling"), {"completion_data": {"mood": "Calm"}})
    body = client.post(complete_url(conversation.pk, "emotion_labeling"), {"completion_data": {}}).json()
    assert body["module_status"]["emotion_labeling"]["completion_data"] == {}


@pytest.mark.parametrize(
    ("module_id", "data"),
    [
        ("breathing_exercise", {"emotion": "Calm"}),
        ("breathing_exercise", {"intensity": 0, "timings": {"inhale": 4}}),
        ("emotion_labeling", {"note": "A long day."}),
        ("inner_doodling", {"sketch_data": {}}),
        ("inner_doodling", {"sketch_data": {"has_drawing": True, "strokes": [[[1, 2], [3, 4]]]}}),
        ("quick_assessment", {"answers": {"3": 5}}),
    ],
)
def test_it_accepts_any_subset_of_the_declared_fields(api_as, owner, conversation, module_id, data):
    response = api_as(owner).post(complete_url(conversation.pk, module_id), {"completion_data": data})
    assert response.status_code == 200, response.json()
    assert response.json()["module_status"][module_id]["completion_data"] == data


# --- undeclared keys are kept as sent ----------------------------------------------------


def test_it_keeps_undeclared_keys_as_sent(api_as, owner, conversation):
    data = {
        "emotion": "Anxious",
        "intensity": 65,
        "client_version": "2.4.1",
        "big": 12345678901234567890123456789,
        "unicode": "calm \u2600 \U0001f600",
        "extra": {"nested": [1, 2.5, None, True, "x"], "empty": {}},
        "timings": {"inhale": 4, "exhale": 6, "pattern": "box"},
    }
    response = api_as(owner).post(complete_url(conversation.pk, "breathing_exercise"), {"completion_data": data})
    assert response.status_code == 200, response.json()
    assert response.json()["module_status"]["breathing_exercise"]["completion_data"] == data
    conversation.refresh_from_db()
    assert conversation.module_status["breathing_exercise"]["completion_data"] == data
    assert ModuleCompletion.objects.get(conversation=conversation).completion_data == data


def test_it_keeps_undeclared_keys_inside_declared_objects(api_as, owner, conversation):
    data = {"sketch_data": {"has_drawing": True, "colour": "#ff0000", "tool": {"name": "pen"}}, "seconds": 42}
    body = api_as(owner).post(complete_url(conversation.pk, "inner_doodling"), {"completion_data": data}).json()
    assert body["module_status"]["inner_doodling"]["completion_data"] == data


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"completion_data": {"note": "a\\u0000b"}}', "completion_data.note"),
        ('{"completion_data": {"extra": ["ok", "a\\u0000b"]}}', "completion_data.extra.1"),
        ('{"completion_data": {"extra": {"text": "\\ud800"}}}', "completion_data.extra.text"),
        ('{"completion_data": {"mood": "\\udfff"}}', "completion_data.mood"),
        ('{"completion_data": {"extra": 1e400}}', "completion_data.extra"),
        ('{"completion_data": {"a\\u0000b": 1}}', "completion_data.'a\\x00b'"),
    ],
)
def test_it_answers_400_for_what_jsonb_cannot_store(api_as, owner, conversation, raw, field):
    response = post_raw(api_as(owner), complete_url(conversation.pk, "emotion_labeling"), raw)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert not ModuleCompletion.objects.exists()
    conversation.refresh_from_db()
    assert conversation.metadata == {}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"note": "a\x00b"}, "completion_data.note"),
        ({"extra": ["ok", "\ud800"]}, "completion_data.extra.1"),
        ({"extra": float("inf")}, "completion_data.extra"),
        ({"deep": json.loads("[" * 40 + "]" * 40)}, "completion_data.deep"),
    ],
)
def test_it_refuses_unstorable_data_from_callers_other_than_the_api(owner, conversation, data, field):
    """The API's parser refuses these bodies first; pages and seeds reach the service directly."""
    with pytest.raises(ServiceError) as refused:
        services.conversation_module_complete(
            conversation=conversation, user=owner, module_id="emotion_labeling", completion_data=data
        )
    assert field in refused.value.errors
    assert not ModuleCompletion.objects.exists()


def test_it_keeps_a_large_document_within_the_64_kb_bound(api_as, owner, conversation):
    data = {"mood": "Calm", "journal": ["é" * 1000] * 30}  # ~60 KB as sent (non-ASCII kept as UTF-8)
    raw = json.dumps({"completion_data": data}, ensure_ascii=False)
    assert 50 * 1024 < len(raw.encode("utf-8")) < 64 * 1024
    response = post_raw(api_as(owner), complete_url(conversation.pk, "emotion_labeling"), raw)
    assert response.status_code == 200, response.json()
    assert ModuleCompletion.objects.get().completion_data == data


# --- choices match case-insensitively and are stored canonically ------------------------


def test_it_matches_choices_case_insensitively_and_stores_them_canonically(api_as, owner, conversation):
    client = api_as(owner)
    sent = {"completed_steps": ["BREATHING", "Emotion_Naming"], "emotion": "anxious", "intensity": 40}
    body = client.post(complete_url(conversation.pk, "breathing_exercise"), {"completion_data": sent}).json()
    stored = body["module_status"]["breathing_exercise"]["completion_data"]
    assert stored == {"completed_steps": ["breathing", "emotion_naming"], "emotion": "Anxious", "intensity": 40}
    mood = client.post(complete_url(conversation.pk, "emotion_labeling"), {"completion_data": {"mood": "hAPPY"}})
    assert mood.json()["module_status"]["emotion_labeling"]["completion_data"] == {"mood": "Happy"}
    assert sorted(ModuleCompletion.objects.values_list("completion_data", flat=True), key=len) == [
        {"mood": "Happy"},
        stored,
    ]


def test_it_still_refuses_a_choice_that_is_not_one(api_as, owner, conversation):
    response = api_as(owner).post(complete_url(conversation.pk, "emotion_labeling"), {"completion_data": {"mood": 1}})
    assert response.status_code == 400
    assert "completion_data.mood" in response.json()["errors"]


# --- the module is checked before the conversation ----------------------------------------


@pytest.mark.parametrize("route", [complete_url, recommend_url])
def test_it_checks_the_module_before_the_conversation(api_as, owner, outsider, route):
    theirs, _ = services.conversation_get_or_create_active(user=outsider)
    client = api_as(owner)
    for conversation_id in (theirs.pk, theirs.pk + 1000):  # someone else's, and one that does not exist
        response = client.post(route(conversation_id, "meditation"), {"completion_data": {}})
        assert response.status_code == 400
        assert response.json()["detail"] == INVALID_MODULE
        assert "module_id" in response.json()["errors"]


@pytest.mark.parametrize("route", [complete_url, recommend_url])
def test_it_answers_conversation_not_found_for_a_valid_module(api_as, owner, outsider, route):
    theirs, _ = services.conversation_get_or_create_active(user=outsider)
    client = api_as(owner)
    for conversation_id in (theirs.pk, theirs.pk + 1000, 2**63):
        response = client.post(route(conversation_id, "breathing_exercise"), {"completion_data": {}})
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_it_lists_modules_of_an_unknown_conversation_as_not_found(api_as, owner):
    response = api_as(owner).get("/conversations/999999/modules")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


# --- sparse completions everywhere they are read ----------------------------------------


def test_it_reports_and_renders_sparse_completions(api_as, client, owner, conversation):
    api = api_as(owner)
    for module_id in MODULES:
        assert api.post(complete_url(conversation.pk, module_id), {"completion_data": {}}).status_code == 200
    api.post(complete_url(conversation.pk, "breathing_exercise"), {"completion_data": {"emotion": "calm"}})
    api.post(complete_url(conversation.pk, "quick_assessment"), {"completion_data": {"total_questions": 10}})

    report = api.get(f"/api/v1/conversations/{conversation.pk}/report/")
    assert report.status_code == 200, report.json()
    body = report.json()
    assert [point["emotion"] for point in body["breathing_exercise"]["trend"]] == [None, "Calm"]
    assert [point["intensity"] for point in body["breathing_exercise"]["trend"]] == [None, None]
    assert [row["mood"] for row in body["emotion_labeling"]["moods"]] == [None]
    assert [row["total"] for row in body["quick_assessment"]["totals"]] == [0, 0]
    assert body["inner_doodling"]["drawings"] == 0

    client.force_login(owner)
    page = client.get(reverse("chat:report"))
    assert page.status_code == 200
    assert b"None" not in page.content
    for slug in ("breathing", "mood", "doodle", "check-in"):
        done = client.get(reverse("chat:conversation_module", args=[conversation.pk, slug]), {"done": "1"})
        assert done.status_code == 200, slug
        assert b"None" not in done.content, slug
    assert client.get(reverse("chat:detail", args=[conversation.pk])).status_code == 200
