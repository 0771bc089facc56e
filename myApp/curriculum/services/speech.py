"""Recorded talks: keep the learner's recording, analyse it in the background, let them add a transcript.

``recording_create`` checks and converts the upload (``speech.intake``) before anything is written, so a refused
upload leaves no row and no file; the 16 kHz WAV is saved under the learner's folder with a random name (never
the uploaded one) and the analysis is queued once the transaction commits (the worker must see the row).

The analysis (``recording_analyse``, the body of ``myApp.curriculum.tasks.analyse_recording``):
pending → processing is a compare-and-set UPDATE, so of two workers handed the same recording one runs it and
the other skips. The claim's time (``analysis_claimed_at``) is its token: the results are written only if the row
is still processing under that same claim, so a run taken for dead (processing for longer than
``ABANDONED_AFTER``) and retaken by another worker writes nothing should it wake up. The acoustic measures are
the analysis; a transcription (only when the learner gave no transcript and a backend is configured) is a
bonus whose failure is recorded in ``transcription_error`` and leaves the acoustic measures intact. When it
ends (completed or failed), a milestone attempt's recording asks the milestone service to decide the attempt.
"""

import datetime
import logging
import uuid
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from myApp.accounts.models import User
from myApp.curriculum.models import (
    AmphitheatreExerciseRecord,
    AnalysisStatus,
    MilestoneAttempt,
    RecordingPurpose,
    SpeechRecording,
    TranscriptSource,
)
from myApp.lib import access
from myApp.lib.exceptions import Conflict, NotAllowed, ServiceError
from myApp.lib.json_input import text_problem

logger = logging.getLogger(__name__)

MAX_TRANSCRIPT = 20_000
MAX_TOPIC = 200
REASON_CHARS = 300
# A run still processing after this long is taken for dead (a worker killed mid-run): another run may claim it,
# and the old one, should it wake, finds its claim gone and writes nothing. Analysis of a five-minute talk takes
# seconds; a transcription server has settings.TRANSCRIPTION_TIMEOUT_SECONDS on top.
ABANDONED_AFTER = datetime.timedelta(minutes=15)
SKIPPED, FAILED, COMPLETED, STALE = "skipped", "failed", "completed", "stale"
NOT_YOURS = "This is not your recording."


@dataclass(frozen=True)
class AnalysisOutcome:
    recording_id: int
    result: str  # completed | failed | skipped (not claimable: another run has it, or it is done) | stale
    reason: str = ""
    transcribed: bool = False


# --- Input --------------------------------------------------------------------------------------------------------


def validated_transcript(transcript: object, *, field: str = "transcript") -> str:
    if not isinstance(transcript, str):
        raise ServiceError("Invalid transcript.", errors={field: ["Send the transcript as text."]})
    if len(transcript) > MAX_TRANSCRIPT:
        raise ServiceError("Transcript too long.", errors={field: [f"At most {MAX_TRANSCRIPT:,} characters."]})
    problem = text_problem(transcript)
    if problem:
        raise ServiceError("Invalid transcript.", errors={field: [problem]})
    return transcript.strip()


def validated_topic(topic: object) -> str:
    if not isinstance(topic, str) or len(topic) > MAX_TOPIC or text_problem(topic):
        raise ServiceError("Invalid topic.", errors={"topic": [f"Text of at most {MAX_TOPIC} characters."]})
    return topic.strip()


def recording_normalise(upload):
    """The upload checked and converted (``speech.intake.normalise``); a ``NormalisedAudio`` passes through, so a
    caller that had to check the audio before writing its own rows does not convert it twice."""
    from myApp.curriculum.speech import intake

    if isinstance(upload, intake.NormalisedAudio):
        return upload
    if upload is None:
        raise ServiceError("Invalid audio.", errors={"audio": ["Attach a recording."]})
    return intake.normalise(upload)


def _check_place(user: User, purpose: str, milestone_attempt, amphitheatre_record) -> None:
    if purpose not in RecordingPurpose.values:
        raise ServiceError("Invalid purpose.", errors={"purpose": [f"One of {', '.join(RecordingPurpose.values)}."]})
    if purpose == RecordingPurpose.MILESTONE:
        if not isinstance(milestone_attempt, MilestoneAttempt) or amphitheatre_record is not None:
            raise ServiceError("Invalid recording.", errors={"milestone_attempt": ["A milestone attempt's only."]})
        access.require_owner(milestone_attempt, user=user, message="This is not your milestone attempt.")
    else:
        if not isinstance(amphitheatre_record, AmphitheatreExerciseRecord) or milestone_attempt is not None:
            raise ServiceError("Invalid recording.", errors={"amphitheatre_record": ["An exercise's only."]})
        if amphitheatre_record.session.user_id != user.pk:
            raise NotAllowed("This is not your amphitheatre visit.")


# --- Writes -------------------------------------------------------------------------------------------------------


def _enqueue(recording_id: int) -> None:
    from myApp.curriculum.tasks import analyse_recording  # the task module imports this one

    analyse_recording.enqueue(recording_id=recording_id)


def analysis_enqueue_on_commit(recording: SpeechRecording) -> None:
    transaction.on_commit(partial(_enqueue, recording.pk))


def recording_create(
    *,
    user: User,
    upload,
    purpose: str,
    milestone_attempt: MilestoneAttempt | None = None,
    amphitheatre_record: AmphitheatreExerciseRecord | None = None,
    topic: str = "",
    transcript: str = "",
) -> SpeechRecording:
    """Keep a learner's recorded talk and queue its analysis. ``upload``: an uploaded file (checked and
    converted here, before any row is written: a refusal is a 400 naming the problem) or a ``NormalisedAudio``."""
    _check_place(user, purpose, milestone_attempt, amphitheatre_record)
    topic = validated_topic(topic)
    transcript = validated_transcript(transcript)
    audio = recording_normalise(upload)
    recording = SpeechRecording(
        user=user,
        purpose=purpose,
        milestone_attempt=milestone_attempt,
        amphitheatre_record=amphitheatre_record,
        topic=topic,
        source_format=audio.source_format,
        source_bytes=audio.source_bytes,
        duration_seconds=audio.duration_seconds,
        transcript=transcript,
        transcript_source=TranscriptSource.LEARNER if transcript else TranscriptSource.NONE,
        analysis_status=AnalysisStatus.PENDING,
    )
    # A random name under the learner's folder (upload_to): the uploaded name never reaches the disk.
    recording.audio.save(f"{uuid.uuid4().hex}.wav", ContentFile(audio.wav), save=False)
    try:
        with transaction.atomic():
            recording.save()
            analysis_enqueue_on_commit(recording)
    except BaseException:
        recording.audio.storage.delete(recording.audio.name)
        raise
    return recording


def analysis_stalled(recording: SpeechRecording, *, now: datetime.datetime | None = None) -> bool:
    """Whether the analysis looks lost: processing under a claim older than ``ABANDONED_AFTER`` (a worker died),
    or pending for longer than that since it was queued (the job itself was lost: a queue flushed, an enqueue
    that failed after the commit). Nothing re-queues these by itself; the owner may ask again."""
    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    if recording.analysis_status == AnalysisStatus.PROCESSING:
        return recording.analysis_claimed_at is None or recording.analysis_claimed_at < cutoff
    if recording.analysis_status == AnalysisStatus.PENDING:
        return (recording.analysis_requeued_at or recording.created_at) < cutoff
    return False


def recording_may_reanalyse(recording: SpeechRecording) -> bool:
    """Whether the owner may run the analysis again: it failed, or it stalled (``analysis_stalled``)."""
    return recording.analysis_status == AnalysisStatus.FAILED or analysis_stalled(recording)


@transaction.atomic
def recording_reanalyse(*, user: User, recording: SpeechRecording) -> SpeechRecording:
    """Run a failed (or stalled) analysis again: back to pending, queued. 409 otherwise."""
    access.require_owner(recording, user=user, message=NOT_YOURS)
    locked = SpeechRecording.objects.select_for_update().get(pk=recording.pk)
    if not recording_may_reanalyse(locked):
        raise Conflict(
            "Only a failed or stalled analysis can be run again.",
            errors={"analysis_status": [f"The analysis is {locked.get_analysis_status_display().lower()}."]},
        )
    SpeechRecording.objects.filter(pk=locked.pk).update(
        analysis_status=AnalysisStatus.PENDING,
        analysis_error="",
        analysis_claimed_at=None,
        analysis_requeued_at=timezone.now(),
    )
    analysis_enqueue_on_commit(locked)
    locked.refresh_from_db()
    return locked


def recording_set_transcript(*, user: User, recording: SpeechRecording, transcript: str) -> SpeechRecording:
    """The learner types, corrects or clears the transcript (theirs replaces an automatic one, without timings).
    What the transcript tells is derived whenever shown, so nothing else is recomputed; a milestone attempt's
    recording that was analysed has its attempt decided again."""
    access.require_owner(recording, user=user, message=NOT_YOURS)
    transcript = validated_transcript(transcript)
    with transaction.atomic():
        SpeechRecording.objects.filter(pk=recording.pk).update(
            transcript=transcript,
            transcript_source=TranscriptSource.LEARNER if transcript else TranscriptSource.NONE,
            transcript_words=[],
        )
    recording.refresh_from_db()
    if recording.analysis_status == AnalysisStatus.COMPLETED:
        _decide_milestone(recording)
    return recording


# --- The analysis -------------------------------------------------------------------------------------------------


def _claim(recording_id: int) -> datetime.datetime | None:
    """pending (or abandoned processing) → processing in one UPDATE; the claim's time is its token."""
    now = timezone.now()
    claimable = SpeechRecording.objects.filter(pk=recording_id).filter(
        analysis_status=AnalysisStatus.PENDING
    ) | SpeechRecording.objects.filter(
        pk=recording_id, analysis_status=AnalysisStatus.PROCESSING, analysis_claimed_at__lt=now - ABANDONED_AFTER
    )
    claimed = claimable.update(analysis_status=AnalysisStatus.PROCESSING, analysis_claimed_at=now, analysis_error="")
    return now if claimed else None


def _ours(recording_id: int, claim: datetime.datetime):
    return SpeechRecording.objects.select_for_update().filter(
        pk=recording_id, analysis_status=AnalysisStatus.PROCESSING, analysis_claimed_at=claim
    )


def _transcribe(recording: SpeechRecording, wav: bytes):
    """(transcription or None, error text): only when the learner gave none and a backend is configured."""
    from myApp.curriculum.speech import transcription

    if recording.transcript or settings.TRANSCRIPTION_BACKEND == "none":
        return None, ""
    try:
        return transcription.transcribe(wav), ""
    except transcription.TranscriptionFailed as failure:
        logger.warning("transcription of recording %s failed: %s", recording.pk, failure.reason)
        return None, failure.reason


def _write(recording_id: int, claim: datetime.datetime, acoustic: dict, transcribed, transcription_error: str):
    with transaction.atomic():
        locked = _ours(recording_id, claim).first()
        if locked is None:
            return False
        changes = {
            "acoustic": acoustic,
            "analysis_status": AnalysisStatus.COMPLETED,
            "analysed_at": timezone.now(),
            "analysis_error": "",
            "transcription_error": transcription_error[:REASON_CHARS],
        }
        # The learner's own transcript, typed while the server worked, wins over the automatic one.
        if transcribed is not None and not locked.transcript:
            changes.update(
                transcript=transcribed.text,
                transcript_source=TranscriptSource.BACKEND if transcribed.text else TranscriptSource.NONE,
                transcript_words=transcribed.words,
            )
        SpeechRecording.objects.filter(pk=recording_id).update(**changes)
    return True


def _fail(recording_id: int, claim: datetime.datetime, reason: str) -> bool:
    with transaction.atomic():
        if _ours(recording_id, claim).first() is None:
            return False
        SpeechRecording.objects.filter(pk=recording_id).update(
            analysis_status=AnalysisStatus.FAILED, analysis_error=reason[:REASON_CHARS], analysed_at=timezone.now()
        )
    return True


def _decide_milestone(recording: SpeechRecording) -> None:
    """A milestone attempt's recording counts toward its rubric: the milestone service decides the attempt."""
    if not recording.milestone_attempt_id:
        return
    from myApp.curriculum.services import milestones  # the milestone service imports this module

    milestones.milestone_decide(attempt_id=recording.milestone_attempt_id)


def recording_analyse(*, recording_id: int) -> AnalysisOutcome:
    """Analyse a pending recording (the task's body). Not claimable: skipped."""
    from myApp.curriculum.speech import acoustics

    claim = _claim(recording_id)
    if claim is None:
        return AnalysisOutcome(recording_id, SKIPPED)
    recording = SpeechRecording.objects.filter(pk=recording_id).first()
    if recording is None:  # deleted (an erasure) since the claim
        return AnalysisOutcome(recording_id, SKIPPED)
    try:
        with recording.audio.open("rb") as stored:
            wav = stored.read()
        acoustic = acoustics.measure(wav)
    except Exception as error:
        logger.exception("analysis of recording %s failed", recording_id)
        reason = "The recording could not be analysed." if isinstance(error, OSError) else f"{error}"
        reason = reason or type(error).__name__
        if not _fail(recording_id, claim, reason):
            return AnalysisOutcome(recording_id, STALE, reason="the analysis was taken over by another run")
        _decide_milestone(recording)  # decided on what is known without the measures
        return AnalysisOutcome(recording_id, FAILED, reason=reason)
    transcribed, transcription_error = _transcribe(recording, wav)
    if not _write(recording_id, claim, acoustic, transcribed, transcription_error):
        return AnalysisOutcome(recording_id, STALE, reason="the analysis was taken over by another run")
    recording.refresh_from_db()
    _decide_milestone(recording)
    return AnalysisOutcome(recording_id, COMPLETED, reason=transcription_error, transcribed=transcribed is not None)


# --- Erasure ------------------------------------------------------------------------------------------------------


def _files_delete(names: list[str]) -> None:
    from django.core.files.storage import storages

    storage = storages["recordings"]
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # already gone, or the disk refused: the row is gone either way
            logger.warning("could not delete recording file %s", name)


def recording_file_follows_row(sender, instance: SpeechRecording, **kwargs) -> None:
    """A recording's audio file goes when its row goes, however the row went (the erasure, the admin, or a
    cascade from a deleted milestone attempt, amphitheatre visit or level): deleted once the deletion commits,
    so a rolled-back deletion keeps both. Connected to ``post_delete`` in ``CurriculumConfig.ready``: it is file
    housekeeping that must follow every deletion path, not a business rule."""
    if instance.audio.name:
        transaction.on_commit(partial(_files_delete, [instance.audio.name]))


def recordings_delete(rows) -> int:
    """Delete these recordings (their audio files follow, ``recording_file_follows_row``); returns the number of
    rows deleted."""
    deleted, _ = rows.delete()
    return deleted


def _folder_delete(user_id: int) -> None:
    """Every file left in the user's folder of the recordings storage (``recording_upload_to``)."""
    from django.core.files.storage import storages

    try:
        _, names = storages["recordings"].listdir(str(user_id))
    except (FileNotFoundError, NotADirectoryError):
        return
    _files_delete([f"{user_id}/{name}" for name in names])


def recordings_erase(*, user: User) -> int:
    """The account's erasure (``data_rights_rules``): the user's recorded talks and their files, and, once the
    erasure commits, any file still in their folder (one written by a submission whose transaction then rolled
    back has no row to follow)."""
    deleted = recordings_delete(SpeechRecording.objects.filter(user=user))
    transaction.on_commit(partial(_folder_delete, user.pk))
    return deleted
