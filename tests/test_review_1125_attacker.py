"""Attacker review of issue 13 (speech practice): defects found through the real interfaces, each a failing test."""

import pytest
from django.core.files.storage import storages

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
