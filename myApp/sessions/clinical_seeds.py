"""The clinical step of the ``demo`` seed target (issue 11): ``demo_psychologist`` (the demo clinician) with four
clients (Maya, the client record of demo_learner; three more) and four weekly sessions each, transcripts written
for this project (``clinical.demo_transcripts``), saved through the transcript service and analysed by the
analysis library. Each session's insights are drafts, as the analysis leaves them (an urgent one notifies the
clinician, as the analysis task's hook does); the clinician has reviewed
each client's first session (approved the insights with enough confidence, rejected the rest) and left the
later ones (Sam's urgent risk insight among them) to review. A clinician who already has clients is left
alone (a second run adds nothing).
"""

import datetime
import os

from django.utils import timezone
from rich.console import Console

from myApp.accounts.models import Role, User
from myApp.accounts.seeds import ensure_user
from myApp.lib.seeding import seed_target
from myApp.sessions.clinical.demo_transcripts import CLIENTS
from myApp.sessions.models import (
    Client,
    ProcessingStatus,
    SessionInsight,
    SessionSentence,
    SessionStatus,
    StatusField,
    TherapySession,
)
from myApp.sessions.services import clinical as services
from myApp.sessions.services.clinical.analysis import insights_created
from myApp.sessions.services.clinical.clients import status_change_record

CLINICIAN = "demo_psychologist"
APPROVE_FROM = 0.6  # in reviewed sessions: insights at least this confident approved, the others rejected
SESSION_MINUTES = 50


def _segments(lines: list[tuple[str, str]]) -> list[dict]:
    """The lines as timed segments: each lasts by its length (about 15 characters a second), a pause between."""
    segments, at = [], 4.0
    for speaker, text in lines:
        length = round(max(2.0, len(text) / 15), 1)
        segments.append(
            {"start": at, "end": round(at + length, 1), "text": text, "speaker": speaker, "confidence": 0.93}
        )
        at = round(at + length + 1.2, 1)
    return segments


SEVERITY = {"moderate": "medium", "critical": "high"}  # the library's scale → the model's low/medium/high
METHOD_CHARS = SessionInsight._meta.get_field("therapeutic_method").max_length


def _model_fields(insight) -> dict:
    """``Insight.as_fields()`` fitted to the model: the library's severity scale (low, moderate, high, critical)
    mapped to the model's, and its therapeutic method (``"CBT: decatastrophising (...)"``, longer than the
    column) stored as the school before the colon, the whole wording kept in the recommendations."""
    fields = insight.as_fields()
    fields["severity"] = SEVERITY.get(fields["severity"], fields["severity"])
    method = fields["therapeutic_method"]
    if len(method) > METHOD_CHARS:
        fields["recommendations"] = {**fields["recommendations"], "method": method}
        school = method.split(":")[0]
        fields["therapeutic_method"] = (
            school if len(school) <= METHOD_CHARS else school[:METHOD_CHARS].rsplit(" ", 1)[0]
        )
    return fields


def analyse_and_store(session: TherapySession) -> int:
    """Run the analysis library on ``session``'s transcript and store it as the analysis task does: the sentence
    fields by sequence number (one UPDATE per field), each insight a draft with its first evidence sentence, the
    analysis status completed and recorded. Returns how many insights it created."""
    from myApp.sessions.clinical.analysis import analyse_session  # YAKE and VADER: only when seeding

    sentences = {
        row.sequence_number: row
        for row in SessionSentence.objects.filter(session=session).order_by("start_ms", "sequence_number")
    }
    rows = [{"sequence_number": n, "text": s.text, "speaker": s.speaker} for n, s in sentences.items()]
    result = analyse_session(rows)
    for analysed in result.sentences:
        row = sentences[analysed.sequence_number]
        for name, value in analysed.as_fields().items():
            setattr(row, name, value)
    SessionSentence.objects.bulk_update(sentences.values(), ["keywords", "sentiment", "emotion_scores"])
    created = []
    for insight in result.insights:
        first = insight.evidence_items[0].sequence_number if insight.evidence_items else None
        created.append(
            services.insight_create(session=session, evidence_sentence=sentences.get(first), **_model_fields(insight))
        )
    if created:  # as the analysis task does: an urgent (risk) insight notifies the clinician
        insights_created(session, created)
    status_change_record(
        session=session,
        field=StatusField.ANALYSIS,
        from_status=session.analysis_status,
        to_status=ProcessingStatus.COMPLETED,
        reason="demo seed: analysed",
    )
    TherapySession.objects.filter(pk=session.pk).update(
        analysis_status=ProcessingStatus.COMPLETED, analysis_error="", updated_at=timezone.now()
    )
    return len(result.insights)


def _clinician(console: Console) -> User:
    return ensure_user(
        console, username=CLINICIAN, password=os.environ.get("SEED_DEMO_PASSWORD") or None, role=Role.PSYCHOLOGIST
    )


@seed_target("demo", order=40)
def demo_caseload(console: Console) -> None:
    """After the accounts step (10): demo_learner is one of the clients."""
    clinician = _clinician(console)
    if Client.objects.filter(clinician=clinician).exists():
        console.print(f"  [dim]{CLINICIAN}: caseload already seeded[/dim]")
        return
    today = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    made = {"sessions": 0, "insights": 0, "approved": 0}
    for number, spec in enumerate(CLIENTS):
        link = User.objects.filter(username=spec["link"]).first() if spec.get("link") else None
        client = services.client_create(
            clinician=clinician,
            display_name=spec["display_name"],
            user=link,
            age=spec["age"],
            gender=spec["gender"],
            clinical_notes=spec["clinical_notes"],
        )
        weeks = len(spec["sessions"])
        # Taken on a few days before their first session (the demo's "client since" must not follow it).
        taken_on = today - datetime.timedelta(days=7 * weeks + 3, hours=number)
        Client.objects.filter(pk=client.pk).update(created_at=taken_on)
        for week, lines in enumerate(spec["sessions"]):
            date = today - datetime.timedelta(days=7 * (weeks - week), hours=number)
            session = services.therapy_session_create(
                client=client, by=clinician, date=date, duration_minutes=SESSION_MINUTES
            )
            session = services.therapy_session_status_set(session=session, by=clinician, status=SessionStatus.COMPLETED)
            services.transcript_save(session=session, by=clinician, segments=_segments(lines), mode="replace")
            session.refresh_from_db()
            made["insights"] += analyse_and_store(session)
            made["sessions"] += 1
            if week == 0:  # the first session of each client reviewed; the later ones wait for the clinician
                made["approved"] += _review(session, clinician)
    console.print(
        f"  [green]{CLINICIAN}: {len(CLIENTS)} clients, {made['sessions']} analysed sessions, "
        f"{made['insights']} insights ({made['approved']} approved, the later sessions' left as drafts)[/green]"
    )


def _review(session: TherapySession, clinician: User) -> int:
    approved = 0
    for insight in SessionInsight.objects.filter(session=session).select_related("session__client"):
        if insight.confidence >= APPROVE_FROM:
            services.insight_approve(insight=insight, by=clinician)
            approved += 1
        else:
            services.insight_reject(insight=insight, by=clinician)
    return approved
