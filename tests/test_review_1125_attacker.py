"""Attacker review of issue 13 (speech practice): defects found through the real interfaces, each a failing test."""

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from myApp.curriculum import services
from myApp.curriculum.models import MilestoneAttempt, SpeechRecording
from tests.milestone_review_helpers import ready_for_milestone
from tests.speech_helpers import upload

pytestmark = pytest.mark.django_db


def stored_names() -> list[str]:
    storage = storages["recordings"]
    folders, files = storage.listdir("")
    names = list(files)
    for folder in folders:
        names += [f"{folder}/{name}" for name in storage.listdir(folder)[1]]
    return names


@pytest.fixture(autouse=True)
def _empty_recordings_storage():
    storage = storages["recordings"]
    for name in stored_names():
        storage.delete(name)


@pytest.fixture
def ready(owner, curriculum, complete_lesson):
    ready_for_milestone(owner, curriculum, complete_lesson)
    return curriculum.level


def recorded_attempt(user, level) -> MilestoneAttempt:
    return services.milestone_submit(user=user, level=level, rubric_scores={"clarity": 70}, audio=upload())


def test_deleting_a_level_in_the_admin_deletes_its_milestone_recordings_audio_files(
    staff_client, owner, ready, django_capture_on_commit_callbacks
):
    """A level deleted in the admin (content_delete) cascades to its milestone attempts and their SpeechRecording
    rows, but the learners' audio files stay in the recordings storage with no row pointing at them: a learner's
    voice kept for ever, which no erasure can find any more (the recordings admin and the erasure delete files
    through ``speech.recordings_delete``; the cascade does not)."""
    attempt = recorded_attempt(owner, ready)
    recording = SpeechRecording.objects.get(milestone_attempt=attempt)
    assert stored_names() == [recording.audio.name]

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/admin/curriculum/level/{ready.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302, response.content[:500]
    assert not SpeechRecording.objects.filter(pk=recording.pk).exists()
    assert stored_names() == []


# --- The transcription backend against a loopback server that answers slowly ------------------------------------

TRANSCRIPTIONS = "/v1/audio/transcriptions"
FAKE_WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256)) * 4


def test_a_transcription_server_trickling_its_reply_is_cut_off_at_the_timeout(httpserver):
    """``TRANSCRIPTION_TIMEOUT_SECONDS`` bounds each socket read only (urllib's timeout), not the whole exchange: a
    server that sends its reply a few bytes at a time, each within the timeout, keeps the analysis worker as long
    as it likes (a 2 MB reply at one byte a second is three weeks), and its reply is then taken. Here a 1 second
    timeout and a reply trickled over about 6 seconds: the reply is used instead of the transcription failing."""
    import json
    import threading

    from django.test import override_settings
    from werkzeug import Response

    from myApp.curriculum.speech.transcription import TranscriptionFailed, transcribe

    body = json.dumps({"text": "slowly but surely"}).encode()
    stop = threading.Event()

    def trickle(request):
        def chunks():
            for index in range(0, len(body), 3):
                if stop.wait(0.2):  # 0.2 s between chunks, well under the 1 s timeout; about 6 s in all
                    return
                yield body[index : index + 3]

        return Response(chunks(), content_type="application/json", direct_passthrough=True)

    httpserver.expect_request(TRANSCRIPTIONS, method="POST").respond_with_handler(trickle)
    settings = override_settings(
        TRANSCRIPTION_BACKEND="openai",
        TRANSCRIPTION_BASE_URL=httpserver.url_for("/"),
        TRANSCRIPTION_TIMEOUT_SECONDS=1,
    )
    try:
        with settings, pytest.raises(TranscriptionFailed):
            transcribe(FAKE_WAV)
    finally:
        stop.set()


def test_a_transcription_server_redirect_does_not_carry_the_api_key_elsewhere(httpserver):
    """urllib follows a 302 from the transcription server (the POST becomes a GET to wherever it points) and sends
    the ``Authorization: Bearer`` key with it, to any host; the redirected reply is then taken as the transcript.
    Here the server redirects to the same loopback server under another host name (localhost): the key arrives
    there and the transcript comes from it."""
    import json
    from urllib.parse import urlsplit

    from django.test import override_settings
    from werkzeug import Response

    from myApp.curriculum.speech.transcription import TranscriptionFailed, transcribe

    port = urlsplit(httpserver.url_for("/")).port
    seen = []

    def elsewhere(request):
        seen.append((request.host, request.headers.get("Authorization")))
        return Response(json.dumps({"text": "words from another host"}), content_type="application/json")

    httpserver.expect_request(TRANSCRIPTIONS, method="POST").respond_with_response(
        Response(status=302, headers={"Location": f"http://localhost:{port}/collect"})
    )
    httpserver.expect_request("/collect").respond_with_handler(elsewhere)
    settings = override_settings(
        TRANSCRIPTION_BACKEND="openai",
        TRANSCRIPTION_BASE_URL=f"http://127.0.0.1:{port}/",
        TRANSCRIPTION_API_KEY="sk-secret-key",
        TRANSCRIPTION_TIMEOUT_SECONDS=5,
    )
    with settings:
        try:
            result = transcribe(FAKE_WAV)
        except TranscriptionFailed:
            result = None

    assert not any("sk-secret-key" in (auth or "") for _, auth in seen), seen
    assert result is None or result.text != "words from another host"


# --- Upload abuse -------------------------------------------------------------------------------------------------


def test_recorded_uploads_are_rate_limited_below_the_general_api_rate(api_as, owner):
    """Every recording costs an ffmpeg run (up to 90 s of CPU) and up to ~10 MB of disk (five minutes of 16 kHz
    WAV), kept with no quota; yet uploads have no throttle of their own, only the general 600 requests a minute.
    One learner can store 61 recordings in a minute (here in a few seconds) through the amphitheatre API: at
    600 a minute that is ~5 GB of audio a minute. A dedicated, much lower rate (the chat has 30/minute) should
    refuse some of these with 429."""
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.speech_helpers import talk_webm

    client = api_as(owner)
    session = client.post("/api/v1/amphitheatre-sessions/hub/").json()
    statuses = []
    for _ in range(61):
        response = client.post(
            f"/api/v1/amphitheatre-sessions/{session['id']}/submit/",
            {
                "exercise_key": "impromptu",
                "scores": json.dumps({"clarity": 60}),
                "audio": SimpleUploadedFile("talk.webm", talk_webm(), content_type="audio/webm"),
            },
            format="multipart",
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            break

    assert set(statuses) <= {201, 429}, statuses
    assert 429 in statuses, f"{statuses.count(201)} recordings stored in a row, none refused"
    assert SpeechRecording.objects.filter(user=owner).count() <= 60


def test_the_progress_page_measures_only_the_recordings_it_shows(client, owner, monkeypatch):
    """The progress page shows the last ``PROGRESS_SHOWN`` (100) analysed recordings but derives the language
    measures (a parse of up to 20,000 characters of transcript each) for every analysed recording the learner
    ever made, then drops all but 100: with uploads unthrottled, a learner with thousands of transcribed
    recordings makes each page load cost seconds of CPU. Here 130 analysed recordings: 130 parses for 100 shown."""
    from myApp.curriculum.models import AnalysisStatus
    from myApp.curriculum.speech import language
    from myApp.curriculum.views import speech as speech_views

    SpeechRecording.objects.bulk_create(
        [
            SpeechRecording(
                user=owner,
                purpose="amphitheatre",
                audio=f"{owner.pk}/fake-{index}.wav",
                source_format="wav",
                source_bytes=1000,
                duration_seconds=60.0,
                transcript="Um, so, bridges connect people and places. " * 5,
                transcript_source="learner",
                analysis_status=AnalysisStatus.COMPLETED,
                acoustic={"speaking_seconds": 50.0, "pauses_per_minute": 8.0, "longest_pause_seconds": 1.0},
            )
            for index in range(speech_views.PROGRESS_SHOWN + 30)
        ]
    )
    calls = []
    measure = language.measure
    monkeypatch.setattr(language, "measure", lambda *args, **kwargs: calls.append(1) or measure(*args, **kwargs))
    client.force_login(owner)

    response = client.get("/learn/speech/")

    assert response.status_code == 200
    assert len(calls) <= speech_views.PROGRESS_SHOWN, f"{len(calls)} transcripts parsed for 100 shown"


# --- The amphitheatre API's multipart submission (the recording path) ---------------------------------------------


def test_a_multipart_amphitheatre_submission_keeps_the_scores_sent_as_a_json_string(api_as, owner):
    """The schema says: with a recorded talk (multipart), send ``scores`` as a JSON string. DRF's DictField reads
    a form body as ``scores.<name>`` keys (``parse_html_dict``) before ``ScoresField.to_internal_value`` is ever
    given the string, so the JSON string is ignored and the exercise is stored with no scores at all (201, and
    ``"scores": {}``): the learner's self-assessment of every recorded exercise is lost, and no ExerciseAttempt
    joins their history."""
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    from myApp.curriculum.models import AmphitheatreExerciseRecord, ExerciseAttempt
    from tests.speech_helpers import talk_webm

    client = api_as(owner)
    session = client.post("/api/v1/amphitheatre-sessions/hub/").json()

    response = client.post(
        f"/api/v1/amphitheatre-sessions/{session['id']}/submit/",
        {
            "exercise_key": "impromptu",
            "scores": json.dumps({"clarity": 60, "confidence": 80}),
            "audio": SimpleUploadedFile("talk.webm", talk_webm(), content_type="audio/webm"),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.content
    assert response.json()["scores"] == {"clarity": 60, "confidence": 80}
    record = AmphitheatreExerciseRecord.objects.get(pk=response.json()["id"])
    assert record.scores == {"clarity": 60, "confidence": 80}
    assert ExerciseAttempt.objects.filter(amphitheatre_record=record, score=70).exists()


# --- Intake -------------------------------------------------------------------------------------------------------


def test_an_ogg_cut_inside_its_last_page_is_refused_as_incomplete():
    """The OGG check looks only at the last page's header flag: a file cut inside its final page (the upload lost
    its last bytes) still has that page's header, marked end-of-stream, so it passes as complete, and the
    half-duration rule lets the shorter decode through; the talk is kept and measured without its end. The
    page's own segment table says how many bytes it holds: fewer present means the file was cut."""
    from myApp.curriculum.speech import intake
    from myApp.lib.exceptions import ServiceError
    from tests import speech_audio

    content = speech_audio.convert(speech_audio.speak("Good evening everyone. Tonight I talk about bridges."), "ogg")
    last_page = content.rfind(b"OggS")
    assert content[last_page + 5] & 0x04  # the end-of-stream page
    cut = content[:-100]
    assert cut.rfind(b"OggS") == last_page  # its header is still there, its body is not

    with pytest.raises(ServiceError) as refused:
        intake.normalise(SimpleUploadedFile("talk.ogg", cut, content_type="audio/ogg"))

    assert "incomplete" in refused.value.errors["audio"][0]


# --- A run that died -----------------------------------------------------------------------------------------------


def test_the_feedback_page_offers_to_run_again_an_analysis_abandoned_by_a_dead_worker(client, owner):
    """A worker killed mid-analysis leaves the recording *processing*; after ``ABANDONED_AFTER`` the service
    lets the owner run it again (``_reopen``), and nothing else ever will (no sweeper re-queues it). But the
    feedback page shows the "Analyse again" button only for a *failed* analysis: an abandoned one reads
    "Processing…" and refreshes itself every 3 seconds for ever, and a milestone attempt's recording keeps its
    attempt awaiting measures (never decided, never rewarded). The page should offer the button (and the POST
    works, since the service accepts it)."""
    import datetime

    from django.utils import timezone

    from myApp.curriculum.models import AnalysisStatus
    from myApp.curriculum.services.speech import ABANDONED_AFTER
    from tests.speech_helpers import amphitheatre_recording

    recording = amphitheatre_recording(owner)
    SpeechRecording.objects.filter(pk=recording.pk).update(
        analysis_status=AnalysisStatus.PROCESSING,
        analysis_claimed_at=timezone.now() - ABANDONED_AFTER - datetime.timedelta(minutes=1),
    )
    client.force_login(owner)

    page = client.get(f"/learn/recordings/{recording.pk}/")

    assert page.status_code == 200
    assert b'data-testid="reanalyse"' in page.content, "an abandoned analysis offers no way to run it again"


def test_a_recording_pending_for_a_day_can_be_queued_again(api_as, owner):
    """The analysis is queued once, on commit. If that job is lost (the RQ worker's Redis restarted or flushed,
    the task table cleaned, an enqueue that failed after the commit), the recording stays *pending* for ever:
    ``_reopen`` accepts only a failed or an abandoned *processing* run, so the owner's "reanalyse" answers 409
    ("The analysis is pending") a day later just as a second after, and a milestone attempt waits for ever."""
    import datetime

    from django.utils import timezone

    from myApp.curriculum.models import AnalysisStatus
    from tests.speech_helpers import amphitheatre_recording

    recording = amphitheatre_recording(owner)
    SpeechRecording.objects.filter(pk=recording.pk).update(
        analysis_status=AnalysisStatus.PENDING, created_at=timezone.now() - datetime.timedelta(days=1)
    )

    response = api_as(owner).post(f"/api/v1/recordings/{recording.pk}/reanalyse/")

    assert response.status_code == 202, response.content


@pytest.mark.parametrize("parent", ["amphitheatresession", "amphitheatreexerciserecord", "milestoneattempt"])
def test_deleting_a_recordings_parent_in_the_admin_deletes_its_audio_file(
    staff_client, owner, ready, django_capture_on_commit_callbacks, parent
):
    """The learner-state admins keep the delete permission ("so deleting a user keeps working"): staff deleting an
    amphitheatre visit, an exercise record or a milestone attempt cascade to its SpeechRecording row and leave the
    audio file in the recordings storage, unreachable and never erased."""
    from tests.speech_helpers import amphitheatre_recording

    if parent == "milestoneattempt":
        recording = SpeechRecording.objects.get(milestone_attempt=recorded_attempt(owner, ready))
        pk = recording.milestone_attempt_id
    else:
        recording = amphitheatre_recording(owner)
        record = recording.amphitheatre_record
        pk = record.session_id if parent == "amphitheatresession" else record.pk
    assert stored_names() == [recording.audio.name]

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/admin/curriculum/{parent}/{pk}/delete/", {"post": "yes"})

    assert response.status_code == 302, response.content[:500]
    assert not SpeechRecording.objects.filter(pk=recording.pk).exists()
    assert stored_names() == []
