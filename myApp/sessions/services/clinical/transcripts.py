"""Transcript save (seed 003's TranscriptManager.save_transcript, fixed): validated segments stored as sentences
in order, in bulk, replacing the transcript or appending to it by the caller's explicit choice."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from myApp.analytics import events
from myApp.analytics.services import track
from myApp.lib.exceptions import ServiceError
from myApp.sessions import transcripts
from myApp.sessions.models import (
    InsightStatus,
    Priority,
    ProcessingStatus,
    SessionInsight,
    SessionSentence,
    StatusField,
    TherapySession,
)
from myApp.sessions.services.clinical.analysis import analysis_enqueue_on_commit
from myApp.sessions.services.clinical.clients import require_clinician_of, status_change_record

REPLACE, APPEND = "replace", "append"
MODES = (REPLACE, APPEND)


@dataclass(frozen=True)
class TranscriptSaved:
    session: TherapySession
    mode: str
    added: int
    total: int


def _invalid(error: transcripts.TranscriptError) -> ServiceError:
    return ServiceError(error.message, errors=error.errors)


@transaction.atomic
def transcript_save(*, session: TherapySession, by, segments, mode: str) -> TranscriptSaved:
    """Store ``segments`` as ``session``'s sentences.

    ``mode`` is ``replace`` (the old sentences and the draft insights drawn from them go; approved and rejected
    insights stay, with their evidence text, and so do undecided urgent ones: a risk alert goes only by its
    clinician's decision, and the same transcript uploaded again does not alert and email a second time) or
    ``append`` (the new segments must start at or after the last sentence and continue its numbering; one the
    same as a last sentence is refused, as a repeat). The session's row lock serialises saves, so two appends
    never take the same sequence numbers. ``transcript_status`` becomes completed, and a finished analysis is due again
    (``analysis_status`` pending); each change is recorded. As the analysis is then always pending, a run is
    queued once the save commits (a run already processing finds its claim gone and drops its results)."""
    require_clinician_of(session.client, user=by)
    if mode not in MODES:
        raise ServiceError("Invalid transcript.", errors={"mode": [f"Choose {REPLACE} or {APPEND}."]})
    locked = TherapySession.objects.select_for_update().get(pk=session.pk)
    existing = {"count": 0, "last_number": None, "last_start": None}
    stored_at_start = []  # the sentences an append continues from: a segment the same as one is a repeat
    if mode == APPEND:
        existing = SessionSentence.objects.filter(session=locked).aggregate(
            count=Count("id"), last_number=Max("sequence_number"), last_start=Max("start_ms")
        )
        if existing["last_start"] is not None:
            stored_at_start = [
                transcripts.Segment(*row)
                for row in SessionSentence.objects.filter(session=locked, start_ms=existing["last_start"]).values_list(
                    "start_ms", "end_ms", "text", "speaker", "confidence"
                )
            ]
    try:
        valid = transcripts.validate_segments(
            segments,
            after_ms=existing["last_start"] or 0,
            room=transcripts.MAX_SEGMENTS - existing["count"],
            stored_at_start=stored_at_start,
        )
    except transcripts.TranscriptError as error:
        raise _invalid(error) from None
    if mode == REPLACE:
        SessionInsight.objects.filter(session=locked, status=InsightStatus.DRAFT).exclude(
            intervention_priority=Priority.URGENT
        ).delete()
        SessionSentence.objects.filter(session=locked).delete()
    first = 0 if existing["last_number"] is None else existing["last_number"] + 1
    SessionSentence.objects.bulk_create(
        SessionSentence(
            session=locked,
            sequence_number=first + offset,
            start_ms=segment.start_ms,
            end_ms=segment.end_ms,
            text=segment.text,
            speaker=segment.speaker,
            confidence=segment.confidence,
        )
        for offset, segment in enumerate(valid)
    )
    _mark_saved(locked, by=by, reason=f"{mode}: {len(valid)} sentences")
    analysis_enqueue_on_commit(locked)
    total = existing["count"] + len(valid)
    track(event_type=events.TRANSCRIPT_SAVED, user=by, data={"mode": mode, "added": len(valid), "total": total})
    return TranscriptSaved(session=locked, mode=mode, added=len(valid), total=total)


def _mark_saved(session: TherapySession, *, by, reason: str) -> None:
    changes = {"transcript_status": ProcessingStatus.COMPLETED, "updated_at": timezone.now()}
    status_change_record(
        session=session,
        field=StatusField.TRANSCRIPT,
        from_status=session.transcript_status,
        to_status=ProcessingStatus.COMPLETED,
        by=by,
        reason=reason,
    )
    if session.analysis_status != ProcessingStatus.PENDING:
        changes.update(analysis_status=ProcessingStatus.PENDING, analysis_error="")
        status_change_record(
            session=session,
            field=StatusField.ANALYSIS,
            from_status=session.analysis_status,
            to_status=ProcessingStatus.PENDING,
            by=by,
            reason="the transcript changed",
        )
    TherapySession.objects.filter(pk=session.pk).update(**changes)
    for name, value in changes.items():
        setattr(session, name, value)
