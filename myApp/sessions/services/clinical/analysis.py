"""A therapy session's analysis as background work: requested by the clinician (or due after a transcript save),
run by a task worker (``myApp.sessions.tasks.analyse_therapy_session``), results written in one go.

Statuses (``TherapySession.analysis_status``), each change recorded in ``SessionStatusChange``:
pending → processing (a worker claims it) → completed, or failed with the reason in ``analysis_error``. A failed or
completed analysis may be requested again (back to pending); while one is processing a request is refused (409).

Two workers on one session never both write: the claim is a compare-and-set (``pending`` → ``processing`` in one
UPDATE), and the write checks, under the session's row lock, that the session's latest analysis status change is
still its own claim. If the transcript changed meanwhile (its save sets the analysis back to pending and queues a
new run), the stale results are dropped.

Writing: every sentence's keywords, sentiment and emotion scores in one bulk update; the session's draft insights
replaced by the new ones, always drafts; approved and rejected insights stay, and a finding identical to one the
clinician already decided (same rule, same evidence) is not asked again. ``insights_created`` is called with the
new drafts once they are committed.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.utils import timezone

from myApp.analytics import events
from myApp.analytics.services import track
from myApp.lib.exceptions import Conflict
from myApp.sessions.clinical.scales import client_speakers
from myApp.sessions.models import (
    InsightStatus,
    Priority,
    ProcessingStatus,
    SessionInsight,
    SessionSentence,
    SessionStatusChange,
    StatusField,
    TherapySession,
)
from myApp.sessions.services.clinical.clients import require_clinician_of, status_change_record
from myApp.sessions.services.clinical.notifications import notify_urgent

logger = logging.getLogger(__name__)

REASON_CHARS = 500
# A run still processing after this long is taken for dead (a worker killed mid-run, past any job timeout): a
# request may then start another, and the old run, should it wake, finds its claim gone and writes nothing.
ABANDONED_AFTER = datetime.timedelta(minutes=30)
# The analysis library's severities, as SessionInsight stores them.
SEVERITY = {"low": "low", "moderate": "medium", "high": "high", "critical": "high"}
CLAIMED, SKIPPED, STALE, FAILED, COMPLETED = "claimed", "skipped", "stale", "failed", "completed"


@dataclass
class AnalysisOutcome:
    session_id: int
    result: str  # completed | failed | skipped (not pending: another run has it or it is done) | stale
    sentences: int = 0
    insights: list[SessionInsight] = field(default_factory=list)
    reason: str = ""


def insights_created(session: TherapySession, insights: list[SessionInsight]) -> None:
    """Hook: called once per analysis run, after its new draft insights are committed (never with an empty list).

    The urgent ones (risk found in the transcript) notify the client's clinician (``notify_urgent``: idempotent,
    one notification per insight and clinician, the email sent once after commit)."""
    notify_urgent(insights)


# --- Requests -----------------------------------------------------------------------------------------------------


def _enqueue(session_id: int) -> None:
    from myApp.sessions.tasks import analyse_therapy_session  # the task module imports the services

    analyse_therapy_session.enqueue(session_id=session_id)


def analysis_enqueue_on_commit(session: TherapySession) -> None:
    """Queue the analysis of ``session`` once the current transaction commits (the worker must see its state)."""
    transaction.on_commit(partial(_enqueue, session.pk))


@transaction.atomic
def analysis_request(*, session: TherapySession, by) -> TherapySession:
    """The clinician asks for (another) analysis: 409 while one is processing (unless it is abandoned,
    ``ABANDONED_AFTER``) or without a transcript; a failed, completed or abandoned analysis goes back to
    pending (recorded), and a run is queued."""
    require_clinician_of(session.client, user=by)
    locked = TherapySession.objects.select_for_update().get(pk=session.pk)
    abandoned = locked.analysis_status == ProcessingStatus.PROCESSING and _abandoned(locked)
    if locked.analysis_status == ProcessingStatus.PROCESSING and not abandoned:
        raise Conflict(
            "The analysis is already running.", errors={"analysis_status": ["Wait until this analysis ends."]}
        )
    if not SessionSentence.objects.filter(session=locked).exists():
        raise Conflict("There is no transcript to analyse.", errors={"transcript": ["Save a transcript first."]})
    previous = locked.analysis_status
    if locked.analysis_status != ProcessingStatus.PENDING:
        reason = "requested; the previous run never finished" if abandoned else "requested"
        _set_status(locked, ProcessingStatus.PENDING, by=by, reason=reason, error="")
    track(event_type=events.TRANSCRIPT_ANALYSIS_REQUESTED, user=by, data={"previous_status": previous})
    analysis_enqueue_on_commit(locked)
    return locked


def _abandoned(session: TherapySession) -> bool:
    """The session's analysis has been processing for longer than ``ABANDONED_AFTER``."""
    latest = SessionStatusChange.objects.filter(session=session, field=StatusField.ANALYSIS).order_by("-id").first()
    return latest is None or latest.created_at < timezone.now() - ABANDONED_AFTER


def _set_status(session: TherapySession, to_status: str, *, by=None, reason: str = "", error: str | None = None):
    """Move the locked ``session``'s analysis status and record it; returns the recorded change."""
    changes = {"analysis_status": to_status, "updated_at": timezone.now()}
    if error is not None:
        changes["analysis_error"] = error[:REASON_CHARS]
    TherapySession.objects.filter(pk=session.pk).update(**changes)
    change = status_change_record(
        session=session,
        field=StatusField.ANALYSIS,
        from_status=session.analysis_status,
        to_status=to_status,
        by=by,
        reason=reason,
    )
    for name, value in changes.items():
        setattr(session, name, value)
    return change


# --- The run ------------------------------------------------------------------------------------------------------


@transaction.atomic
def _claim(session_id: int) -> SessionStatusChange | None:
    """pending → processing in one UPDATE (only one claimant can win it); the recorded change is the claim."""
    claimed = TherapySession.objects.filter(pk=session_id, analysis_status=ProcessingStatus.PENDING).update(
        analysis_status=ProcessingStatus.PROCESSING, analysis_error="", updated_at=timezone.now()
    )
    if not claimed:
        return None
    session = TherapySession.objects.get(pk=session_id)
    return status_change_record(
        session=session,
        field=StatusField.ANALYSIS,
        from_status=ProcessingStatus.PENDING,
        to_status=ProcessingStatus.PROCESSING,
        reason="analysis started",
    )


def _still_ours(session: TherapySession, claim: SessionStatusChange) -> bool:
    """Under the session's row lock: nobody moved the analysis status since ``claim``."""
    latest = SessionStatusChange.objects.filter(session=session, field=StatusField.ANALYSIS).order_by("-id").first()
    return session.analysis_status == ProcessingStatus.PROCESSING and latest is not None and latest.pk == claim.pk


def _finding(insight_type: str, recommendations: dict | None, evidence: str) -> tuple:
    """What makes two insights the same finding: its type, its rule and its evidence."""
    return (insight_type, (recommendations or {}).get("rule"), evidence)


def _insight_rows(session: TherapySession, fielded: list, number_to_pk: dict[int, int], known: set) -> list:
    """New draft rows for the analysis' findings (``(insight, insight.as_fields())``) that are not ``known``
    already (decided, or a draft kept)."""
    rows = []
    for insight, values in fielded:
        values = dict(values)
        if _finding(values["insight_type"], values["recommendations"], values["evidence"]) in known:
            continue
        first = insight.evidence_items[0].sequence_number if insight.evidence_items else None
        values["severity"] = SEVERITY.get(values["severity"], "")
        rows.append(
            SessionInsight(
                session=session,
                client_id=session.client_id,
                evidence_sentence_id=number_to_pk.get(first),
                status=InsightStatus.DRAFT,  # an analysis never decides
                **values,
            )
        )
    return rows


def _keep_known(session: TherapySession, fielded: list, number_to_pk: dict[int, int]) -> set:
    """The session's insights against what the analysis found; returns the findings already there.

    Decided insights stay; a draft the analysis finds again stays as it is (so its clinician is not notified of it
    twice), linked again to its evidence sentence if a transcript replacement unlinked it; an undecided urgent one
    stays even when not found again (only its clinician's decision removes a risk alert); other drafts it no
    longer finds are deleted (what it finds now replaces them)."""
    found = {
        _finding(values["insight_type"], values["recommendations"], values["evidence"]): insight
        for insight, values in fielded
    }
    known, stale, relinked = set(), [], []
    fields = ("pk", "status", "intervention_priority", "evidence_sentence_id", "insight_type", "recommendations")
    rows = SessionInsight.objects.filter(session=session).values_list(*fields, "evidence")
    for pk, status, priority, sentence_id, *finding in rows:
        finding = _finding(*finding)
        again = found.get(finding)
        if again is not None and sentence_id is None and again.evidence_items:
            first = again.evidence_items[0].sequence_number
            relinked.append(SessionInsight(pk=pk, evidence_sentence_id=number_to_pk.get(first)))
        if status != InsightStatus.DRAFT or priority == Priority.URGENT or again is not None:
            known.add(finding)
        else:
            stale.append(pk)
    SessionInsight.objects.filter(pk__in=stale).delete()
    SessionInsight.objects.bulk_update(relinked, ["evidence_sentence_id"])
    return known


def _write(session_id: int, claim: SessionStatusChange, sentences: list[dict], analysis) -> AnalysisOutcome:
    with transaction.atomic():
        session = TherapySession.objects.select_for_update().get(pk=session_id)
        if not _still_ours(session, claim):
            return AnalysisOutcome(session_id, STALE, reason="the transcript or the analysis changed meanwhile")
        number_to_pk = {row["sequence_number"]: row["id"] for row in sentences}
        updated = []
        for result in analysis.sentences:
            sentence = SessionSentence(pk=number_to_pk[result.sequence_number], **result.as_fields())
            updated.append(sentence)
        SessionSentence.objects.bulk_update(updated, ["keywords", "sentiment", "emotion_scores"])
        fielded = [(insight, insight.as_fields()) for insight in analysis.insights]
        known = _keep_known(session, fielded, number_to_pk)
        created = SessionInsight.objects.bulk_create(_insight_rows(session, fielded, number_to_pk, known))
        _set_status(
            session,
            ProcessingStatus.COMPLETED,
            reason=f"{len(updated)} sentences, {len(created)} draft insights",
        )
        # A worker's run, nobody's action: no user (and no session id, events.py's docstring).
        track(
            event_type=events.TRANSCRIPT_ANALYSIS_FINISHED,
            data={"outcome": COMPLETED, "sentences": len(updated), "insights": len(created)},
        )
    if created:
        insights_created(session, created)
    return AnalysisOutcome(session_id, COMPLETED, sentences=len(updated), insights=created)


@transaction.atomic
def _fail(session_id: int, claim: SessionStatusChange, reason: str) -> bool:
    session = TherapySession.objects.select_for_update().get(pk=session_id)
    if not _still_ours(session, claim):
        return False
    _set_status(session, ProcessingStatus.FAILED, reason=reason, error=reason)
    # The outcome only: the reason is an error message, free text that may quote the transcript.
    track(event_type=events.TRANSCRIPT_ANALYSIS_FINISHED, data={"outcome": FAILED, "sentences": 0, "insights": 0})
    return True


def therapy_session_analyse(*, session_id: int, analyse: Callable | None = None) -> AnalysisOutcome:
    """Run a pending analysis of the session (the task's body). Not pending: skipped (another run has it, or it
    is done). ``AnalysisRefused`` (input outside the analysis' bounds) fails the analysis with its message;
    any other error fails it with the error's type and message, and is raised again for the task's own record."""
    from myApp.sessions.clinical import analysis as library  # YAKE and VADER: only where an analysis runs

    claim = _claim(session_id)
    if claim is None:
        return AnalysisOutcome(session_id, SKIPPED)
    try:
        session = TherapySession.objects.select_related("client").get(pk=session_id)
        sentences = list(
            SessionSentence.objects.filter(session_id=session_id)
            .order_by("sequence_number")
            .values("id", "sequence_number", "text", "speaker")
        )
        speakers = client_speakers(
            session.client.display_name, session.client.former_names
        )  # the trends read the same speakers
        result = (analyse or library.analyse_session)(sentences, client_speakers=speakers)
        return _write(session_id, claim, sentences, result)
    except library.AnalysisRefused as refusal:
        reason = str(refusal)
        _fail(session_id, claim, reason)
        return AnalysisOutcome(session_id, FAILED, reason=reason)
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"[:REASON_CHARS]
        logger.exception("analysis of therapy session %s failed", session_id)
        _fail(session_id, claim, reason)
        raise
