"""The transcription backend against a real HTTP server on loopback speaking the OpenAI-compatible protocol."""

import json
import threading
import time

import pytest
from django.test import override_settings
from werkzeug import Request, Response

from myApp.curriculum import services as curriculum_services
from myApp.curriculum import speech_selectors
from myApp.curriculum.services import speech as speech_services
from myApp.curriculum.speech import transcription
from myApp.curriculum.speech.transcription import Transcription, TranscriptionFailed, transcribe
from tests.speech_helpers import analysed_recording, upload

PATH = "/v1/audio/transcriptions"
# Not a real talk: the backend sends whatever bytes it is given, and the server here only echoes them.
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256)) * 4

WORDS_REPLY = {
    "task": "transcribe",
    "language": "english",
    "duration": 3.2,
    "text": " Um, so today I want to talk about bridges.",
    "words": [
        {"word": "Um", "start": 0.0, "end": 0.31},
        {"word": "so", "start": 0.52, "end": 0.7},
        {"word": "today", "start": 0.7, "end": 1.04},
        {"word": "I", "start": 1.1, "end": 1.2},
        {"word": "want", "start": 1.2, "end": 1.4},
        {"word": "to", "start": 1.4, "end": 1.5},
        {"word": "talk", "start": 1.5, "end": 1.8},
        {"word": "about", "start": 1.8, "end": 2.1},
        {"word": "bridges.", "start": 2.1, "end": 2.7},
    ],
}


def backend(httpserver, **extra):
    values = dict(
        TRANSCRIPTION_BACKEND="openai",
        TRANSCRIPTION_BASE_URL=httpserver.url_for("/"),
        TRANSCRIPTION_API_KEY="sk-test-secret",
        TRANSCRIPTION_MODEL="whisper-test",
        TRANSCRIPTION_LANGUAGE="en",
        TRANSCRIPTION_TIMEOUT_SECONDS=1,
    )
    values.update(extra)
    return override_settings(**values)


class Recorder:
    """A handler that keeps what it received and answers with ``reply``."""

    def __init__(self, reply: dict):
        self.reply = reply
        self.requests: list[dict] = []

    def __call__(self, request: Request) -> Response:
        upload = request.files.get("file")
        self.requests.append(
            {
                "form": request.form.to_dict(flat=False),
                "file": upload.read() if upload else None,
                "filename": upload.filename if upload else None,
                "file_type": upload.content_type if upload else None,
                "auth": request.headers.get("Authorization"),
            }
        )
        return Response(json.dumps(self.reply), status=200, content_type="application/json")


def test_it_transcribes_nothing_with_the_none_backend(httpserver):
    with override_settings(TRANSCRIPTION_BACKEND="none"):
        assert transcribe(WAV) is None
    assert len(httpserver.log) == 0


def test_it_sends_the_wav_and_the_protocols_fields_as_multipart(httpserver):
    server = Recorder(WORDS_REPLY)
    httpserver.expect_request(PATH, method="POST").respond_with_handler(server)

    with backend(httpserver):
        result = transcribe(WAV)

    (sent,) = server.requests
    assert sent["file"] == WAV
    assert sent["filename"] == "recording.wav"
    assert sent["file_type"] == "audio/wav"
    assert sent["form"] == {
        "model": ["whisper-test"],
        "language": ["en"],
        "response_format": ["verbose_json"],
        "timestamp_granularities[]": ["word"],
    }
    assert sent["auth"] == "Bearer sk-test-secret"
    assert result.text == "Um, so today I want to talk about bridges."
    assert result.words[0] == {"word": "Um", "start": 0.0, "end": 0.31}
    assert result.words[-1] == {"word": "bridges.", "start": 2.1, "end": 2.7}
    assert len(result.words) == 9


def test_it_sends_no_authorization_without_a_key(httpserver):
    server = Recorder({"text": "Hello there."})
    httpserver.expect_request(PATH, method="POST").respond_with_handler(server)

    with backend(httpserver, TRANSCRIPTION_API_KEY=""):
        transcribe(WAV)

    assert server.requests[0]["auth"] is None


def test_it_accepts_a_base_url_ending_in_v1(httpserver):
    httpserver.expect_request(PATH, method="POST").respond_with_json({"text": "Hello there."})

    with backend(httpserver, TRANSCRIPTION_BASE_URL=httpserver.url_for("/v1/")):
        assert transcribe(WAV).text == "Hello there."


def test_it_takes_a_text_only_reply_without_timings(httpserver):
    httpserver.expect_request(PATH, method="POST").respond_with_json({"text": "  Just the words.  "})

    with backend(httpserver):
        assert transcribe(WAV) == Transcription(text="Just the words.", words=[])


def test_it_spreads_segment_words_over_their_segment_when_the_server_times_segments_only(httpserver):
    reply = {
        "text": "one two three four five",
        "segments": [
            {"start": 1.0, "end": 2.0, "text": " one two"},
            {"start": 3.0, "end": 4.5, "text": "three four five"},
        ],
    }
    httpserver.expect_request(PATH, method="POST").respond_with_json(reply)

    with backend(httpserver):
        words = transcribe(WAV).words

    assert [word["word"] for word in words] == ["one", "two", "three", "four", "five"]
    assert words[0] == {"word": "one", "start": 1.0, "end": 1.5}
    assert words[1] == {"word": "two", "start": 1.5, "end": 2.0}
    assert words[2] == {"word": "three", "start": 3.0, "end": 3.5}
    assert words[4] == {"word": "five", "start": 4.0, "end": 4.5}


def failing(reason_part: str):
    return pytest.raises(TranscriptionFailed, match=reason_part)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        pytest.param(lambda s: s.respond_with_data("model not loaded", status=500), "HTTP 500", id="http-500"),
        pytest.param(lambda s: s.respond_with_data("no", status=401), "HTTP 401", id="http-401"),
        pytest.param(
            lambda s: s.respond_with_data('{"text": "half', content_type="application/json"),
            "not understood",
            id="garbage-json",
        ),
        pytest.param(lambda s: s.respond_with_data("<html>hi</html>"), "not understood", id="html"),
        pytest.param(lambda s: s.respond_with_json({"error": "busy"}), "not understood", id="no-text"),
        pytest.param(lambda s: s.respond_with_json(["text"]), "not understood", id="not-an-object"),
        pytest.param(
            lambda s: s.respond_with_json({"text": "a", "words": [{"word": "a", "start": "soon", "end": 1}]}),
            "not understood",
            id="bad-word-time",
        ),
        pytest.param(
            lambda s: s.respond_with_json({"text": "a", "words": [{"word": "a", "start": -1, "end": 1}]}),
            "not understood",
            id="negative-time",
        ),
        pytest.param(lambda s: s.respond_with_json({"text": "nul \u0000"}), "not understood", id="nul"),
    ],
)
def test_it_fails_with_a_short_reason_when_the_server_fails(httpserver, answer, reason):
    answer(httpserver.expect_request(PATH, method="POST"))

    with backend(httpserver), failing(reason) as raised:
        transcribe(WAV)

    assert len(httpserver.log) == 1
    assert "sk-test-secret" not in raised.value.reason
    assert "model not loaded" not in raised.value.reason  # the server's own words are not repeated


def test_it_fails_on_a_reply_larger_than_its_bound(httpserver):
    huge = json.dumps({"text": "word " * (transcription.MAX_RESPONSE_BYTES // 5 + 10)})
    assert len(huge) > transcription.MAX_RESPONSE_BYTES
    httpserver.expect_request(PATH, method="POST").respond_with_data(huge, content_type="application/json")

    with backend(httpserver), failing("too large"):
        transcribe(WAV)


def test_it_gives_up_on_a_server_slower_than_the_timeout(httpserver):
    released = threading.Event()

    def slow(request: Request) -> Response:
        released.wait(timeout=5)  # past TRANSCRIPTION_TIMEOUT_SECONDS=1: the client gives up first
        return Response(json.dumps({"text": "late"}), content_type="application/json")

    httpserver.expect_request(PATH, method="POST").respond_with_handler(slow)
    try:
        with backend(httpserver), failing("in time"):
            transcribe(WAV)
    finally:
        released.set()


def test_it_gives_up_on_a_server_trickling_its_reply_past_the_timeout(httpserver):
    released = threading.Event()

    def trickle():
        yield b'{"text": "'
        while not released.wait(timeout=0.2):  # each byte well within the socket timeout, the whole far past it
            yield b"a"
        yield b'"}'

    httpserver.expect_request(PATH, method="POST").respond_with_handler(
        lambda request: Response(trickle(), content_type="application/json")
    )
    started = time.monotonic()
    try:
        with backend(httpserver), failing("in time"):
            transcribe(WAV)
    finally:
        released.set()

    assert time.monotonic() - started < 3


def test_it_fails_when_nobody_listens():
    with (
        override_settings(TRANSCRIPTION_BACKEND="openai", TRANSCRIPTION_BASE_URL="http://127.0.0.1:9"),
        failing("could not be reached"),
    ):
        transcribe(WAV)


# --- Through the analysis of a recording ------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_stores_the_servers_transcript_and_word_timings_with_the_acoustic_measures(
    owner, httpserver, django_capture_on_commit_callbacks
):
    server = Recorder(WORDS_REPLY)
    httpserver.expect_request(PATH, method="POST").respond_with_handler(server)

    with backend(httpserver):
        recording = analysed_recording(owner, django_capture_on_commit_callbacks)

    (sent,) = server.requests
    with recording.audio.open("rb") as stored:
        assert sent["file"] == stored.read()  # the converted 16 kHz WAV, not the upload
    assert recording.analysis_status == "completed"
    assert recording.acoustic["pause_count"] == 2
    assert recording.transcript == "Um, so today I want to talk about bridges."
    assert recording.transcript_source == "backend"
    assert recording.transcript_words[0] == {"word": "Um", "start": 0.0, "end": 0.31}
    assert recording.transcription_error == ""
    fillers = speech_selectors.language_measures(recording)["fillers"]
    assert fillers[0]["text"].lower() == "um" and fillers[0]["time"] == 0.0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(lambda s: s.respond_with_data("overloaded", status=503), id="http-503"),
        pytest.param(lambda s: s.respond_with_data("{nope", content_type="application/json"), id="garbage"),
    ],
)
def test_it_keeps_the_acoustic_feedback_when_transcription_fails(
    owner, httpserver, answer, django_capture_on_commit_callbacks
):
    answer(httpserver.expect_request(PATH, method="POST"))

    with backend(httpserver):
        recording = analysed_recording(owner, django_capture_on_commit_callbacks)

    assert len(httpserver.log) == 1
    assert recording.analysis_status == "completed"
    assert recording.acoustic["pause_count"] == 2 and recording.acoustic["speaking_seconds"] > 2
    assert recording.transcript == "" and recording.transcript_source == ""
    assert recording.transcription_error.startswith("The transcription server")
    assert recording.analysis_error == ""


@pytest.mark.django_db
def test_it_keeps_the_acoustic_feedback_when_the_server_is_too_slow(
    owner, httpserver, django_capture_on_commit_callbacks
):
    released = threading.Event()
    httpserver.expect_request(PATH, method="POST").respond_with_handler(
        lambda request: released.wait(timeout=5) and Response("{}")
    )
    try:
        with backend(httpserver):
            recording = analysed_recording(owner, django_capture_on_commit_callbacks)
    finally:
        released.set()

    assert recording.analysis_status == "completed" and recording.acoustic["pause_count"] == 2
    assert "in time" in recording.transcription_error


@pytest.mark.django_db
def test_it_does_not_send_a_talk_the_learner_transcribed(owner, httpserver, django_capture_on_commit_callbacks):
    httpserver.expect_request(PATH, method="POST").respond_with_json({"text": "server words"})
    session, _ = curriculum_services.amphitheatre_hub(user=owner)

    with backend(httpserver), django_capture_on_commit_callbacks(execute=True):
        record = curriculum_services.amphitheatre_submit(
            user=owner, session=session, exercise_key="impromptu", scores={"clarity": 60}, audio=upload()
        )
        recording = record.recording
        speech_services.recording_set_transcript(user=owner, recording=recording, transcript="My own words.")

    recording.refresh_from_db()
    assert len(httpserver.log) == 0
    assert recording.analysis_status == "completed"
    assert recording.transcript == "My own words." and recording.transcript_source == "learner"
