"""JSON bodies are bounded in one place: nesting depth, NUL characters, NaN, for the API, the seed routes,
multipart fields carrying JSON, page forms and the admin."""

import json

import pytest

from myApp.lib import json_input
from myApp.sessions import services as chat_services
from myApp.sessions.models import Conversation, ModuleCompletion

DEPTH_MESSAGE = f"JSON is nested too deeply (at most {json_input.MAX_DEPTH} levels)."


def nested(depth: int, leaf: str = "1") -> str:
    return "[" * depth + leaf + "]" * depth


def test_it_accepts_the_limit_and_refuses_one_level_more():
    assert json_input.loads(nested(json_input.MAX_DEPTH)) is not None
    with pytest.raises(json_input.JSONInputError, match="nested too deeply"):
        json_input.loads(nested(json_input.MAX_DEPTH + 1))
    with pytest.raises(json_input.JSONInputError, match="nested too deeply"):
        json_input.loads('{"a":' * 40 + "1" + "}" * 40)


@pytest.mark.parametrize("text", [nested(10_000), nested(200_000)])
def test_it_never_raises_recursion_error(text):
    with pytest.raises(ValueError):
        json_input.loads(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"note": "a\\u0000b"}', "NUL"),
        ('{"a\\u0000": 1}', "NUL"),
        ('[["\\u0000"]]', "NUL"),
        ('{"note": "\\ud800"}', "no lone surrogates"),
        ('{"intensity": 1e400}', "Numbers must be finite"),
        ('{"intensity": NaN}', "NaN is not a JSON number"),
        ("[Infinity]", "Infinity is not a JSON number"),
    ],
)
def test_it_refuses_nul_characters_and_non_numbers(text, message):
    with pytest.raises(json_input.JSONInputError, match=message):
        json_input.loads(text)


def post_raw(client, url: str, body: str):
    return client.generic("POST", url, body, content_type="application/json")


def test_it_answers_400_naming_the_limit_to_an_anonymous_deep_body(anon_api, db):
    response = post_raw(anon_api, "/api/v1/auth/token/", nested(10_000))
    assert response.status_code == 400
    assert response.json() == {"detail": DEPTH_MESSAGE, "errors": {}}


@pytest.mark.parametrize(
    ("url", "field"),
    [("/api/v1/lesson-sessions/", "lesson"), ("/api/v1/milestones/", "level"), ("/api/chat", "message")],
)
def test_it_answers_400_for_a_deep_value_in_a_field(api_as, owner, url, field):
    body = f'{{"{field}": {nested(500)}}}'
    response = post_raw(api_as(owner), url, body)
    assert response.status_code == 400
    assert response.json()["detail"] == DEPTH_MESSAGE


def test_it_bounds_the_seed_000_route_and_stores_nothing(api_as, owner):
    conversation = chat_services.conversation_create(user=owner)
    url = f"/conversations/{conversation.pk}/modules/breathing_exercise/complete"
    client = api_as(owner)
    for body in (
        f'{{"completion_data": {{"deep": {nested(20_000)}}}}}',
        '{"completion_data": {"note": "x\\u0000y"}}',
        '{"completion_data": {"intensity": NaN}}',
    ):
        response = post_raw(client, url, body)
        assert response.status_code == 400, body[:80]
        assert set(response.json()) == {"detail", "errors"}
    assert not ModuleCompletion.objects.exists()
    assert Conversation.objects.get(pk=conversation.pk).module_status == {}


def test_it_bounds_json_inside_a_multipart_milestone(api_as, owner, curriculum):
    response = api_as(owner).post(
        "/api/v1/milestones/",
        {"level": curriculum.level.pk, "audio_url": "https://example.com/a.mp3", "rubric_scores": nested(5_000)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "rubric_scores" in response.json()["errors"]


def test_it_shows_a_form_error_for_a_deep_doodle_from_the_page(client, owner):
    client.force_login(owner)
    response = client.post("/chat/modules/doodle/", {"strokes": nested(20_000)})
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()
    assert not ModuleCompletion.objects.exists()


def test_it_round_trips_ordinary_json(api_as, owner):
    body = json.dumps({"username": "x", "password": "y" * 10})
    response = post_raw(api_as(owner), "/api/v1/auth/token/", body)
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]
