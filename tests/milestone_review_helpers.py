"""Shared state for the milestone review tests: a teacher of a course the owner is enrolled in, and attempts."""

from django.core.files.base import ContentFile

from myApp.accounts.models import Role
from myApp.curriculum import services
from myApp.curriculum.models import MilestoneAttempt
from myApp.curriculum.models.speech import AnalysisStatus, RecordingPurpose, SpeechRecording
from tests.factories import CourseFactory, UserFactory

GOOD_ACOUSTIC = {
    "version": 1,
    "duration_seconds": 60.0,
    "speaking_seconds": 50.0,
    "pauses_per_minute": 6.0,
    "longest_pause_seconds": 1.2,
    "pitch": {"median_hz": 120.0, "variability_semitones": 3.1, "range_semitones": 9.0, "voiced_seconds": 30.0},
}
FLAT_ACOUSTIC = {**GOOD_ACOUSTIC, "pitch": {**GOOD_ACOUSTIC["pitch"], "variability_semitones": 0.0}}


def teacher_of(learner, *, username: str):
    """A teacher whose course ``learner`` is enrolled in (through the real enrolment service)."""
    teacher = UserFactory(username=username, role=Role.TEACHER)
    course = CourseFactory(teacher=teacher)
    services.course_enroll(user=learner, course=course)
    return teacher


def ready_for_milestone(user, curriculum, complete_lesson) -> None:
    services.curriculum_start(user=user)
    for lesson in curriculum.lessons_a + curriculum.lessons_b:
        complete_lesson(user, lesson)


def linked_attempt(user, level, *, score: int = 50, shared: bool = True) -> MilestoneAttempt:
    attempt = services.milestone_submit(
        user=user, level=level, rubric_scores={"clarity": score}, audio_url="https://a.example/take.wav"
    )
    if shared:
        services.milestone_review_request(user=user, attempt=attempt)
    attempt.refresh_from_db()
    return attempt


def attach_recording(attempt, *, status=AnalysisStatus.PENDING, acoustic=None) -> SpeechRecording:
    """A recording in the state the analysis task leaves it (the pipeline's recording_create makes these; the
    rows here stand for its outcome so the rubric's half can be tested on its own)."""
    recording = SpeechRecording(
        user=attempt.user,
        purpose=RecordingPurpose.MILESTONE,
        milestone_attempt=attempt,
        source_format="wav",
        source_bytes=1000,
        duration_seconds=60.0,
        analysis_status=status,
        acoustic=acoustic or {},
    )
    recording.audio.save("take.wav", ContentFile(b"RIFF0000WAVE"), save=False)
    recording.save()
    return recording


def complete_analysis(recording, acoustic) -> None:
    SpeechRecording.objects.filter(pk=recording.pk).update(analysis_status=AnalysisStatus.COMPLETED, acoustic=acoustic)
