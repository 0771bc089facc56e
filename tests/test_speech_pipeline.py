"""The recording pipeline: keep the converted talk, analyse it once in the background, recover from failures."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from myApp.accounts.services import data_rights as data_rights_services
from myApp.curriculum import services as curriculum_services
from myApp.curriculum import speech_selectors
from myApp.curriculum.models import AmphitheatreExerciseRecord, SpeechRecording
from myApp.curriculum.services import milestones
from myApp.curriculum.services import speech as speech_services
from myApp.curriculum.speech import acoustics
from myApp.lib.exceptions import Conflict, NotAllowed, ServiceError
from tests import speech_audio
from tests.concurrency import race
from tests.speech_helpers import amphitheatre_recording, analysed_recording, talk_wav, upload


def stored_names() -> list[str]:
    storage = storages["recordings"]
    folders, files = storage.listdir("")
    names = list(files)
    for folder in folders:
        names += [f"{folder}/{name}" for name in storage.listdir(folder)[1]]
    return names


@pytest.fixture(autouse=True)
def _empty_recordings_storage():
    """The test settings' in-memory storage lives as long as the process: each test starts with none."""
    storage = storages["recordings"]
    for name in stored_names():
        storage.delete(name)


# --- Keeping the recording ------------------------------------------------------------------------------------------


def test_it_keeps_the_talk_as_16k_mono_wav_under_a_random_name_in_the_learners_folder(owner):
    recording = amphitheatre_recording(owner, topic="Why bridges matter")

    assert re.fullmatch(rf"{owner.pk}/[0-9a-f]{{32}}\.wav", recording.audio.name)
    assert "my talk" not in recording.audio.name
    with recording.audio.open("rb") as stored:
        wav = stored.read()
    assert speech_audio.duration(wav) == pytest.approx(speech_audio.duration(talk_wav()), abs=0.1)
    assert recording.source_format == "webm"
    assert recording.duration_seconds == pytest.approx(speech_audio.duration(talk_wav()), abs=0.1)
    assert recording.topic == "Why bridges matter"
    assert recording.purpose == "amphitheatre"
    assert recording.analysis_status == "pending"
    assert stored_names() == [recording.audio.name]


def test_it_keeps_nothing_from_a_refused_upload(owner):
    session, _ = curriculum_services.amphitheatre_hub(user=owner)

    with pytest.raises(ServiceError) as refused:
        curriculum_services.amphitheatre_submit(
            user=owner,
            session=session,
            exercise_key="impromptu",
            scores={"clarity": 70},
            audio=upload(b"RIFF\x00\x00\x00\x00WAVE" + b"not audio at all" * 100, name="talk.wav"),
        )

    assert refused.value.status_code == 400
    assert refused.value.errors["audio"]
    assert SpeechRecording.objects.count() == 0
    assert AmphitheatreExerciseRecord.objects.count() == 0
    assert stored_names() == []


def test_it_removes_the_file_when_the_row_cannot_be_written(owner, monkeypatch):
    def broken_save(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(SpeechRecording, "save", broken_save)

    with pytest.raises(RuntimeError):
        amphitheatre_recording(owner)

    assert stored_names() == []


def test_it_refuses_a_recording_for_someone_elses_exercise(owner, outsider):
    recording = amphitheatre_recording(owner)

    with pytest.raises(NotAllowed):
        speech_services.recording_create(
            user=outsider, upload=upload(), purpose="amphitheatre", amphitheatre_record=recording.amphitheatre_record
        )


def test_it_queues_the_analysis_only_once_the_submission_commits(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recording = amphitheatre_recording(owner)

    assert len(callbacks) == 1
    recording.refresh_from_db()
    assert recording.analysis_status == "pending"  # nothing ran inside the transaction


# --- The analysis -----------------------------------------------------------------------------------------------


def test_it_stores_the_acoustic_measures_when_the_analysis_runs(owner, django_capture_on_commit_callbacks):
    recording = analysed_recording(owner, django_capture_on_commit_callbacks)

    assert recording.analysis_status == "completed"
    assert recording.analysed_at is not None
    assert recording.acoustic["version"] == 1
    assert recording.acoustic["pause_count"] == 2  # the two inserted one-second pauses
    assert recording.acoustic["speaking_seconds"] > 2
    assert recording.transcript == "" and recording.transcription_error == ""  # the `none` backend


def test_it_skips_a_recording_already_analysed(owner, django_capture_on_commit_callbacks):
    recording = analysed_recording(owner, django_capture_on_commit_callbacks)

    outcome = speech_services.recording_analyse(recording_id=recording.pk)

    assert outcome.result == "skipped"


@pytest.mark.django_db
def test_it_skips_a_recording_that_no_longer_exists():
    assert speech_services.recording_analyse(recording_id=2**31 - 1).result == "skipped"


def test_it_leaves_a_fresh_claim_alone_and_retakes_an_abandoned_one(owner):
    recording = amphitheatre_recording(owner)
    fresh = timezone.now() - datetime.timedelta(minutes=1)
    SpeechRecording.objects.filter(pk=recording.pk).update(analysis_status="processing", analysis_claimed_at=fresh)

    assert speech_services.recording_analyse(recording_id=recording.pk).result == "skipped"

    abandoned = timezone.now() - speech_services.ABANDONED_AFTER - datetime.timedelta(seconds=1)
    SpeechRecording.objects.filter(pk=recording.pk).update(analysis_claimed_at=abandoned)

    assert speech_services.recording_analyse(recording_id=recording.pk).result == "completed"
    recording.refresh_from_db()
    assert recording.analysis_status == "completed" and recording.acoustic["pause_count"] == 2


def test_it_drops_the_results_of_a_run_whose_claim_was_taken_over(owner, monkeypatch):
    recording = amphitheatre_recording(owner)
    measure = acoustics.measure

    def slow_measure(wav):
        # While this run measures, it is taken for dead and another worker claims the recording.
        SpeechRecording.objects.filter(pk=recording.pk).update(analysis_claimed_at=timezone.now())
        return {**measure(wav), "pause_count": 99}

    monkeypatch.setattr(acoustics, "measure", slow_measure)

    outcome = speech_services.recording_analyse(recording_id=recording.pk)

    assert outcome.result == "stale"
    recording.refresh_from_db()
    assert recording.analysis_status == "processing"  # still the other run's
    assert recording.acoustic == {}


def test_it_records_a_failure_and_runs_it_again_when_asked(owner, django_capture_on_commit_callbacks):
    recording = amphitheatre_recording(owner)
    storage = storages["recordings"]
    good = storage.open(recording.audio.name).read()
    storage.delete(recording.audio.name)
    storage.save(recording.audio.name, ContentFile(b"RIFF but not a WAV"))

    outcome = speech_services.recording_analyse(recording_id=recording.pk)

    assert outcome.result == "failed"
    recording.refresh_from_db()
    assert recording.analysis_status == "failed" and recording.analysis_error
    assert recording.acoustic == {}

    storage.delete(recording.audio.name)
    storage.save(recording.audio.name, ContentFile(good))
    with django_capture_on_commit_callbacks(execute=True):
        speech_services.recording_reanalyse(user=owner, recording=recording)

    recording.refresh_from_db()
    assert recording.analysis_status == "completed" and recording.analysis_error == ""
    assert recording.acoustic["pause_count"] == 2


def test_it_refuses_to_run_again_an_analysis_that_did_not_fail(owner, outsider, django_capture_on_commit_callbacks):
    recording = analysed_recording(owner, django_capture_on_commit_callbacks)

    with pytest.raises(Conflict):
        speech_services.recording_reanalyse(user=owner, recording=recording)
    with pytest.raises(NotAllowed):
        speech_services.recording_reanalyse(user=outsider, recording=recording)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_analyses_a_recording_once_when_two_workers_race_for_it(owner, monkeypatch):
    recording = amphitheatre_recording(owner)  # committed: its queued analysis ran at once (ImmediateBackend)
    SpeechRecording.objects.filter(pk=recording.pk).update(analysis_status="pending", acoustic={}, analysed_at=None)
    runs = []
    measure = acoustics.measure

    def counted(wav):
        runs.append(1)
        return measure(wav)

    monkeypatch.setattr(acoustics, "measure", counted)

    outcomes = race(*[lambda: speech_services.recording_analyse(recording_id=recording.pk)] * 2)

    assert sorted(outcome.result for outcome in outcomes) == ["completed", "skipped"]
    assert len(runs) == 1
    recording.refresh_from_db()
    assert recording.analysis_status == "completed"


# --- The transcript -----------------------------------------------------------------------------------------------


def test_it_keeps_the_learners_transcript_without_timings(owner):
    recording = amphitheatre_recording(owner)
    SpeechRecording.objects.filter(pk=recording.pk).update(
        transcript="auto", transcript_source="backend", transcript_words=[{"word": "auto", "start": 0, "end": 1}]
    )

    recording = speech_services.recording_set_transcript(
        user=owner, recording=recording, transcript="  Um, so, bridges connect people.  "
    )

    assert recording.transcript == "Um, so, bridges connect people."
    assert recording.transcript_source == "learner" and recording.transcript_words == []
    assert speech_selectors.language_measures(recording)["filler_count"] >= 1

    cleared = speech_services.recording_set_transcript(user=owner, recording=recording, transcript="")
    assert cleared.transcript_source == "" and speech_selectors.language_measures(cleared) is None


@pytest.mark.parametrize(
    ("transcript", "problem"),
    [("x" * 20_001, "20,000"), ("nul \x00 byte", "NUL"), ({"nested": "json"}, "text")],
    ids=["too-long", "nul", "not-text"],
)
def test_it_refuses_a_bad_transcript(owner, transcript, problem):
    recording = amphitheatre_recording(owner)

    with pytest.raises(ServiceError) as refused:
        speech_services.recording_set_transcript(user=owner, recording=recording, transcript=transcript)

    assert refused.value.status_code == 400
    assert problem in refused.value.errors["transcript"][0]


def test_it_lets_only_the_owner_set_the_transcript(owner, outsider):
    recording = amphitheatre_recording(owner)

    with pytest.raises(NotAllowed):
        speech_services.recording_set_transcript(user=outsider, recording=recording, transcript="mine now")
    recording.refresh_from_db()
    assert recording.transcript == ""


# --- A milestone attempt's recording ------------------------------------------------------------------------------


def test_it_asks_the_milestone_service_to_decide_the_attempt_once_analysed(
    owner, curriculum, complete_lesson, monkeypatch, django_capture_on_commit_callbacks
):
    curriculum_services.curriculum_start(user=owner)
    for lesson in [*curriculum.lessons_a, *curriculum.lessons_b]:
        complete_lesson(owner, lesson)
    attempt = curriculum_services.milestone_submit(
        user=owner, level=curriculum.level, rubric_scores={"clarity": 80}, audio_url="https://example.com/a.mp3"
    )
    decided = []
    monkeypatch.setattr(milestones, "milestone_decide", lambda *, attempt_id: decided.append(attempt_id))

    with django_capture_on_commit_callbacks(execute=True):
        recording = speech_services.recording_create(
            user=owner, upload=upload(), purpose="milestone", milestone_attempt=attempt
        )

    recording.refresh_from_db()
    assert recording.analysis_status == "completed"
    assert decided == [attempt.pk]

    # A failed analysis decides the attempt too, on what is known without the measures.
    SpeechRecording.objects.filter(pk=recording.pk).update(analysis_status="pending")
    storages["recordings"].delete(recording.audio.name)
    storages["recordings"].save(recording.audio.name, ContentFile(b"not a wav"))

    assert speech_services.recording_analyse(recording_id=recording.pk).result == "failed"
    assert decided == [attempt.pk, attempt.pk]


# --- Progress ---------------------------------------------------------------------------------------------------


def test_it_reads_the_progress_series_in_one_query_oldest_first(
    owner, outsider, django_capture_on_commit_callbacks, django_assert_num_queries
):
    first = analysed_recording(owner, django_capture_on_commit_callbacks)
    speech_services.recording_set_transcript(
        user=owner, recording=first, transcript="Um, good evening everyone. Tonight, uh, bridges."
    )
    analysed_recording(outsider, django_capture_on_commit_callbacks)
    amphitheatre_recording(owner)  # pending: not in the series

    with django_assert_num_queries(1):
        one = speech_selectors.recording_progress_owned_by(user=owner)
    second = analysed_recording(owner, django_capture_on_commit_callbacks)
    with django_assert_num_queries(1):
        two = speech_selectors.recording_progress_owned_by(user=owner)

    assert [point["recording_id"] for point in one] == [first.pk]
    assert [point["recording_id"] for point in two] == [first.pk, second.pk]
    assert two[0]["fillers_per_minute"] > 0 and two[0]["words_per_minute"] > 0
    assert two[1]["words_per_minute"] is None  # no transcript
    assert two[1]["pauses_per_minute"] > 0 and two[1]["longest_pause_seconds"] >= 0.9


# --- Data rights --------------------------------------------------------------------------------------------------


def test_it_exports_the_recordings_details_and_measures_but_not_the_audio(owner, django_capture_on_commit_callbacks):
    import json

    recording = analysed_recording(owner, django_capture_on_commit_callbacks)

    document = json.loads(b"".join(data_rights_services.export_stream(user=owner)))

    (row,) = document["data"]["curriculum.SpeechRecording"]
    assert row["id"] == recording.pk and row["acoustic"]["pause_count"] == 2
    assert "audio" not in row


def test_it_erases_the_recordings_rows_and_files(owner, outsider, staff, django_capture_on_commit_callbacks):
    mine = amphitheatre_recording(owner)
    theirs = amphitheatre_recording(outsider)

    with django_capture_on_commit_callbacks(execute=True):
        data_rights_services.account_erase(user=owner, by=staff)

    assert not SpeechRecording.objects.filter(pk=mine.pk).exists()
    assert stored_names() == [theirs.audio.name]


def test_erasure_also_deletes_a_file_whose_row_was_rolled_back(
    owner, outsider, staff, django_capture_on_commit_callbacks
):
    """A submission whose transaction rolled back after the file was written leaves a file with no row: erasing
    the account deletes it too (everything in the learner's folder), and nobody else's."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    theirs = amphitheatre_recording(outsider)
    storages["recordings"].save(f"{owner.pk}/left-behind.wav", ContentFile(b"RIFF"))

    with django_capture_on_commit_callbacks(execute=True):
        data_rights_services.account_erase(user=owner, by=staff)

    assert stored_names() == [theirs.audio.name]
