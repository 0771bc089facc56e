"""Reads of recorded talks: a learner's own recordings, the progress series across them, and the one recording a
listener may open (its owner; a teacher reviewing a shared milestone attempt plugs in through ``lib.access``).

What the transcript tells (pace, fillers, repeats, hedges) is derived here whenever it is read
(``language_measures``), from the transcript and the stored acoustic measures, so correcting a transcript never
leaves stale figures behind.
"""

from django.db.models import QuerySet
from django.http import Http404

from myApp.curriculum.models import AnalysisStatus, SpeechRecording
from myApp.lib import access


def recordings() -> QuerySet:
    return SpeechRecording.objects.all()


def recordings_owned_by(*, user) -> QuerySet:
    """The user's own recordings, newest first."""
    return access.owned_by(recordings(), user=user).order_by("-created_at", "-id")


def recording_for_listener(*, user, pk: int, where: str = "recording_audio") -> SpeechRecording:
    """The recording ``pk`` if ``user`` may listen to it, else 404 (which reveals nothing): its owner; or the
    teacher (or staff) who may review the milestone attempt it belongs to, which the learner shared for review
    (``review_selectors.milestone_attempt_for_reviewer``: decided afresh and recorded in the audit log)."""
    recording = recordings_owned_by(user=user).filter(pk=pk).first()
    if recording is not None:
        return recording
    if user.is_authenticated and 0 < pk < 2**63:
        recording = recordings().filter(pk=pk, milestone_attempt__isnull=False).first()
        if recording is not None:
            from myApp.curriculum.review_selectors import milestone_attempt_for_reviewer  # it imports the models

            milestone_attempt_for_reviewer(viewer=user, pk=recording.milestone_attempt_id, where=where)
            return recording
    raise Http404("No such recording.")


def language_measures(recording: SpeechRecording) -> dict | None:
    """What the transcript tells (``speech.language.measure``), or None without a transcript."""
    if not recording.transcript:
        return None
    from myApp.curriculum.speech import language

    acoustic = recording.acoustic or {}
    return language.measure(
        recording.transcript,
        speaking_seconds=acoustic.get("speaking_seconds"),
        words=recording.transcript_words or None,
    )


PROGRESS_FIELDS = ("id", "created_at", "purpose", "topic", "acoustic", "transcript", "transcript_words")


def _progress_point(recording: SpeechRecording) -> dict:
    acoustic = recording.acoustic or {}
    pitch = acoustic.get("pitch") or {}
    spoken = language_measures(recording) or {}
    return {
        "recording_id": recording.pk,
        "created_at": recording.created_at,
        "purpose": recording.purpose,
        "words_per_minute": spoken.get("words_per_minute"),
        "pauses_per_minute": acoustic.get("pauses_per_minute"),
        "longest_pause_seconds": acoustic.get("longest_pause_seconds"),
        "pitch_variability_semitones": pitch.get("variability_semitones"),
        "fillers_per_minute": spoken.get("fillers_per_minute"),
    }


# The most recent analysed recordings a progress series holds (the page draws 100 of them).
PROGRESS_LIMIT = 500


def recording_progress_owned_by(*, user, limit: int = PROGRESS_LIMIT) -> list[dict]:
    """The learner's latest ``limit`` analysed recordings as one series, oldest first: one query whatever their
    number."""
    rows = (
        access.owned_by(recordings(), user=user)
        .filter(analysis_status=AnalysisStatus.COMPLETED)
        .only(*PROGRESS_FIELDS)
        .order_by("-created_at", "-id")[:limit]
    )
    return [_progress_point(recording) for recording in list(rows)[::-1]]
