"""Review 1125 fixes: an amphitheatre submission's JSON fields read the same in JSON and multipart bodies, and an
OGG cut inside a page (even its last, end-of-stream one) is refused as incomplete."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from myApp.curriculum.models import AmphitheatreExerciseRecord
from myApp.curriculum.speech import intake
from myApp.lib.exceptions import ServiceError
from tests import speech_audio

pytestmark = pytest.mark.django_db

SENTENCE = "Good evening everyone. Tonight I talk about bridges, and why they stand."


def submit(client, body, fmt="multipart"):
    session = client.post("/api/v1/amphitheatre-sessions/hub/").json()
    return client.post(f"/api/v1/amphitheatre-sessions/{session['id']}/submit/", body, format=fmt)


def test_a_multipart_submission_keeps_the_markers_sent_as_a_json_string(api_as, owner):
    markers = [{"t_ms": 4200, "label": "filler: um"}, {"t_ms": 9100, "label": "pause"}]
    response = submit(
        api_as(owner),
        {"exercise_key": "warm_up", "scores": json.dumps({"clarity": 60}), "markers": json.dumps(markers)},
    )

    assert response.status_code == 201, response.content
    assert response.json()["markers"] == markers
    assert AmphitheatreExerciseRecord.objects.get(pk=response.json()["id"]).markers == markers


def test_a_json_submission_still_takes_objects_and_lists(api_as, owner):
    response = submit(
        api_as(owner),
        {"exercise_key": "warm_up", "scores": {"clarity": 50, "pace": 70}, "markers": [{"t_ms": 1}]},
        fmt="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["scores"] == {"clarity": 50, "pace": 70}
    assert response.json()["markers"] == [{"t_ms": 1}]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"scores": "{not json"}, "scores", "Send a JSON object."),
        ({"scores": json.dumps([60, 80])}, "scores", "Send a JSON object."),
        ({"scores": ""}, "scores", "Send a JSON object."),
        ({"scores": json.dumps({"clarity": 60}), "markers": json.dumps({"t_ms": 1})}, "markers", "Send a JSON list."),
        ({"scores": json.dumps({"clarity": 60}), "markers": "[1,"}, "markers", "Send a JSON list."),
    ],
)
def test_a_multipart_submission_with_bad_json_is_refused_by_field(api_as, owner, body, field, message):
    response = submit(api_as(owner), {"exercise_key": "warm_up", **body})

    assert response.status_code == 400, response.content
    assert response.json()["errors"][field] == [message]
    assert not AmphitheatreExerciseRecord.objects.exists()


def test_a_multipart_score_out_of_range_is_refused_by_criterion(api_as, owner):
    response = submit(api_as(owner), {"exercise_key": "warm_up", "scores": json.dumps({"clarity": 101})})

    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"scores.clarity": ["Ensure this value is less than or equal to 100."]}
    assert not AmphitheatreExerciseRecord.objects.exists()


def test_the_schema_documents_the_scores_as_an_object_of_bounded_integers():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    scores = schema["components"]["schemas"]["AmphitheatreSubmitRequest"]["properties"]["scores"]
    assert scores["type"] == "object"
    assert scores["additionalProperties"] == {"type": "integer", "maximum": 100, "minimum": 0}


# --- OGG truncation ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ogg() -> bytes:
    return speech_audio.convert(speech_audio.speak(SENTENCE), "ogg")


def refusal(content: bytes) -> str:
    with pytest.raises(ServiceError) as refused:
        intake.normalise(SimpleUploadedFile("talk.ogg", content, content_type="audio/ogg"))
    return refused.value.errors["audio"][0]


@pytest.mark.parametrize("keep", [1, 27, 28, -1])
def test_an_ogg_cut_inside_its_last_pages_header_or_body_is_incomplete(ogg, keep):
    last_page = ogg.rfind(b"OggS")
    cut = ogg[: last_page + keep] if keep > 0 else ogg[:keep]

    assert "incomplete" in refusal(cut)


def test_an_ogg_cut_inside_an_earlier_page_is_incomplete(ogg):
    middle = ogg.find(b"OggS", len(ogg) // 2)
    assert 0 < middle < ogg.rfind(b"OggS")  # a page in the middle, not the last one

    assert "incomplete" in refusal(ogg[: middle + 40])


def test_a_whole_ogg_is_accepted_even_with_bytes_after_its_last_page(ogg):
    result = intake.normalise(SimpleUploadedFile("talk.ogg", ogg + b"\x00" * 64, content_type="audio/ogg"))

    assert result.source_format == "ogg" and result.duration_seconds > 2
