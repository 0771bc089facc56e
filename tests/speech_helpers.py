"""Recorded talks for the pipeline and API tests, made through the real services (amphitheatre submissions)."""

import functools

from django.core.files.uploadedfile import SimpleUploadedFile

from myApp.curriculum import services as curriculum_services
from myApp.curriculum.models import SpeechRecording
from tests import speech_audio

SENTENCES = ("Good evening everyone.", "Tonight I want to talk about bridges.", "They connect people and places.")


@functools.cache
def talk_wav() -> bytes:
    """About six seconds of speech with two inserted one-second pauses."""
    wav, _ = speech_audio.with_pauses(SENTENCES, pause_seconds=1.0)
    return wav


@functools.cache
def talk_webm() -> bytes:
    return speech_audio.convert(talk_wav(), "webm")


def upload(data: bytes | None = None, name: str = "my talk.webm", content_type: str = "audio/webm"):
    return SimpleUploadedFile(name, talk_webm() if data is None else data, content_type=content_type)


def amphitheatre_recording(user, *, data: bytes | None = None, exercise_key: str = "impromptu", topic: str = ""):
    """An amphitheatre exercise submitted with a recording (its analysis queued on commit, not run here)."""
    session, _ = curriculum_services.amphitheatre_hub(user=user)
    record = curriculum_services.amphitheatre_submit(
        user=user,
        session=session,
        exercise_key=exercise_key,
        scores={"clarity": 70},
        audio=upload(data),
        topic=topic,
    )
    return SpeechRecording.objects.get(amphitheatre_record=record)


def analysed_recording(user, django_capture_on_commit_callbacks, **kwargs) -> SpeechRecording:
    """A recording whose analysis ran (the task on commit, the ImmediateBackend of the test settings)."""
    with django_capture_on_commit_callbacks(execute=True):
        recording = amphitheatre_recording(user, **kwargs)
    recording.refresh_from_db()
    return recording
