"""The recordings API and the audio page: the owner's own recordings only (404 for anyone else, staff included)."""

import json

import pytest
from django.core.files.storage import storages
from django.test import Client

from myApp.curriculum.models import SpeechRecording
from tests.speech_helpers import amphitheatre_recording, analysed_recording, talk_webm

LIST = "/api/v1/recordings/"


def detail(recording) -> str:
    return f"{LIST}{recording.pk}/"


def page_audio(recording) -> str:
    return f"/learn/recordings/{recording.pk}/audio.wav"


def stored(recording) -> bytes:
    with storages["recordings"].open(recording.audio.name, "rb") as stored_file:
        return stored_file.read()


@pytest.fixture
def analysed(owner, django_capture_on_commit_callbacks):
    return analysed_recording(owner, django_capture_on_commit_callbacks, topic="Bridges")


def test_it_shows_the_owner_the_recording_with_its_measures(api_as, owner, analysed):
    response = api_as(owner).get(detail(analysed))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == analysed.pk
    assert body["status"] == "completed" and body["status_label"] == "Analysed"
    assert body["topic"] == "Bridges" and body["purpose"] == "amphitheatre"
    assert body["acoustic"]["pause_count"] == 2
    assert body["language"] is None and body["transcript"] == ""
    assert body["links"]["audio"] == f"{detail(analysed)}audio/"
    assert body["amphitheatre_record"] == analysed.amphitheatre_record_id


def test_it_derives_the_language_measures_from_the_transcript_the_owner_sets(api_as, owner, analysed):
    client = api_as(owner)

    response = client.patch(detail(analysed), {"transcript": "Um, tonight, uh, I want to talk about bridges."})

    assert response.status_code == 200
    body = response.json()
    assert body["transcript_source"] == "learner"
    assert body["language"]["filler_count"] == 2
    assert body["language"]["words_per_minute"] > 0
    assert client.get(detail(analysed)).json()["language"]["filler_count"] == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"transcript": "x" * (1024 * 1024)}, "transcript", id="1MB"),
        pytest.param({"transcript": {"nested": {"deeper": ["json"]}}}, "transcript", id="nested"),
        pytest.param({"transcript": ["a", "list"]}, "transcript", id="list"),
        pytest.param({"transcript": "ok", "acoustic": {"pause_count": 0}}, "acoustic", id="read-only-field"),
        pytest.param({}, "transcript", id="missing"),
    ],
)
def test_it_refuses_a_bad_transcript_with_a_field_message(api_as, owner, analysed, body, field):
    response = api_as(owner).patch(detail(analysed), body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    analysed.refresh_from_db()
    assert analysed.transcript == "" and analysed.acoustic["pause_count"] == 2


def test_it_refuses_nul_bytes_in_a_transcript(api_as, owner, analysed):
    response = api_as(owner).patch(
        detail(analysed), data=json.dumps({"transcript": "a\u0000b"}), content_type="application/json"
    )

    assert response.status_code == 400
    analysed.refresh_from_db()
    assert analysed.transcript == ""


@pytest.mark.parametrize("persona", ["outsider", "staff"])
def test_it_hides_the_recording_from_everyone_but_its_owner(api_as, personas, analysed, persona):
    client = api_as(personas[persona])

    assert client.get(detail(analysed)).status_code == 404
    assert client.patch(detail(analysed), {"transcript": "mine"}).status_code == 404
    assert client.post(f"{detail(analysed)}reanalyse/").status_code == 404
    assert client.get(f"{detail(analysed)}audio/").status_code == 404
    assert client.get(LIST).json()["results"] == []
    analysed.refresh_from_db()
    assert analysed.transcript == ""


def test_it_asks_for_a_login(anon_api, analysed):
    assert anon_api.get(detail(analysed)).status_code in (401, 403)
    assert anon_api.get(f"{detail(analysed)}audio/").status_code in (401, 403)


def test_it_runs_again_only_a_failed_analysis(api_as, owner, analysed, django_capture_on_commit_callbacks):
    client = api_as(owner)

    refused = client.post(f"{detail(analysed)}reanalyse/")
    assert refused.status_code == 409
    assert "analysis_status" in refused.json()["errors"]

    SpeechRecording.objects.filter(pk=analysed.pk).update(analysis_status="failed", analysis_error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(f"{detail(analysed)}reanalyse/")

    assert accepted.status_code == 202
    assert accepted.json()["status"] == "pending"
    analysed.refresh_from_db()
    assert analysed.analysis_status == "completed" and analysed.analysis_error == ""


def test_it_lists_the_owners_recordings_newest_first_in_constant_queries(
    api_as, owner, outsider, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client = api_as(owner)
    first = analysed_recording(owner, django_capture_on_commit_callbacks)
    analysed_recording(outsider, django_capture_on_commit_callbacks)
    client.get(LIST)  # the token's first use is recorded once

    with django_assert_max_num_queries(4) as one:
        response = client.get(LIST)
    assert [row["id"] for row in response.json()["results"]] == [first.pk]

    second = amphitheatre_recording(owner)
    third = analysed_recording(owner, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(LIST)
    assert [row["id"] for row in response.json()["results"]] == [third.pk, second.pk, first.pk]


def test_it_gives_the_progress_series_with_the_bands_in_constant_queries(
    api_as, owner, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client = api_as(owner)
    first = analysed_recording(owner, django_capture_on_commit_callbacks)
    client.get(f"{LIST}progress/")

    with django_assert_max_num_queries(3) as one:
        response = client.get(f"{LIST}progress/")
    second = analysed_recording(owner, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(f"{LIST}progress/")

    body = response.json()
    assert [point["recording_id"] for point in body["series"]] == [first.pk, second.pk]
    assert body["series"][0]["pauses_per_minute"] > 0
    assert {band["name"] for band in body["bands"]} >= {"pace", "fillers", "pitch_variety", "pauses"}
    pace = next(band for band in body["bands"] if band["name"] == "pace")
    assert (pace["low"], pace["high"]) == (110, 160)


# --- The audio --------------------------------------------------------------------------------------------------


def test_it_plays_the_audio_to_its_owner_privately(api_as, owner, analysed):
    whole = stored(analysed)
    for get in (
        lambda: _logged_in(owner).get(page_audio(analysed)),
        lambda: api_as(owner).get(f"{detail(analysed)}audio/", HTTP_ACCEPT="audio/wav"),
        lambda: api_as(owner).get(f"{detail(analysed)}audio/"),
    ):
        response = get()
        assert response.status_code == 200
        assert response["Content-Type"] == "audio/wav"
        assert response["Content-Disposition"].startswith("inline")
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == whole


def test_it_answers_a_byte_range(owner, analysed):
    whole = stored(analysed)
    client = _logged_in(owner)

    part = client.get(page_audio(analysed), HTTP_RANGE="bytes=0-43")
    assert part.status_code == 206
    assert part.content == whole[:44] and part["Content-Range"] == f"bytes 0-43/{len(whole)}"

    tail = client.get(page_audio(analysed), HTTP_RANGE="bytes=-100")
    assert tail.status_code == 206 and tail.content == whole[-100:]

    past = client.get(page_audio(analysed), HTTP_RANGE=f"bytes={len(whole)}-")
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{len(whole)}"


@pytest.mark.parametrize("persona", ["outsider", "staff"])
def test_it_plays_the_audio_to_nobody_else(personas, analysed, persona):
    assert _logged_in(personas[persona]).get(page_audio(analysed)).status_code == 404


def test_it_sends_a_visitor_to_log_in(analysed):
    assert Client().get(page_audio(analysed)).status_code == 302


# --- Amphitheatre submissions with a recording ------------------------------------------------------------------


def test_it_takes_a_recording_with_an_amphitheatre_submission_over_the_api(api_as, owner):
    client = api_as(owner)
    session = client.post("/api/v1/amphitheatre-sessions/hub/").json()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/api/v1/amphitheatre-sessions/{session['id']}/submit/",
        {
            "exercise_key": "impromptu",
            "scores": json.dumps({"clarity": 60}),
            "topic": "Bridges",
            "audio": SimpleUploadedFile("talk.webm", talk_webm(), content_type="audio/webm"),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    recording = SpeechRecording.objects.get(pk=response.json()["recording"])
    assert recording.user == owner and recording.topic == "Bridges"
    visits = client.get("/api/v1/amphitheatre-sessions/").json()["results"]
    assert visits[0]["records"][0]["recording"] == recording.pk


def test_it_refuses_bad_audio_in_an_amphitheatre_submission_over_the_api(api_as, owner):
    client = api_as(owner)
    session = client.post("/api/v1/amphitheatre-sessions/hub/").json()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/api/v1/amphitheatre-sessions/{session['id']}/submit/",
        {
            "exercise_key": "impromptu",
            "scores": json.dumps({"clarity": 60}),
            "audio": SimpleUploadedFile("talk.webm", b"\x1a\x45\xdf\xa3 not really", content_type="audio/webm"),
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert "audio" in response.json()["errors"]
    assert SpeechRecording.objects.count() == 0
    assert client.get("/api/v1/amphitheatre-sessions/").json()["results"][0]["records"] == []


def test_it_still_takes_a_json_amphitheatre_submission_without_audio(api_as, owner):
    client = api_as(owner)
    session = client.post("/api/v1/amphitheatre-sessions/hub/").json()

    response = client.post(
        f"/api/v1/amphitheatre-sessions/{session['id']}/submit/",
        {"exercise_key": "warm_up", "scores": {"clarity": 60}},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["recording"] is None


def test_the_amphitheatre_page_keeps_the_recording_and_leaves_the_hub(owner, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import NoReverseMatch, reverse

    client = _logged_in(owner)
    client.post("/learn/amphitheatre/")
    session_id = owner.amphitheatre_sessions.get().pk
    scores = {name: 70 for name in ("clarity", "structure", "pacing", "confidence", "engagement")}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/learn/amphitheatre/{session_id}/submit/",
            {
                "exercise_key": "impromptu",
                "topic": "Bridges",
                "audio": SimpleUploadedFile("talk.webm", talk_webm(), content_type="audio/webm"),
                **scores,
            },
        )

    recording = SpeechRecording.objects.get(user=owner)
    assert recording.topic == "Bridges" and recording.analysis_status == "completed"
    try:
        expected = reverse("curriculum:recording", args=[recording.pk])
    except NoReverseMatch:  # the feedback page comes with the pages' branch
        expected = reverse("curriculum:amphitheatre")
    assert response.status_code == 302 and response["Location"] == expected


def test_the_amphitheatre_page_names_the_problem_with_bad_audio(owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _logged_in(owner)
    client.post("/learn/amphitheatre/")
    session_id = owner.amphitheatre_sessions.get().pk
    scores = {name: 70 for name in ("clarity", "structure", "pacing", "confidence", "engagement")}

    response = client.post(
        f"/learn/amphitheatre/{session_id}/submit/",
        {
            "exercise_key": "impromptu",
            "audio": SimpleUploadedFile("talk.mp3", b"ID3 this is not an mp3", content_type="audio/mpeg"),
            **scores,
        },
    )

    assert response.status_code == 400
    assert response.context["exercises"][1]["form"].errors["audio"]
    assert SpeechRecording.objects.count() == 0


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_lists_finds_and_deletes_recordings_with_their_files(
    staff_client, owner, outsider, django_capture_on_commit_callbacks
):
    mine = amphitheatre_recording(owner)
    amphitheatre_recording(outsider)
    changelist = "/admin/curriculum/speechrecording/"

    found = staff_client.get(changelist, {"q": "owner"})
    assert found.status_code == 200 and found.context["cl"].result_count == 1
    assert staff_client.get(f"{changelist}{mine.pk}/change/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        deleted = staff_client.post(f"{changelist}{mine.pk}/delete/", {"post": "yes"})

    assert deleted.status_code == 302
    assert not SpeechRecording.objects.filter(pk=mine.pk).exists()
    assert not storages["recordings"].exists(mine.audio.name)
