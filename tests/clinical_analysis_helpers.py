"""Analysed sessions with chosen results, through the real analysis service (its library replaced by a stand-in
that returns the given numbers), so trends and summaries can be checked against hand-computed values."""

from myApp.sessions.clinical import scales
from myApp.sessions.clinical.analysis import Insight, SentenceAnalysis, SessionAnalysis
from myApp.sessions.services import clinical as services
from tests.clinical_helpers import segments, session_create

ZERO = dict.fromkeys(scales.EMOTIONS, 0.0)


def scores(**emotions) -> dict:
    return ZERO | emotions


def finding(kind: str, rule: str, priority: str = "medium") -> Insight:
    return Insight(
        insight_type=kind,
        rule=rule,
        title=rule.replace("_", " ").capitalize(),
        description=f"About {rule}.",
        confidence=0.6,
        severity="moderate",
        therapeutic_method="CBT",
        intervention_priority=priority,
        recommendations={"rule": rule, "actions": []},
    )


def analysed(client, *, days_ago: int, lines, results, insights=(), duration: int | None = None):
    """A session whose transcript is ``lines`` and whose analysis (through the real service) gives ``results``:
    [(sentiment, emotions, keywords)] per sentence, and ``insights``."""
    session = session_create(client, days_ago=days_ago, duration_minutes=duration)
    services.transcript_save(
        session=session, by=client.clinician, segments=segments(len(lines), lines=lines), mode="replace"
    )

    def fake(rows, client_speakers):
        return SessionAnalysis(
            sentences=[
                SentenceAnalysis(row["sequence_number"], {"term": list(terms)}, sentiment, emotions)
                for row, (sentiment, emotions, terms) in zip(rows, results, strict=True)
            ],
            insights=list(insights),
        )

    assert services.therapy_session_analyse(session_id=session.pk, analyse=fake).result == "completed"
    return session
