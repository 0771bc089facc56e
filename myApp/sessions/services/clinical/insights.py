"""Insights: created as drafts only; the client's clinician approves or rejects them."""

import unicodedata

from django.db import transaction
from django.utils import timezone

from myApp.analytics import events
from myApp.analytics.services import track
from myApp.lib.exceptions import Conflict, ServiceError
from myApp.lib.text import BIDI_CONTROLS
from myApp.sessions.models import (
    InsightDecision,
    InsightStatus,
    Priority,
    SessionInsight,
    SessionSentence,
    TherapySession,
)
from myApp.sessions.services.clinical.clients import require_clinician_of

DECISIONS = (InsightStatus.APPROVED, InsightStatus.REJECTED)
NOTE_MAX = 1000
REJECT_URGENT_REASON_MIN = 10  # characters: "not risk: quoting a film" is a reason, "no" is not


def insight_create(
    *,
    session: TherapySession,
    insight_type: str,
    confidence: float,
    title: str,
    description: str,
    therapeutic_method: str,
    evidence_sentence: SessionSentence | None = None,
    evidence: str = "",
    **fields,
) -> SessionInsight:
    """A draft insight (there is no way to create one already decided). For the analysis and for the clinician."""
    if evidence_sentence is not None and evidence_sentence.session_id != session.pk:
        raise ServiceError("Invalid insight.", errors={"evidence_sentence": ["Must be a sentence of this session."]})
    if evidence_sentence is not None and not evidence:
        evidence = evidence_sentence.text
    return SessionInsight.objects.create(
        session=session,
        client_id=session.client_id,
        insight_type=insight_type,
        confidence=confidence,
        title=title,
        description=description,
        therapeutic_method=therapeutic_method,
        evidence_sentence=evidence_sentence,
        evidence=evidence,
        status=InsightStatus.DRAFT,
        **fields,
    )


def rejecting_needs_reason(insight: SessionInsight) -> bool:
    """Whether rejecting ``insight`` now needs a reason (``_decision_note``): an urgent one not rejected yet."""
    return insight.intervention_priority == Priority.URGENT and insight.status != InsightStatus.REJECTED


def _decision_note(insight: SessionInsight, status: str, note: str) -> str:
    """The note kept with a decision. Safety first: an urgent insight (a risk alert) is rejected only with a
    reason, so dismissing a self-harm alert is never one stray click and the record says why."""
    note = " ".join(note.split())
    if len(note) > NOTE_MAX:
        raise ServiceError("Invalid note.", errors={"note": [f"At most {NOTE_MAX} characters."]})
    if any(char in BIDI_CONTROLS or (unicodedata.category(char) == "Cc") for char in note):
        # "\u202e" + a reason read backwards in the record; a NUL or other control character is no reason either.
        raise ServiceError(
            "Invalid note.", errors={"note": ["Must not contain control characters or text-direction overrides."]}
        )
    # Invisible characters are no reason: twelve zero-width spaces passed as one.
    visible = " ".join("".join(char for char in note if unicodedata.category(char) != "Cf").split())
    if status == InsightStatus.REJECTED and rejecting_needs_reason(insight) and len(visible) < REJECT_URGENT_REASON_MIN:
        raise ServiceError(
            f"Say why this urgent insight is rejected, in at least {REJECT_URGENT_REASON_MIN} characters.",
            errors={
                "note": [
                    f"An urgent insight is rejected only with a reason (at least {REJECT_URGENT_REASON_MIN} "
                    "characters); it is kept with the decision."
                ]
            },
        )
    return note


@transaction.atomic
def insight_decide(*, insight: SessionInsight, by, status: str, note: str = "") -> SessionInsight:
    """Approve or reject ``insight`` as the client's clinician (403 for anyone else), with ``note`` kept as the
    reason (required to reject an urgent one: ``_decision_note``). Deciding again changes the decision and adds to
    its history (``InsightDecision``: an earlier decision's reason is never lost); deciding the same way again
    changes nothing. Taken under the insight's row lock: concurrent decisions never interleave, and each is checked
    against the decision it replaces.

    A transcript insight is decided under its session's row lock, the lock under which an analysis run and a
    transcript replacement delete the session's drafts: a decision either commits first (the run then sees it
    decided and keeps it) or waits and finds the draft gone (409), never approving a row that is being deleted."""
    require_clinician_of(insight.client, user=by)
    if status not in DECISIONS:
        raise ServiceError("Invalid decision.", errors={"status": ["Choose approved or rejected."]})
    note = _decision_note(insight, status, note)  # refused early on the request's read; checked again under the lock
    if insight.session_id is not None:
        list(TherapySession.objects.select_for_update().filter(pk=insight.session_id).values_list("pk", flat=True))
    # The rule for a reason depends on the current decision (an urgent insight rejected already needs none): read
    # it under the insight's row lock, or a rejection without a reason that read it as rejected went through after
    # an approval committed meanwhile, and the alert ended rejected with no reason.
    current = SessionInsight.objects.select_for_update().filter(pk=insight.pk).values_list("status", flat=True).first()
    if current is not None and current != insight.status:
        insight.status = current
        note = _decision_note(insight, status, note)
    now = timezone.now()
    changed = (
        SessionInsight.objects.filter(pk=insight.pk)
        .exclude(status=status)
        .update(status=status, reviewed_by=by, reviewed_at=now, decision_note=note)
    )
    if changed:  # the insight holds the current decision; its history keeps every one, with its reason
        InsightDecision.objects.create(insight_id=insight.pk, status=status, decided_by=by, decided_at=now, note=note)
        track(  # codes only: never the note, the title or the evidence
            event_type=events.CLINICAL_INSIGHT_DECIDED,
            user=by,
            data={"status": status, "priority": insight.intervention_priority, "insight_type": insight.insight_type},
        )
    try:
        insight.refresh_from_db(fields=["status", "reviewed_by", "reviewed_at", "decision_note"])
    except SessionInsight.DoesNotExist:
        raise Conflict(
            "This insight was replaced by a newer analysis of the session.",
            errors={"insight": ["It no longer exists: review the session's current insights."]},
        ) from None
    return insight


def insight_approve(*, insight: SessionInsight, by, note: str = "") -> SessionInsight:
    return insight_decide(insight=insight, by=by, status=InsightStatus.APPROVED, note=note)


def insight_reject(*, insight: SessionInsight, by, note: str = "") -> SessionInsight:
    return insight_decide(insight=insight, by=by, status=InsightStatus.REJECTED, note=note)
